/**
 * Word tokens for BM25 and relevance: lower-cased, ё folded to е, stemmed with the Snowball stemmer of the word's
 * script (Cyrillic → Russian, Latin → English), stop words dropped. Mixed RU/EN documents are the norm here.
 */
import { createRequire } from 'node:module';

interface Stemmer {
  stem(word: string): string;
}
const require = createRequire(import.meta.url);
const snowball = require('snowball-stemmers') as { newStemmer(name: string): Stemmer };
const russian = snowball.newStemmer('russian');
const english = snowball.newStemmer('english');

const STOP_WORDS = new Set(
  (
    'a an the and or but if then else of to in on at by for with from into about as is are was were be been being ' +
    'it its this that these those there here what which who whom whose when where why how do does did doing done ' +
    'can could should would will shall may might must i you he she we they me my your our their them his her not no ' +
    'so than too very just also only any all some such own same other more most much many each few both s t ' +
    'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от ' +
    'меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ' +
    'ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего ' +
    'раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем ' +
    'чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через ' +
    'эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя ' +
    'такой им более всегда конечно всю между это как такое также каков какие каким что-то зачем почему нужно одну одна одно сколько стоит стоят можно ли какие каких которые который которая ' +
    'бывает бывают является являются являться нужен нужна нужны следует должен должна должно должны каков какова каковы чем-то ' +
    'тот та те то-есть вообще именно ещё свой своя свои своё мой моя мои наш наша наши ваш ваша ваши ' +
    // Verbs that frame a question ("как работает X", "what does X mean") rather than name its subject.
    'работает работают работать несёт несет несут нести делает делают делать сделать помогает помогают происходит ' +
    'происходят называется называют означает значит считается считаются ' +
    'work works working mean means meant happen happens called'
  ).split(/\s+/),
);

const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
const CYRILLIC = /[\u0400-\u04ff]/;

export function normalizeWord(word: string): string {
  return word.toLowerCase().replace(/ё/g, 'е').replace(/’/g, "'");
}

// Stemming dominates tokenization time; a bounded cache makes re-tokenizing 100k chunks several times faster.
const stemCache = new Map<string, string>();

export function stemWord(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    stem = CYRILLIC.test(word) ? russian.stem(word) : english.stem(word);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, stem);
  }
  return stem;
}

/** Content-word stems in text order (repeats kept: BM25 needs term frequency). */
export function tokenize(text: string): string[] {
  return analyze(text).map((w) => w.stem);
}

export interface AnalyzedWord {
  stem: string;
  /** The word as written, lower-cased (English stems conflate "liquidity" and "liquidation"; the vocabulary must not). */
  surface: string;
  /**
   * For longer Russian words, a marked five-letter prefix of the word itself. Snowball Russian sometimes
   * over-strips ("прибыли" → "приб" but "прибыль" → "прибыл"); the prefix still matches the two forms.
   */
  prefix?: string;
  /** One half of a hyphenated compound ("stop" of "stop-loss"): searched, but the joined word stands for it. */
  part?: boolean;
}

export function analyze(text: string): AnalyzedWord[] {
  const out: AnalyzedWord[] = [];
  for (const match of text.matchAll(WORD)) {
    const parts = splitCompound(normalizeWord(match[0]));
    parts.forEach((part, i) => {
      if (part.length < 2 && !/\d/.test(part)) return;
      if (STOP_WORDS.has(part)) return;
      const stem = stemWord(part);
      const word: AnalyzedWord = { stem, surface: part };
      // A joined compound ("ордерблок") gets no prefix: "~ордер" would match every "ордер".
      if (part.length >= 6 && CYRILLIC.test(part) && parts.length === 1) word.prefix = `~${part.slice(0, 5)}`;
      if (i > 0) word.part = true;
      out.push(word);
    });
  }
  return out;
}

/** Stems plus Russian prefixes: what BM25 indexes and matches. */
export function searchTokens(text: string): string[] {
  const out: string[] = [];
  for (const w of analyze(text)) {
    out.push(w.stem);
    if (w.prefix) out.push(w.prefix);
  }
  return out;
}

/** "stop-loss" also counts as "stop" and "loss", so "stop loss" and "stop-loss" match each other. */
function splitCompound(word: string): string[] {
  if (!word.includes('-')) return [word];
  return [word.replace(/-/g, ''), ...word.split('-')];
}
