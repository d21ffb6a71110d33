/**
 * Query rewriting with the bilingual vocabulary (vocabulary/*.ts). The offline embedding and BM25 match surface
 * forms, so without it a Russian question can never find an English document (and vice versa). The query's words
 * are matched against the vocabulary's phrases, longest phrase first, by stem or (for Russian, whose stemmer
 * sometimes over-strips) by a five-letter prefix. Each matched concept contributes:
 *  - its phrases in the other language → the translated query (searched as its own ranking);
 *  - its other same-language phrases → synonyms added to the own-language query at a lower weight;
 *  - all its stems → what counts as "this query word is covered" for coverage and the "not covered" decision.
 */
import { analyze, type AnalyzedWord } from './text.ts';
import { languageOf, PHRASES_BY_FIRST, type Concept, type Language, type Phrase, type PhraseRef } from './vocabulary/index.ts';

/** Weight of a same-language synonym and of an everyday word's translation, relative to the trader's own words. */
const SYNONYM_WEIGHT = 0.5;
const GENERIC_TRANSLATION_WEIGHT = 0.4;

export interface ExpandedQuery {
  language: Language;
  /** The query's own stems. */
  terms: string[];
  /** The query's own search tokens (stems plus Russian prefixes) for BM25. */
  searchTerms: string[];
  /** Own-language synonyms of matched concepts (search tokens), searched beside `searchTerms` at `weights`. */
  synonyms: string[];
  /** Search tokens of the translated query in the other language (none already in `terms`). */
  added: string[];
  /** The translated query as text, for the embedding. */
  addedText: string;
  /** BM25 weight per synonym / translated token (1 when absent). */
  weights: Map<string, number>;
  /** For each own term, every token that renders it (itself, its prefix, its concept's phrases): for its weight. */
  equivalents: Map<string, Set<string>>;
  /** What coverage checks: each own word, or each matched phrase as a whole (see CoverageUnit). */
  units: CoverageUnit[];
  /** Concepts the query mentions (ids), e.g. to tell whether a passage is about the question's topic. */
  concepts: number[];
}

/**
 * One thing the question asks about. A matched phrase is covered only when a chunk contains one of its concept's
 * phrases whole ("ордер-блок" is not covered by a chunk that merely says "ордер"); an unmatched word by itself.
 */
export interface CoverageUnit {
  /** The query's own stems this unit stands for; their weights add up. */
  terms: string[];
  /** Covered when a chunk contains every word of one alternative; a word is present when any of its tokens is. */
  alternatives: string[][][];
  /** How many alternatives at the front are the query's own words (the rest are translations and synonyms). */
  own: number;
  /** The alternatives that say how rare the unit is: its own words and its first translation (an everyday word's
   * other synonyms would make every unit look common). */
  weighing: string[][][];
}

function wordMatches(query: AnalyzedWord, phrase: AnalyzedWord): boolean {
  return query.stem === phrase.stem || (query.prefix !== undefined && query.prefix === phrase.prefix);
}

/**
 * Longest vocabulary phrase starting at word i; among equally long ones the one with most words written exactly as
 * in the query, because stems conflate ("liquidity" and "liquidation" are both "liquid").
 */
function matchAt(words: AnalyzedWord[], i: number): PhraseRef | undefined {
  const candidates = [...(PHRASES_BY_FIRST.get(words[i].stem) ?? []), ...(words[i].prefix ? (PHRASES_BY_FIRST.get(words[i].prefix!) ?? []) : [])];
  let best: PhraseRef | undefined;
  let bestKey = -1;
  for (const ref of candidates) {
    const n = ref.phrase.words.length;
    if (i + n > words.length) continue;
    if (!ref.phrase.words.every((w, j) => wordMatches(words[i + j], w))) continue;
    const exact = ref.phrase.words.filter((w, j) => w.surface === words[i + j].surface).length;
    const key = n * 100 + exact;
    if (key > bestKey) {
      best = ref;
      bestKey = key;
    }
  }
  return best;
}

const wordTokens = (w: AnalyzedWord): string[] => (w.prefix ? [w.stem, w.prefix] : [w.stem]);
/** A phrase as coverage checks it: its words, the halves of a compound left to the joined word. */
const requirement = (words: AnalyzedWord[]): string[][] => words.filter((w) => !w.part).map(wordTokens);

const tokensOf = (words: AnalyzedWord[]): string[] => words.flatMap((w) => (w.prefix ? [w.stem, w.prefix] : [w.stem]));

/** What a matched phrase contributes to a query in a given language: the same for every query, so built once. */
interface MatchRendering {
  /** Translations' texts, for the translated query's embedding. */
  texts: string[];
  /** Search tokens of the translations and of the same-language synonyms (none for an everyday word). */
  translationTokens: string[];
  synonymTokens: string[];
  /** Every phrase's tokens: what renders the matched words. */
  everyStem: string[];
  /** Coverage alternatives after the query's own words: synonyms, then translations. */
  otherAlternatives: string[][][];
  synonymCount: number;
  /** The first translation as coverage weighs it (none when the concept has no other-language phrase). */
  weighingTranslation: string[][][];
}

const renderings = new WeakMap<Phrase, Partial<Record<Language, MatchRendering>>>();

function renderingOf({ concept, phrase }: PhraseRef, language: Language): MatchRendering {
  const byLanguage = renderings.get(phrase) ?? {};
  let rendering = byLanguage[language];
  if (rendering) return rendering;
  const foreign = concept.phrases.filter((p) => p.language !== language);
  const same = concept.phrases.filter((p) => p.language === language && p !== phrase);
  // An everyday word's translation: only its first rendering, so "price" does not become every word for price.
  const translations = concept.generic ? foreign.slice(0, 1) : foreign;
  rendering = {
    texts: translations.map((p) => p.text),
    translationTokens: tokensOf(translations.flatMap((p) => p.words)),
    synonymTokens: concept.generic ? [] : tokensOf(same.flatMap((p) => p.words)),
    everyStem: concept.phrases.flatMap((p) => tokensOf(p.words)),
    otherAlternatives: [...same.map((p) => requirement(p.words)), ...foreign.map((p) => requirement(p.words))],
    synonymCount: same.length,
    weighingTranslation: foreign.slice(0, 1).map((p) => requirement(p.words)),
  };
  byLanguage[language] = rendering;
  renderings.set(phrase, byLanguage);
  return rendering;
}

export function expandQuery(query: string): ExpandedQuery {
  const words = analyze(query);
  const language = languageOf(query);
  const terms = words.map((w) => w.stem);
  const searchTerms = tokensOf(words);
  const own = new Set(searchTerms);
  const equivalents = new Map<string, Set<string>>();
  for (const w of words) {
    const set = equivalents.get(w.stem) ?? new Set([w.stem]);
    if (w.prefix) set.add(w.prefix);
    equivalents.set(w.stem, set);
  }
  const weights = new Map<string, number>();
  const synonyms = new Set<string>();
  const added = new Set<string>();
  const addedText: string[] = [];
  const concepts: Concept[] = [];
  const units: CoverageUnit[] = [];
  const setWeight = (token: string, weight: number): void => {
    if (!own.has(token)) weights.set(token, Math.max(weight, weights.get(token) ?? 0));
  };

  for (let i = 0; i < words.length; ) {
    const match = matchAt(words, i);
    if (!match) {
      // Numbers and tickers read the same in both languages ("SEC 611", "RSI 14").
      if (/\d/.test(words[i].stem)) addedText.push(words[i].stem);
      const alone = words[i].part ? [] : [[wordTokens(words[i])]];
      if (alone.length > 0) units.push({ terms: [words[i].stem], alternatives: alone, own: 1, weighing: alone });
      i++;
      continue;
    }
    const { concept } = match;
    if (!concepts.includes(concept)) concepts.push(concept);
    const rendering = renderingOf(match, language);
    addedText.push(...rendering.texts);
    for (const token of rendering.translationTokens) {
      if (own.has(token)) continue;
      added.add(token);
      setWeight(token, concept.generic ? GENERIC_TRANSLATION_WEIGHT : 1);
    }
    for (const token of rendering.synonymTokens) {
      if (own.has(token)) continue;
      synonyms.add(token);
      setWeight(token, SYNONYM_WEIGHT);
    }
    const span = words.slice(i, i + match.phrase.words.length);
    for (const w of span) for (const token of rendering.everyStem) equivalents.get(w.stem)?.add(token);
    const ownAlternative = requirement(span);
    units.push({
      terms: span.map((w) => w.stem),
      alternatives: [ownAlternative, ...rendering.otherAlternatives],
      own: 1 + rendering.synonymCount,
      weighing: [ownAlternative, ...rendering.weighingTranslation],
    });
    i += span.length;
  }
  return {
    language,
    terms,
    searchTerms,
    synonyms: [...synonyms],
    added: [...added],
    addedText: addedText.join(' '),
    weights,
    equivalents,
    units,
    concepts: concepts.map((c) => c.id),
  };
}
