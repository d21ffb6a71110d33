/**
 * The offline embedding: character 3- and 4-grams of each word, hashed into a fixed number of buckets (signed, so
 * collisions cancel instead of piling up), weighted by sublinear TF × IDF and L2-normalized. Character n-grams
 * survive Russian inflection and typos without a model download; BM25 covers exact words.
 * IDF is per bucket and learned from the indexed chunks (`observe`); its state is saved with the vector index.
 */
import type { Embedder } from '../types.ts';
import { normalizeWord } from '../retrieval/text.ts';

export const LOCAL_EMBEDDING_DEFAULT_DIMENSIONS = 384;
const WORD = /[\p{L}\p{N}]+/gu;

export interface LocalEmbedderState {
  docs: number;
  df: number[];
}

/** An embedder that learns corpus statistics from the chunks it indexes. */
export interface AdaptiveEmbedder extends Embedder {
  observe(texts: string[]): void;
  exportState(): LocalEmbedderState;
  importState(state: LocalEmbedderState): void;
  resetState(): void;
}

/**
 * `stored` plus what one instance observed between `before` and `after`: how an ingest adds its chunks' statistics to
 * the shared state when other instances may have added theirs since (a plain overwrite would drop theirs).
 */
export function mergeObservations(stored: LocalEmbedderState | undefined, before: LocalEmbedderState, after: LocalEmbedderState): LocalEmbedderState {
  if (!stored || stored.df.length !== after.df.length || before.df.length !== after.df.length) return after;
  return { docs: stored.docs + after.docs - before.docs, df: stored.df.map((df, i) => df + after.df[i] - before.df[i]) };
}

export function isAdaptive(embedder: Embedder): embedder is AdaptiveEmbedder {
  return typeof (embedder as AdaptiveEmbedder).observe === 'function';
}

export class LocalHashEmbedder implements AdaptiveEmbedder {
  readonly id: string;
  readonly dimensions: number;
  private df: Float64Array;
  private docs = 0;

  constructor(dimensions = LOCAL_EMBEDDING_DEFAULT_DIMENSIONS) {
    this.dimensions = dimensions;
    this.id = `local-hash-ngram-v1-${dimensions}`;
    this.df = new Float64Array(dimensions);
  }

  observe(texts: string[]): void {
    for (const text of texts) {
      const seen = new Set<number>();
      forEachGram(text, (hash) => seen.add(hash % this.dimensions));
      for (const bucket of seen) this.df[bucket]++;
      this.docs++;
    }
  }

  exportState(): LocalEmbedderState {
    return { docs: this.docs, df: Array.from(this.df) };
  }

  importState(state: LocalEmbedderState): void {
    if (state.df.length !== this.dimensions) return;
    this.docs = state.docs;
    this.df = Float64Array.from(state.df);
  }

  resetState(): void {
    this.docs = 0;
    this.df = new Float64Array(this.dimensions);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): Float32Array {
    const counts = new Float64Array(this.dimensions);
    forEachGram(text, (hash) => {
      // The top bit decides the sign: independent of the bucket (low bits), so colliding grams cancel on average.
      counts[hash % this.dimensions] += hash & 0x80000000 ? -1 : 1;
    });
    const vector = new Float32Array(this.dimensions);
    let norm = 0;
    for (let i = 0; i < this.dimensions; i++) {
      const c = counts[i];
      if (c === 0) continue;
      const tf = Math.sign(c) * (1 + Math.log(Math.abs(c)));
      const idf = Math.log((this.docs + 1) / (this.df[i] + 1)) + 1;
      vector[i] = tf * idf;
      norm += vector[i] * vector[i];
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < this.dimensions; i++) vector[i] /= norm;
    return vector;
  }
}

function forEachGram(text: string, visit: (hash: number) => void): void {
  for (const match of text.matchAll(WORD)) {
    const word = ` ${normalizeWord(match[0])} `;
    for (let n = 3; n <= 4; n++) {
      for (let i = 0; i + n <= word.length; i++) visit(fnv1a(word, i, i + n));
    }
  }
}

/** FNV-1a over UTF-16 code units, as an unsigned 32-bit integer. */
function fnv1a(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
