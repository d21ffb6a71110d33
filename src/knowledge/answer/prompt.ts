/**
 * Prompts for answering from the trader's documents. The rules the issue sets: use ONLY the passages, the trader's
 * theory outranks the model's own knowledge, say so when the documents do not cover the question, cite every claim
 * with the passage's label, answer in the question's language.
 */
import { HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { Passage } from '../types.ts';
import { citationLabel, citationOf } from './citations.ts';
import type { AnswerLanguage } from './language.ts';

const LANGUAGE_RULE: Record<AnswerLanguage, string> = {
  ru: 'Answer in Russian: the question is in Russian. Отвечай на русском языке.',
  en: 'Answer in English: the question is in English.',
};

export const NOT_COVERED: Record<AnswerLanguage, string> = {
  ru: 'В ваших документах нет ответа на этот вопрос.',
  en: 'Your documents do not cover this question.',
};

export function answerSystemPrompt(language: AnswerLanguage): string {
  return [
    "You are ITA, the assistant of a discretionary crypto trader. You answer questions from the trader's own documents.",
    'Use ONLY the numbered passages given to you. Do not add facts from your own knowledge.',
    "The trader's theory outranks your own knowledge: where the documents disagree with common opinion, follow the documents.",
    `If the passages do not cover the question, say so plainly (for example: "${NOT_COVERED[language]}") and do not guess.`,
    'Cite every claim with the label of the passage it comes from, exactly as written, e.g. [Theory.pdf, p. 12] or [Notes.md, Risk > Sizing].',
    'Never cite a document or page that is not among the passages.',
    LANGUAGE_RULE[language],
    'Be concise (at most about 200 words). Plain text, no Markdown tables.',
  ].join('\n');
}

export function passagesBlock(passages: Passage[]): string {
  return passages.map((p, i) => `(${i + 1}) ${citationLabel(citationOf(p))}\n${p.text.trim()}`).join('\n\n');
}

export function buildAnswerMessages(question: string, passages: Passage[], language: AnswerLanguage): BaseMessage[] {
  return [
    new SystemMessage(answerSystemPrompt(language)),
    new HumanMessage(`Passages from the trader's documents:\n\n${passagesBlock(passages)}\n\nQuestion: ${question}`),
  ];
}

/** Ensemble members answer as JSON so their answers can vote on whether the documents cover the question. */
export function buildEnsembleMessages(question: string, passages: Passage[], language: AnswerLanguage): BaseMessage[] {
  const [system, human] = buildAnswerMessages(question, passages, language);
  return [
    system,
    new HumanMessage(
      `${human.content as string}\n\nReply with ONLY a JSON object: {"covered": true|false, "answer": "<your answer with citations>"}. ` +
        '"covered" is false when the passages do not answer the question.',
    ),
  ];
}

export function buildCritiqueMessages(question: string, passages: Passage[], language: AnswerLanguage, draft: string): BaseMessage[] {
  return [
    new SystemMessage(answerSystemPrompt(language)),
    new HumanMessage(
      `Passages from the trader's documents:\n\n${passagesBlock(passages)}\n\nQuestion: ${question}\n\nDraft answer by another analyst:\n${draft}\n\n` +
        'Check every claim of the draft against the passages. Remove what they do not support, fix or remove wrong citations, ' +
        'add what the passages say and the draft missed. Reply with the revised answer only.',
    ),
  ];
}

export function buildRiskManagerMessages(question: string, passages: Passage[], language: AnswerLanguage): BaseMessage[] {
  return [
    new SystemMessage(answerSystemPrompt(language)),
    new HumanMessage(
      `Passages from the trader's documents:\n\n${passagesBlock(passages)}\n\nQuestion: ${question}\n\n` +
        'You are the risk manager. In two or three sentences, name what the passages say about the risks, stops, sizing or ' +
        'invalidation relevant to this question, with citations. If they say nothing about risk here, reply with an empty line.',
    ),
  ];
}
