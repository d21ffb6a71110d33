/** Answering from the knowledge base: /ask, `ita ask`, and the comment under each pushed signal. */
export { answerQuestion, DEFAULT_K } from './answer.ts';
export type { AnswerResult, AskOptions, LlmMode } from './answer.ts';
export { commentOnSignal, templateComment, DEFAULT_COMMENT_BUDGET_MS } from './comment.ts';
export type { SignalForComment, SignalComment, CommentOptions } from './comment.ts';
export { citationLabel, validateCitations } from './citations.ts';
export type { Citation } from './citations.ts';
export { detectLanguage } from './language.ts';
export type { AnswerLanguage } from './language.ts';
export { escapeHtml, formatAnswerHtml, TELEGRAM_MESSAGE_LIMIT } from './telegram.ts';
export { extractiveAnswer } from './extractive.ts';
