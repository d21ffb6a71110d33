/**
 * BM25 (Robertson/Sparck Jones, k1 = 1.2, b = 0.75) over stemmed words, updated in place as chunks come and go.
 * Postings live in typed arrays: a base segment read straight from the saved snapshot (bm25-snapshot.ts) plus small
 * per-term tails for chunks added since. Statistics (N, document frequencies, average length) count live chunks
 * only, so after any sequence of adds and removals the scores equal those of an index built from scratch.
 */
import type { Bm25Snapshot } from './bm25-snapshot.ts';

const K1 = 1.2;
const B = 0.75;
/** Term frequencies are stored as 16-bit; a word repeated 65,535 times in one chunk has long saturated anyway. */
const MAX_TF = 0xffff;

export interface ScoredChunk {
  chunkId: number;
  score: number;
}

interface Tail {
  docs: number[];
  freqs: number[];
}

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
  // Reused across queries: allocating and zeroing 800 KB per query costs more than scoring a rare term.
  private scratchScores = new Float64Array(0);
  private scratchTouched = new Int32Array(0);
  private scratchValues = new Float64Array(0);

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
      const tail = this.tails[id] ?? (this.tails[id] = { docs: [], freqs: [] });
      tail.docs.push(doc);
      tail.freqs.push(Math.min(tf, MAX_TF));
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
      if (tail) for (const doc of tail.docs) if (state[doc] === REMOVING) gone++;
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
    return tail !== undefined && searchSorted(tail.docs, 0, tail.docs.length, doc);
  }

  /**
   * Best k chunks for the terms; `weights` lets glossary translations count less than the trader's own words.
   * Exact top k with MaxScore-style pruning: terms go rarest-first (by their highest possible contribution); once
   * the contributions still to come could not lift an unseen chunk above the current k-th score, the remaining
   * (common, cheap-to-skip) terms only complete the scores of chunks already seen.
   */
  search(terms: string[], k: number, weights?: Map<string, number>): ScoredChunk[] {
    const n = this.chunkIds.length;
    if (this.live === 0 || terms.length === 0 || k <= 0) return [];
    const norms = this.lengthNormsNow();
    if (this.scratchScores.length < n) {
      this.scratchScores = new Float64Array(n * 2);
      this.scratchTouched = new Int32Array(n * 2);
    }
    const scores = this.scratchScores;
    const touched = this.scratchTouched;
    const plan = this.plan(terms, weights);
    // bound[i]: the most terms i.. can still add to any one chunk.
    const bound = new Float64Array(plan.length + 1);
    for (let i = plan.length - 1; i >= 0; i--) bound[i] = bound[i + 1] + plan[i].ceiling;
    let remainingPostings = 0;
    for (const term of plan) remainingPostings += this.df[term.id];
    let touchedCount = 0;
    let best = 0;
    let closed = false;
    for (let i = 0; i < plan.length; i++) {
      const { id, scale } = plan[i];
      if (!closed && i > 0 && touchedCount >= k && bound[i] * (1 + 1e-9) < best && remainingPostings > touchedCount) {
        const threshold = this.kthScore(scores, touched, touchedCount, k);
        closed = bound[i] * (1 + 1e-9) < threshold;
        // Seen chunks that cannot reach the k-th score even with every remaining term are dropped too, so the
        // remaining terms are looked up for a few hundred chunks instead of scanned.
        if (closed) touchedCount = this.keepReachable(scores, touched, touchedCount, threshold - bound[i] * (1 + 1e-9));
      }
      remainingPostings -= this.df[id];
      if (closed) {
        this.completeSeen(id, scale, scores, touched, touchedCount, norms);
        // A completed term raises the k-th partial score and lowers what is still to come: pruning again leaves the
        // next terms (and the final selection) a fraction of the chunks. A dropped chunk cannot reach the top k.
        if (i + 1 < plan.length && touchedCount > k) {
          const threshold = this.kthScore(scores, touched, touchedCount, k);
          if (threshold !== Infinity) touchedCount = this.keepReachable(scores, touched, touchedCount, threshold - bound[i + 1] * (1 + 1e-9));
        }
        continue;
      }
      // Plain monomorphic loops (typed base segment, then the array tail), not a callback: this is the hot loop.
      if (id < this.baseStart.length - 1) {
        const docs = this.baseDocs;
        const freqs = this.baseFreqs;
        for (let p = this.baseStart[id], end = this.baseStart[id + 1]; p < end; p++) {
          const doc = docs[p];
          const tf = freqs[p];
          const before = scores[doc];
          if (before === 0) touched[touchedCount++] = doc;
          const after = before + (scale * tf) / (tf + norms[doc]);
          scores[doc] = after;
          if (after > best) best = after;
        }
      }
      const tail = this.tails[id];
      if (tail) {
        for (let p = 0; p < tail.docs.length; p++) {
          const doc = tail.docs[p];
          const tf = tail.freqs[p];
          const before = scores[doc];
          if (before === 0) touched[touchedCount++] = doc;
          const after = before + (scale * tf) / (tf + norms[doc]);
          scores[doc] = after;
          if (after > best) best = after;
        }
      }
    }
    const top = this.topK(scores, touched, touchedCount, k);
    for (let i = 0; i < touchedCount; i++) scores[touched[i]] = 0;
    return top;
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
    if (tail) for (let i = 0; i < tail.docs.length; i++) visit(tail.docs[i], tail.freqs[i]);
  }

  /** Adds a term's contribution to chunks already seen only: by lookup when they are few, else by one pass. */
  private completeSeen(id: number, scale: number, scores: Float64Array, touched: Int32Array, count: number, norms: Float64Array): void {
    const from = id < this.baseStart.length - 1 ? this.baseStart[id] : 0;
    const to = id < this.baseStart.length - 1 ? this.baseStart[id + 1] : 0;
    const tail = this.tails[id];
    if (count * 20 < this.df[id]) {
      for (let j = 0; j < count; j++) {
        const doc = touched[j];
        let tf = 0;
        const at = lowerBound(this.baseDocs, from, to, doc);
        if (at < to && this.baseDocs[at] === doc) tf = this.baseFreqs[at];
        else if (tail) {
          const t = lowerBound(tail.docs, 0, tail.docs.length, doc);
          if (t < tail.docs.length && tail.docs[t] === doc) tf = tail.freqs[t];
        }
        if (tf > 0) scores[doc] += (scale * tf) / (tf + norms[doc]);
      }
      return;
    }
    const baseDocs = this.baseDocs;
    const baseFreqs = this.baseFreqs;
    for (let p = from; p < to; p++) {
      const doc = baseDocs[p];
      const before = scores[doc];
      if (before !== 0) scores[doc] = before + (scale * baseFreqs[p]) / (baseFreqs[p] + norms[doc]);
    }
    if (tail) {
      for (let p = 0; p < tail.docs.length; p++) {
        const doc = tail.docs[p];
        const before = scores[doc];
        if (before !== 0) scores[doc] = before + (scale * tail.freqs[p]) / (tail.freqs[p] + norms[doc]);
      }
    }
  }

  /** Keeps the live touched chunks scoring at least `floor` (in place); the others' scores are cleared. */
  private keepReachable(scores: Float64Array, touched: Int32Array, count: number, floor: number): number {
    let kept = 0;
    for (let j = 0; j < count; j++) {
      const doc = touched[j];
      if (this.state[doc] === LIVE && scores[doc] >= floor) touched[kept++] = doc;
      else scores[doc] = 0;
    }
    return kept;
  }

  /**
   * The k-th highest score among live touched chunks. A strided sample's k-th score cannot exceed it, so only the
   * scores at or above the sample's are copied and selected from: a few hundred values instead of 50k.
   */
  private kthScore(scores: Float64Array, touched: Int32Array, count: number, k: number): number {
    if (this.scratchValues.length < count) this.scratchValues = new Float64Array(this.scratchTouched.length);
    const values = this.scratchValues;
    const state = this.state;
    let floor = -Infinity;
    const stride = Math.floor(count / (32 * k));
    if (stride >= 2) {
      let sampled = 0;
      for (let j = 0; j < count; j += stride) if (state[touched[j]] === LIVE) values[sampled++] = scores[touched[j]];
      if (sampled >= k) floor = quickselectDescending(values, sampled, k - 1);
    }
    let m = 0;
    for (let j = 0; j < count; j++) {
      const doc = touched[j];
      if (state[doc] !== LIVE) continue;
      const score = scores[doc];
      if (score >= floor) values[m++] = score;
    }
    if (m < k) return Infinity;
    return quickselectDescending(values, m, k - 1);
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
      if (tail) for (let i = 0; i < tail.docs.length; i++) copy(tail.docs[i], tail.freqs[i]);
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

  /**
   * Best k of the touched documents through a size-k min-heap (worst at the root: lower score, then higher chunk id);
   * sorting 50k hits per query costs more than scoring. Typed and inline: this runs over every touched chunk.
   */
  private topK(scores: Float64Array, touched: Int32Array, count: number, k: number): ScoredChunk[] {
    // Never more entries than touched chunks: a caller asking for k far above the index size allocates nothing big.
    const heap = new Int32Array(Math.min(k, count));
    const chunkIds = this.chunkIds;
    const state = this.state;
    let size = 0;
    for (let j = 0; j < count; j++) {
      const doc = touched[j];
      if (state[doc] !== LIVE) continue;
      const score = scores[doc];
      if (size < k) {
        // Sift up.
        let i = size++;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          const p = heap[parent];
          if (!(score < scores[p] || (score === scores[p] && chunkIds[doc] > chunkIds[p]))) break;
          heap[i] = p;
          i = parent;
        }
        heap[i] = doc;
        continue;
      }
      const root = heap[0];
      if (!(scores[root] < score || (scores[root] === score && chunkIds[root] > chunkIds[doc]))) continue;
      // Replace the root and sift down.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        let m = l;
        const r = l + 1;
        if (r < size && (scores[heap[r]] < scores[heap[l]] || (scores[heap[r]] === scores[heap[l]] && chunkIds[heap[r]] > chunkIds[heap[l]]))) m = r;
        const c = heap[m];
        if (!(scores[c] < score || (scores[c] === score && chunkIds[c] > chunkIds[doc]))) break;
        heap[i] = c;
        i = m;
      }
      heap[i] = doc;
    }
    return Array.from(heap.subarray(0, size), (doc) => ({ chunkId: chunkIds[doc], score: scores[doc] })).sort(
      (a, b) => b.score - a.score || a.chunkId - b.chunkId,
    );
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

/** The value that would sit at `index` if values[0, count) were sorted descending (Hoare's selection, in place). */
function quickselectDescending(values: Float64Array, count: number, index: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (index <= j) hi = j;
    else if (index >= i) lo = i;
    else return values[index];
  }
  return values[index];
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
