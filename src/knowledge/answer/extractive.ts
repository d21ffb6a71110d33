/**
 * The offline answer: without an LLM, the best passages themselves, quoted and cited, so /ask still works.
 */
import type { Passage } from '../types.ts';
import { citationLabel, citationOf } from './citations.ts';
import type { AnswerLanguage } from './language.ts';

const HEADER: Record<AnswerLanguage, string> = {
  ru: 'Из ваших документов (без LLM, дословные выдержки):',
  en: 'From your documents (no LLM, quoted passages):',
};

export const EXCERPT_CHARS = 600;

export function extractiveHeader(language: AnswerLanguage): string {
  return HEADER[language];
}

/** Cuts at a sentence or word boundary near the limit so a quote never ends mid-word. */
export function excerpt(text: string, limit = EXCERPT_CHARS): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= limit) return clean;
  const cut = clean.slice(0, limit);
  const sentenceEnd = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  if (sentenceEnd > limit * 0.6) return cut.slice(0, sentenceEnd + 1);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > 0 ? space : limit)} …`;
}

export function extractiveAnswer(passages: Passage[], language: AnswerLanguage, maxPassages = 3): string {
  const quoted = passages.slice(0, maxPassages).map((p, i) => `${i + 1}. «${excerpt(p.text)}» ${citationLabel(citationOf(p))}`);
  return [HEADER[language], ...quoted].join('\n\n');
}
