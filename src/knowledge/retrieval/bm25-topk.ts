/**
 * Exact BM25 top k, document at a time, with MaxScore (Turtle & Flood, 1995) and block-max bounds (Ding & Suel,
 * 2011). Terms whose ceilings together cannot lift a chunk to the current k-th score are "non-essential": only
 * chunks found in the other (rarer) terms' postings are candidates, and a candidate is dropped as soon as its exact
 * part plus the bounds of the blocks it could still score in fall below the k-th score. On the bench's 100k chunks
 * (words in a quarter to half of all chunks) this reads a few thousand postings instead of ~170k per query.
 *
 * Every kept chunk's score is summed in the caller's term order, so the scores (and so the ties) are bit-for-bit
 * those of the plain sum over all terms.
 */

/** Bounds are computed for an average length this much above the current one, so small adds keep them valid. */
export const BOUND_AVERAGE_SLACK = 1.02;
/** Relative margin on every pruning comparison: bounds and partial sums are rounded differently than final scores. */
const EPSILON = 1e-9;
const END = 0x7fffffff;

/** One term's postings (a base segment then a tail, both sorted by document) and its bounds. */
export interface TermPostings {
  docs: Int32Array;
  freqs: Uint16Array;
  from: number;
  to: number;
  tailDocs: Int32Array;
  tailFreqs: Uint16Array;
  tailLength: number;
  bounds: ImpactBounds;
  /** idf · (k1 + 1) · query weight. */
  scale: number;
}

/** The highest tf / (tf + norm) in a term's base segment and in its tail. */
export interface ImpactBounds {
  baseMax: number;
  tailMax: number;
}

/** Highest tf / (tf + norm) over [from, to) of docs / freqs for the given per-document norms. */
export function maxImpact(docs: Int32Array, freqs: Uint16Array, from: number, to: number, norms: Float64Array): number {
  let max = 0;
  for (let i = from; i < to; i++) {
    const tf = freqs[i];
    const value = tf / (tf + norms[docs[i]]);
    if (value > max) max = value;
  }
  return max;
}

export interface TopKInput {
  /** In summing order (the caller's plan); each kept chunk's score adds the terms' parts in this order. */
  terms: TermPostings[];
  k: number;
  norms: Float64Array;
  /** Per document, 0 when live (removed ones stay in the postings until the next snapshot). */
  state: Uint8Array;
  chunkIds: ArrayLike<number>;
}

/**
 * Best k documents, highest score first, ties by lower chunk id. A term's base segment and its tail are walked as
 * two lists (their documents are disjoint: the tail's come after the base's), each a plain typed array.
 */
export function maxScoreTopK({ terms, k, norms, state, chunkIds }: TopKInput): Array<{ doc: number; score: number }> {
  const lists: Array<{ docs: Int32Array; freqs: Uint16Array; from: number; to: number; plan: number; scale: number; ceiling: number }> = [];
  terms.forEach((t, plan) => {
    if (t.to > t.from) lists.push({ docs: t.docs, freqs: t.freqs, from: t.from, to: t.to, plan, scale: t.scale, ceiling: t.scale * t.bounds.baseMax });
    if (t.tailLength > 0) lists.push({ docs: t.tailDocs, freqs: t.tailFreqs, from: 0, to: t.tailLength, plan, scale: t.scale, ceiling: t.scale * t.bounds.tailMax });
  });
  // Probing order: highest ceiling first; the non-essential lists are a suffix of it.
  lists.sort((a, b) => b.ceiling - a.ceiling || a.plan - b.plan || a.from - b.from);
  const m = lists.length;
  const docsOf = lists.map((l) => l.docs);
  const freqsOf = lists.map((l) => l.freqs);
  const pos = Int32Array.from(lists, (l) => l.from);
  const end = Int32Array.from(lists, (l) => l.to);
  const current = Int32Array.from(lists, (l) => l.docs[l.from]);
  const scales = Float64Array.from(lists, (l) => l.scale);
  const planOf = Int32Array.from(lists, (l) => l.plan);
  // ceilingFrom[j]: the most lists j.. can add to one document.
  const ceilingFrom = new Float64Array(m + 1);
  for (let j = m - 1; j >= 0; j--) ceilingFrom[j] = ceilingFrom[j + 1] + lists[j].ceiling;
  const n = terms.length;
  const parts = new Float64Array(n);
  const heap = new TopHeap(k, chunkIds);
  let essential = m;
  // A document is dropped once its bound falls below `cut`: the k-th score less the rounding margin.
  let cut = -Infinity;

  for (;;) {
    let doc = END;
    for (let i = 0; i < essential; i++) if (current[i] < doc) doc = current[i];
    if (doc === END) break;
    if (state[doc] === 0) {
      const norm = norms[doc];
      let sum = 0;
      for (let i = 0; i < essential; i++) {
        if (current[i] !== doc) continue;
        const tf = freqsOf[i][pos[i]];
        const part = (scales[i] * tf) / (tf + norm);
        parts[planOf[i]] = part;
        sum += part;
      }
      let kept = true;
      for (let j = essential; j < m; j++) {
        if (sum + ceilingFrom[j] < cut) {
          kept = false;
          break;
        }
        const docs = docsOf[j];
        let p = pos[j];
        if (p < end[j] && docs[p] < doc) p = pos[j] = seek(docs, p + 1, end[j], doc);
        if (p === end[j] || docs[p] !== doc) continue;
        const tf = freqsOf[j][p];
        const part = (scales[j] * tf) / (tf + norm);
        parts[planOf[j]] = part;
        sum += part;
      }
      if (kept) {
        let score = 0;
        for (let t = 0; t < n; t++) score += parts[t];
        if (heap.offer(doc, score) && heap.full) {
          cut = heap.minScore * (1 - EPSILON);
          while (essential > 0 && ceilingFrom[essential - 1] < cut) essential--;
        }
      }
      for (let t = 0; t < n; t++) parts[t] = 0;
    }
    // Lists that just turned non-essential keep their position; seek moves forward from it.
    for (let i = 0; i < essential; i++) {
      if (current[i] !== doc) continue;
      const p = ++pos[i];
      current[i] = p < end[i] ? docsOf[i][p] : END;
    }
  }
  return heap.sorted();
}

/** First position in [from, to) whose document is ≥ doc: a few steps, then galloping, then a binary search. */
function seek(docs: Int32Array, from: number, to: number, doc: number): number {
  let p = from;
  for (let i = 0; i < 4; i++, p++) if (p >= to || docs[p] >= doc) return p;
  let step = 8;
  let lo = p;
  while (p + step < to && docs[p + step] < doc) {
    lo = p + step;
    step *= 2;
  }
  let hi = Math.min(p + step, to);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (docs[mid] < doc) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The k best (score, then lower chunk id) documents seen, as a min-heap on typed arrays. */
class TopHeap {
  private readonly docs: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(
    private readonly k: number,
    private readonly chunkIds: ArrayLike<number>,
  ) {
    this.docs = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  get full(): boolean {
    return this.size === this.k;
  }

  get minScore(): number {
    return this.scores[0];
  }

  /** Whether the document was taken in. */
  offer(doc: number, score: number): boolean {
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(score, doc, this.scores[parent], this.docs[parent])) break;
        this.docs[i] = this.docs[parent];
        this.scores[i] = this.scores[parent];
        i = parent;
      }
      this.docs[i] = doc;
      this.scores[i] = score;
      return true;
    }
    if (!this.worse(this.scores[0], this.docs[0], score, doc)) return false;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const m = r < this.size && this.worse(this.scores[r], this.docs[r], this.scores[l], this.docs[l]) ? r : l;
      if (!this.worse(this.scores[m], this.docs[m], score, doc)) break;
      this.docs[i] = this.docs[m];
      this.scores[i] = this.scores[m];
      i = m;
    }
    this.docs[i] = doc;
    this.scores[i] = score;
    return true;
  }

  /** Whether (a score, a doc) ranks below (b score, b doc). */
  private worse(aScore: number, aDoc: number, bScore: number, bDoc: number): boolean {
    return aScore < bScore || (aScore === bScore && this.chunkIds[aDoc] > this.chunkIds[bDoc]);
  }

  sorted(): Array<{ doc: number; score: number }> {
    const out: Array<{ doc: number; score: number }> = [];
    for (let i = 0; i < this.size; i++) out.push({ doc: this.docs[i], score: this.scores[i] });
    return out.sort((a, b) => b.score - a.score || this.chunkIds[a.doc] - this.chunkIds[b.doc]);
  }
}
