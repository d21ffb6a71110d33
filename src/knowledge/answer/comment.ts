/**
 * The short comment under each pushed signal: 2–4 sentences in the trader's language that tie the setup to the
 * trader's own theory and name its strengths and weaknesses. The bot's latency target rules: retrieval and the LLM
 * share one time budget (default 4 s) and are aborted at its end; on timeout, error, spent budget or no LLM, a
 * deterministic template comment is used instead.
 */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { LlmRouter } from '../llm/router.ts';
import type { Passage, Retriever } from '../types.ts';
import { citationLabel, citationOf, validateCitations, type Citation } from './citations.ts';
import type { AnswerLanguage } from './language.ts';
import { passagesBlock } from './prompt.ts';
import { onTopic } from './topical.ts';

/**
 * Share of the setup's own concepts (its name and id, e.g. "London session breakout of the Asia range") a passage
 * must cover to be cited under the signal; below it the comment cites no theory rather than an unrelated page.
 */
export const COMMENT_MIN_COVERAGE = 0.5;

export interface SignalForComment {
  setupId: string;
  setupName: string;
  symbol: string;
  timeframe: string;
  side: 'long' | 'short';
  entry: number;
  stop: number;
  targets: number[];
  rr: number;
  score: number;
  reasons: { strengths: string[]; weaknesses: string[] };
}

export interface CommentOptions {
  retriever?: Retriever;
  llm?: LlmRouter | null;
  language?: AnswerLanguage;
  /** Total time for retrieval + LLM, ms. */
  budgetMs?: number;
  /** Passages scoring below this are not cited. */
  minScore?: number;
  k?: number;
}

export interface SignalComment {
  text: string;
  source: 'llm' | 'template';
  citations: Citation[];
  /** Why the template was used although an LLM is configured. */
  fallbackReason?: string;
}

export const DEFAULT_COMMENT_BUDGET_MS = 4000;

export async function commentOnSignal(signal: SignalForComment, options: CommentOptions = {}): Promise<SignalComment> {
  const language = options.language ?? 'en';
  const budgetMs = options.budgetMs ?? DEFAULT_COMMENT_BUDGET_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), budgetMs);
  try {
    const passages = options.retriever ? await retrieveTheory(signal, options, deadline.signal) : [];
    const template = (fallbackReason?: string): SignalComment => ({
      text: templateComment(signal, language, passages[0]),
      source: 'template',
      citations: passages.slice(0, 1).map(citationOf),
      ...(fallbackReason ? { fallbackReason } : {}),
    });
    if (!options.llm) return template();
    if (deadline.signal.aborted) return template(`time budget of ${budgetMs} ms spent on retrieval`);
    try {
      const reply = await options.llm.complete(commentMessages(signal, passages, language), { purpose: 'comment', signal: deadline.signal });
      const checked = validateCitations(reply.text, passages);
      const text = firstSentences(checked.text, 4);
      if (!text) return template('the model returned an empty comment');
      return { text, source: 'llm', citations: checked.valid };
    } catch (error) {
      return template(deadline.signal.aborted ? `time budget of ${budgetMs} ms exceeded` : (error as Error).message);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** What the setup is about: its name and id words. Strengths ("breakout on volume") describe this signal, not the setup. */
export function theoryQuery(signal: Pick<SignalForComment, 'setupName' | 'setupId'>): string {
  const idWords = signal.setupId.replace(/[_\-.]+/g, ' ').trim();
  return signal.setupName.toLowerCase().includes(idWords.toLowerCase()) ? signal.setupName : `${signal.setupName}. ${idWords}`;
}

async function retrieveTheory(signal: SignalForComment, options: CommentOptions, abort: AbortSignal): Promise<Passage[]> {
  const timedOut = new Promise<Passage[]>((resolve) => {
    if (abort.aborted) resolve([]);
    abort.addEventListener('abort', () => resolve([]), { once: true });
  });
  try {
    const found = await Promise.race([options.retriever!.retrieve(theoryQuery(signal), options.k ?? 3), timedOut]);
    const sorted = found.filter((p) => p.score >= (options.minScore ?? 0)).sort((a, b) => b.score - a.score);
    // With the knowledge base's signals: only theory about this setup's concepts, or none.
    const withCoverage = sorted as Array<Passage & { coverage?: number }>;
    if (withCoverage.some((p) => p.coverage === undefined)) return sorted;
    return onTopic(withCoverage.filter((p) => (p.coverage ?? 0) >= COMMENT_MIN_COVERAGE));
  } catch {
    // The comment is a courtesy: a broken index must not stop the signal from being sent.
    return [];
  }
}

const SIDE = { en: { long: 'Long', short: 'Short' }, ru: { long: 'Лонг', short: 'Шорт' } } as const;

/** The deterministic comment: same signal → same words, so it can be tested and trusted offline. */
export function templateComment(signal: SignalForComment, language: AnswerLanguage, theory?: Passage): string {
  const num = (n: number): string => String(Number(n.toPrecision(8)));
  const targets = signal.targets.map(num).join(', ');
  const strengths = signal.reasons.strengths;
  const weaknesses = signal.reasons.weaknesses;
  if (language === 'ru') {
    return [
      `${SIDE.ru[signal.side]} ${signal.symbol} ${signal.timeframe} по сетапу «${signal.setupName}»: вход ${num(signal.entry)}, стоп ${num(signal.stop)}, цели ${targets}, R:R ${signal.rr.toFixed(2)}, оценка ${signal.score.toFixed(1)}/10.`,
      `Сильные стороны: ${strengths.length ? strengths.join('; ') : 'не отмечены'}.`,
      `Слабые стороны: ${weaknesses.length ? weaknesses.join('; ') : 'не отмечены'}.`,
      ...(theory ? [`Теория: ${citationLabel(citationOf(theory))}.`] : []),
    ].join(' ');
  }
  return [
    `${SIDE.en[signal.side]} ${signal.symbol} ${signal.timeframe} on setup "${signal.setupName}": entry ${num(signal.entry)}, stop ${num(signal.stop)}, targets ${targets}, R:R ${signal.rr.toFixed(2)}, score ${signal.score.toFixed(1)}/10.`,
    `Strengths: ${strengths.length ? strengths.join('; ') : 'none noted'}.`,
    `Weaknesses: ${weaknesses.length ? weaknesses.join('; ') : 'none noted'}.`,
    ...(theory ? [`Theory: ${citationLabel(citationOf(theory))}.`] : []),
  ].join(' ');
}

function commentMessages(signal: SignalForComment, passages: Passage[], language: AnswerLanguage) {
  const theory = passages.length ? `Passages from the trader's theory:\n\n${passagesBlock(passages)}` : "No passages from the trader's theory were found.";
  return [
    new SystemMessage(
      [
        'You write a short comment on a trading signal for a discretionary crypto trader.',
        'Exactly 2 to 4 sentences. Name the signal\'s main strengths and weaknesses, and cite the trader\'s theory that applies to this setup ' +
          'with the passage labels, e.g. [Theory.pdf, p. 12]. Cite only the passages given. The trader\'s theory outranks your own knowledge.',
        'Do not change or invent any numbers. No greeting, no advice to trade or not: the trader decides.',
        language === 'ru' ? 'Write in Russian. Пиши по-русски.' : 'Write in English.',
      ].join('\n'),
    ),
    new HumanMessage(
      `Signal: ${signal.side} ${signal.symbol} ${signal.timeframe}, setup "${signal.setupName}" (${signal.setupId}); entry ${signal.entry}, ` +
        `stop ${signal.stop}, targets ${signal.targets.join(', ')}, R:R ${signal.rr}, score ${signal.score}/10.\n` +
        `Strengths: ${signal.reasons.strengths.join('; ') || 'none'}.\nWeaknesses: ${signal.reasons.weaknesses.join('; ') || 'none'}.\n\n${theory}`,
    ),
  ];
}

/** Models sometimes run long; the caption has room for four sentences at most. Citations hold dots ("p. 12"). */
function firstSentences(text: string, max: number): string {
  const held: string[] = [];
  const masked = text.replace(/\s+/g, ' ').trim().replace(/\[[^\]]*\]/g, (c) => `\u0000${held.push(c) - 1}\u0000`);
  const sentences = masked.split(/(?<=[.!?])\s+(?=\S)/);
  return sentences
    .slice(0, max)
    .join(' ')
    .replace(/\u0000(\d+)\u0000/g, (_, i: string) => held[Number(i)])
    .trim();
}
