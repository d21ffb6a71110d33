/**
 * The bilingual vocabulary as data: concepts with English and Russian phrases, each phrase pre-analyzed into the
 * stems the tokenizer produces, and an index from a phrase's first stem to the phrases starting with it.
 */
import { analyze, type AnalyzedWord } from '../text.ts';
import { ANALYSIS_VOCABULARY } from './analysis.ts';
import { TRADING_VOCABULARY } from './trading.ts';

const CYRILLIC = /[\u0400-\u04ff]/;

export type Language = 'en' | 'ru';

export interface Phrase {
  text: string;
  language: Language;
  words: AnalyzedWord[];
}

export interface Concept {
  id: number;
  /** An everyday word: translated at a lower weight (see trading.ts). */
  generic: boolean;
  phrases: Phrase[];
}

export function languageOf(text: string): Language {
  const letters = text.match(/\p{L}/gu) ?? [];
  return letters.filter((c) => CYRILLIC.test(c)).length * 2 > letters.length ? 'ru' : 'en';
}

function parse(source: string, firstId: number): Concept[] {
  const concepts: Concept[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('//')) continue;
    const generic = line.startsWith('~');
    const [en, ru] = line.replace(/^~/, '').split('=');
    if (ru === undefined) throw new Error(`vocabulary line without "=": ${line}`);
    const phrases: Phrase[] = [];
    for (const [side, language] of [[en, 'en'], [ru, 'ru']] as const) {
      for (const text of side.split('|').map((p) => p.trim()).filter(Boolean)) {
        const words = analyze(text);
        if (words.length > 0) phrases.push({ text, language, words });
      }
    }
    concepts.push({ id: firstId + concepts.length, generic, phrases });
  }
  return concepts;
}

const TRADING = parse(TRADING_VOCABULARY, 0);
export const CONCEPTS: Concept[] = [...TRADING, ...parse(ANALYSIS_VOCABULARY, TRADING.length)];

export interface PhraseRef {
  concept: Concept;
  phrase: Phrase;
}

/** First stem (and first Russian prefix) → phrases starting with it, longest first. */
export const PHRASES_BY_FIRST = new Map<string, PhraseRef[]>();
for (const concept of CONCEPTS) {
  for (const phrase of concept.phrases) {
    const first = phrase.words[0];
    for (const key of new Set([first.stem, first.prefix].filter((k): k is string => k !== undefined))) {
      const list = PHRASES_BY_FIRST.get(key) ?? [];
      list.push({ concept, phrase });
      PHRASES_BY_FIRST.set(key, list);
    }
  }
}
for (const list of PHRASES_BY_FIRST.values()) list.sort((a, b) => b.phrase.words.length - a.phrase.words.length);
