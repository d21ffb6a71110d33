/**
 * BM25 (Robertson/Sparck Jones, k1 = 1.2, b = 0.75) over stemmed words, updated in place as chunks come and go.
 * Postings live in typed arrays: a base segment read straight from the saved snapshot (bm25-snapshot.ts) plus small
 * per-term tails for chunks added since. Statistics (N, document frequencies, average length) count live chunks
 * only, so after any sequence of adds and removals the scores equal those of an index built from scratch.
 */
import type { Bm25Snapshot } from './bm25-snapshot.ts';
import { BOUND_AVERAGE_SLACK, maxImpact, maxScoreTopK, type ImpactBounds, type TermPostings } from './bm25-topk.ts';

const K1 = 1.2;
const B = 0.75;
/** Term frequencies are stored as 16-bit; a word repeated 65,535 times in one chunk has long saturated anyway. */
const MAX_TF = 0xffff;

export interface ScoredChunk {
  chunkId: number;
  score: number;
}

/** Growable typed arrays, so the top-k cursors read a tail like the base segment. */
interface Tail {
  docs: Int32Array;
  freqs: Uint16Array;
  length: number;
}

const EMPTY_DOCS = new Int32Array(0);
const EMPTY_FREQS = new Uint16Array(0);

const LIVE = 0;
const REMOVING = 1;
const REMOVED = 2;

export class Bm25Index {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Live document frequency per term id. */
  private readonly df: number[] = [];
  // Base segment: postings of term t are [baseStart[t], baseStart[t + 1]) in baseDocs / baseFreqs, sorted by doc.
  private baseStart: Int32Array<ArrayBufferLike> = new Int32Array(1);
  private baseDocs: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private baseFreqs: Uint16Array<ArrayBufferLike> = new Uint16Array(0);
  /** Postings added since the base segment, per term id; docs only grow, so base + tail stays sorted. */
  private readonly tails: Array<Tail | undefined> = [];

  private chunkIds: number[] = [];
  private lengths: number[] = [];
  private state = new Uint8Array(1024);
  /** Chunk id → document number for chunks added since the snapshot (and for a snapshot whose ids are not ascending). */
  private readonly docOfChunk = new Map<number, number>();
  /** The snapshot's chunk ids when ascending (always, in practice): found by binary search instead of 100k Map entries. */
  private baseSortedIds: Int32Array<ArrayBufferLike> | undefined;
  private live = 0;
  private totalLength = 0;
  /** K1 · (1 − B + B · length / average length) per document; depends on the average, so reset by every change. */
  private lengthNorms: Float64Array | undefined;
  /** The smallest live length norm (for score ceilings); reset with lengthNorms. */
  private minNormCache: number | undefined;
  /** Highest term frequency per term id, computed on first use; only grows (a removal leaves a valid ceiling). */
  private readonly maxTf: number[] = [];
  /** Norms at `boundAverage` (≥ the live average length), from which block bounds are computed. */
  private boundNorms = new Float64Array(0);
  /** Documents whose bound norm is set. */
  private boundNormsCount = 0;
  private boundAverage = 0;
  /**
   * Impact bounds per term id: the base segment's, valid while `boundAverage` is the one it was computed at, and the
   * tail's for the tail's length then (an add recomputes only the tail's).
   */
  private readonly boundCache: Array<{ average: number; tailLength: number; bounds: ImpactBounds } | undefined> = [];

  static fromSnapshot(snapshot: Bm25Snapshot): Bm25Index {
    const index = new Bm25Index();
    snapshot.terms.forEach((term, t) => {
      index.termIds.set(term, t);
      index.terms.push(term);
      index.df.push(snapshot.postingStart[t + 1] - snapshot.postingStart[t]);
      index.tails.push(undefined);
      index.maxTf.push(snapshot.maxTf[t]);
    });
    index.baseStart = snapshot.postingStart;
    index.baseDocs = snapshot.postingDocs;
    index.baseFreqs = snapshot.postingFreqs;
    const n = snapshot.chunkIds.length;
    index.state = new Uint8Array(Math.max(1024, n * 2));
    index.chunkIds = Array.from(snapshot.chunkIds);
    index.lengths = Array.from(snapshot.lengths);
    let ascending = true;
    for (let doc = 0; doc < n; doc++) {
      index.totalLength += snapshot.lengths[doc];
      if (doc > 0 && snapshot.chunkIds[doc] <= snapshot.chunkIds[doc - 1]) ascending = false;
    }
    if (ascending) index.baseSortedIds = snapshot.chunkIds;
    else for (let doc = 0; doc < n; doc++) index.docOfChunk.set(snapshot.chunkIds[doc], doc);
    index.live = n;
    return index;
  }

  get size(): number {
    return this.live;
  }

  contains(chunkId: number): boolean {
    return this.docOf(chunkId) !== undefined;
  }

  /** The live document number of a chunk, undefined for unknown or removed chunks. */
  private docOf(chunkId: number): number | undefined {
    const base = this.baseSortedIds;
    if (base) {
      const at = lowerBound(base, 0, base.length, chunkId);
      if (at < base.length && base[at] === chunkId) return this.state[at] === LIVE ? at : undefined;
    }
    return this.docOfChunk.get(chunkId);
  }

  /** Adds a chunk's tokens; adding a chunk that is already indexed changes nothing (a replayed log is harmless). */
  add(chunkId: number, tokens: string[]): void {
    if (this.docOf(chunkId) !== undefined) return;
    const doc = this.chunkIds.length;
    this.chunkIds.push(chunkId);
    this.lengths.push(tokens.length);
    if (doc >= this.state.length) {
      const grown = new Uint8Array(this.state.length * 2);
      grown.set(this.state);
      this.state = grown;
    }
    this.docOfChunk.set(chunkId, doc);
    this.live++;
    this.totalLength += tokens.length;
    this.lengthNorms = undefined;
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.terms.length;
        this.termIds.set(term, id);
        this.terms.push(term);
        this.df.push(0);
        this.tails.push(undefined);
      }
      const tail = this.tails[id] ?? (this.tails[id] = { docs: new Int32Array(4), freqs: new Uint16Array(4), length: 0 });
      if (tail.length === tail.docs.length) {
        tail.docs = grow(tail.docs, new Int32Array(tail.length * 2));
        tail.freqs = grow(tail.freqs, new Uint16Array(tail.length * 2));
      }
      tail.docs[tail.length] = doc;
      tail.freqs[tail.length] = Math.min(tf, MAX_TF);
      tail.length++;
      this.df[id]++;
      if (this.maxTf[id] !== undefined && this.maxTf[id] < tf) this.maxTf[id] = Math.min(tf, MAX_TF);
    }
  }

  /**
   * Removes chunks (unknown ids are ignored). The documents' postings stay until the next snapshot compacts them,
   * but every statistic drops them now: one pass over the postings finds the terms whose frequency falls.
   */
  remove(chunkIds: Iterable<number>): void {
    let removing = 0;
    for (const chunkId of chunkIds) {
      const doc = this.docOf(chunkId);
      if (doc === undefined) continue;
      this.docOfChunk.delete(chunkId);
      this.state[doc] = REMOVING;
      this.live--;
      this.totalLength -= this.lengths[doc];
      removing++;
    }
    if (removing === 0) return;
    this.lengthNorms = undefined;
    const state = this.state;
    for (let t = 0; t < this.terms.length; t++) {
      let gone = 0;
      for (let i = this.baseStart[t] ?? 0, end = this.baseEnd(t); i < end; i++) if (state[this.baseDocs[i]] === REMOVING) gone++;
      const tail = this.tails[t];
      if (tail) for (let i = 0; i < tail.length; i++) if (state[tail.docs[i]] === REMOVING) gone++;
      this.df[t] -= gone;
    }
    for (let doc = 0; doc < this.chunkIds.length; doc++) if (state[doc] === REMOVING) state[doc] = REMOVED;
  }

  /** Live chunks containing the term. */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.df[id];
  }

  /** Inverse document frequency as BM25 scores it; a term no chunk contains gets the highest value. */
  idf(term: string): number {
    return this.idfOf(this.documentFrequency(term));
  }

  idfOf(documentFrequency: number): number {
    return Math.log(1 + (this.live - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /** Whether the chunk contains the term (false for unknown or removed chunks): a binary search in its postings. */
  has(chunkId: number, term: string): boolean {
    const doc = this.docOf(chunkId);
    return doc !== undefined && this.docHas(doc, term);
  }

  /** `has` for one chunk and many terms: the chunk's document number is looked up once (re-ranking asks dozens). */
  containsFor(chunkId: number): (term: string) => boolean {
    const doc = this.docOf(chunkId);
    return doc === undefined ? () => false : (term) => this.docHas(doc, term);
  }

  private docHas(doc: number, term: string): boolean {
    const id = this.termIds.get(term);
    if (id === undefined) return false;
    if (id < this.baseStart.length - 1 && searchSorted(this.baseDocs, this.baseStart[id], this.baseStart[id + 1], doc)) return true;
    const tail = this.tails[id];
    return tail !== undefined && searchSorted(tail.docs, 0, tail.length, doc);
  }

  /**
   * Best k chunks for the terms; `weights` lets glossary translations count less than the trader's own words.
   * Exact top k (bm25-topk.ts); each score sums the terms' parts highest ceiling first (plan order).
   */
  search(terms: string[], k: number, weights?: Map<string, number>): ScoredChunk[] {
    if (this.live === 0 || terms.length === 0 || k <= 0) return [];
    const norms = this.lengthNormsNow();
    const plan = this.plan(terms, weights);
    if (plan.length === 0) return [];
    const postings = plan.map(({ id, scale }): TermPostings => ({ ...this.postingsOf(id), bounds: this.boundsOf(id), scale }));
    const top = maxScoreTopK({ terms: postings, k, norms, state: this.state, chunkIds: this.chunkIds });
    return top.map(({ doc, score }) => ({ chunkId: this.chunkIds[doc], score }));
  }

  private postingsOf(id: number): Omit<TermPostings, "bounds" | "scale"> {
    const inBase = id < this.baseStart.length - 1;
    const tail = this.tails[id];
    return {
      docs: this.baseDocs,
      freqs: this.baseFreqs,
      from: inBase ? this.baseStart[id] : 0,
      to: inBase ? this.baseStart[id + 1] : 0,
      tailDocs: tail?.docs ?? EMPTY_DOCS,
      tailFreqs: tail?.freqs ?? EMPTY_FREQS,
      tailLength: tail?.length ?? 0,
    };
  }

  /** A term's impact bounds, computed on its first query and again only when the bound average moved. */
  private boundsOf(id: number): ImpactBounds {
    const norms = this.boundNormsNow();
    const p = this.postingsOf(id);
    let cached = this.boundCache[id];
    if (!cached || cached.average !== this.boundAverage) {
      const bounds = { baseMax: maxImpact(p.docs, p.freqs, p.from, p.to, norms), tailMax: -1 };
      cached = this.boundCache[id] = { average: this.boundAverage, tailLength: -1, bounds };
    }
    if (cached.tailLength !== p.tailLength) {
      cached.bounds.tailMax = maxImpact(p.tailDocs, p.tailFreqs, 0, p.tailLength, norms);
      cached.tailLength = p.tailLength;
    }
    return cached.bounds;
  }

  /**
   * Norms for an average length a little above the live one: a shorter norm only raises tf / (tf + norm), so bounds
   * from them stay upper bounds while adds move the average up to the slack (and for ever after removals lower it).
   * Chunks added meanwhile get their norms at the same average, so the older bounds stay valid.
   */
  private boundNormsNow(): Float64Array {
    const average = this.totalLength / this.live || 1;
    if (average > this.boundAverage) {
      this.boundAverage = average * BOUND_AVERAGE_SLACK;
      this.boundNormsCount = 0;
    }
    const n = this.lengths.length;
    if (this.boundNorms.length < n) {
      const norms = new Float64Array(Math.max(n, Math.ceil(n * 1.25)));
      norms.set(this.boundNorms.subarray(0, this.boundNormsCount));
      this.boundNorms = norms;
    }
    const avg = this.boundAverage;
    for (let doc = this.boundNormsCount; doc < n; doc++) this.boundNorms[doc] = K1 * (1 - B + (B * this.lengths[doc]) / avg);
    this.boundNormsCount = n;
    return this.boundNorms;
  }

  /** Query terms present in the index with their score scale and ceiling, highest ceiling first. */
  private plan(terms: string[], weights?: Map<string, number>): Array<{ id: number; scale: number; ceiling: number }> {
    const minNorm = this.minNorm;
    const plan: Array<{ id: number; scale: number; ceiling: number }> = [];
    const seen = new Set<number>();
    for (const term of terms) {
      const id = this.termIds.get(term);
      if (id === undefined || seen.has(id) || this.df[id] === 0) continue;
      seen.add(id);
      const df = this.df[id];
      const scale = (weights?.get(term) ?? 1) * Math.log(1 + (this.live - df + 0.5) / (df + 0.5)) * (K1 + 1);
      const maxTf = this.maxTfOf(id);
      plan.push({ id, scale, ceiling: (scale * maxTf) / (maxTf + minNorm) });
    }
    return plan.sort((a, b) => b.ceiling - a.ceiling || a.id - b.id);
  }

  private forEachPosting(id: number, visit: (doc: number, tf: number) => void): void {
    if (id < this.baseStart.length - 1) {
      const docs = this.baseDocs;
      const freqs = this.baseFreqs;
      for (let i = this.baseStart[id], end = this.baseStart[id + 1]; i < end; i++) visit(docs[i], freqs[i]);
    }
    const tail = this.tails[id];
    if (tail) for (let i = 0; i < tail.length; i++) visit(tail.docs[i], tail.freqs[i]);
  }

  private maxTfOf(id: number): number {
    let max = this.maxTf[id];
    if (max === undefined || max < 0) {
      max = 1;
      this.forEachPosting(id, (_doc, tf) => {
        if (tf > max!) max = tf;
      });
      this.maxTf[id] = max;
    }
    return max;
  }

  private get minNorm(): number {
    const norms = this.lengthNormsNow();
    if (this.minNormCache === undefined) {
      let min = Infinity;
      for (let doc = 0; doc < norms.length; doc++) if (this.state[doc] === LIVE && norms[doc] < min) min = norms[doc];
      this.minNormCache = min === Infinity ? 0 : min;
    }
    return this.minNormCache;
  }

  /** The live index, compacted: removed chunks and terms only they used are left out, documents renumbered. */
  snapshot(): Bm25Snapshot {
    const n = this.chunkIds.length;
    const renumber = new Int32Array(n);
    const chunkIds = new Int32Array(this.live);
    const lengths = new Int32Array(this.live);
    let next = 0;
    for (let doc = 0; doc < n; doc++) {
      if (this.state[doc] !== LIVE) {
        renumber[doc] = -1;
        continue;
      }
      renumber[doc] = next;
      chunkIds[next] = this.chunkIds[doc];
      lengths[next] = this.lengths[doc];
      next++;
    }
    const terms: string[] = [];
    let postings = 0;
    for (let t = 0; t < this.terms.length; t++) {
      if (this.df[t] > 0) {
        terms.push(this.terms[t]);
        postings += this.df[t];
      }
    }
    const postingStart = new Int32Array(terms.length + 1);
    const maxTf = new Uint16Array(terms.length);
    const postingDocs = new Int32Array(postings);
    const postingFreqs = new Uint16Array(postings);
    let at = 0;
    let kept = 0;
    const copy = (doc: number, tf: number): void => {
      const renumbered = renumber[doc];
      if (renumbered < 0) return;
      postingDocs[at] = renumbered;
      postingFreqs[at] = tf;
      if (tf > maxTf[kept]) maxTf[kept] = tf;
      at++;
    };
    for (let t = 0; t < this.terms.length; t++) {
      if (this.df[t] === 0) continue;
      for (let i = this.baseStart[t] ?? 0, end = this.baseEnd(t); i < end; i++) copy(this.baseDocs[i], this.baseFreqs[i]);
      const tail = this.tails[t];
      if (tail) for (let i = 0; i < tail.length; i++) copy(tail.docs[i], tail.freqs[i]);
      postingStart[++kept] = at;
    }
    return { chunkIds, lengths, terms, postingStart, postingDocs, postingFreqs, maxTf };
  }

  private baseEnd(term: number): number {
    return term < this.baseStart.length - 1 ? this.baseStart[term + 1] : 0;
  }

  private lengthNormsNow(): Float64Array {
    if (!this.lengthNorms || this.lengthNorms.length < this.lengths.length) {
      this.minNormCache = undefined;
      const avgLength = this.totalLength / this.live || 1;
      this.lengthNorms = Float64Array.from(this.lengths, (length) => K1 * (1 - B + (B * length) / avgLength));
    }
    return this.lengthNorms;
  }
}

/** First position in [from, to) whose value is ≥ target. */
function lowerBound(values: ArrayLike<number>, from: number, to: number, target: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function searchSorted(values: ArrayLike<number>, from: number, to: number, target: number): boolean {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = values[mid];
    if (v === target) return true;
    if (v < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function grow<T extends Int32Array | Uint16Array>(values: T, into: T): T {
  into.set(values);
  return into;
}
