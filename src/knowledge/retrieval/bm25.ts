/**
 * In-memory BM25 (Robertson/Sparck Jones, k1 = 1.2, b = 0.75) over stemmed words. Rebuilt from SQLite on open;
 * postings are plain arrays because the corpus of one trader's documents fits in memory with room to spare.
 */

const K1 = 1.2;
const B = 0.75;

interface Posting {
  id: number;
  docs: number[];
  freqs: number[];
}

export interface ScoredChunk {
  chunkId: number;
  score: number;
}

export class Bm25Index {
  private readonly postings = new Map<string, Posting>();
  private readonly chunkIds: number[] = [];
  private readonly docOfChunk = new Map<number, number>();
  /** Forward index: each document's distinct term ids, sorted, so "does chunk X contain term T" needs no re-tokenizing. */
  private readonly docTerms: Int32Array[] = [];
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private removed = new Set<number>();
  /** K1 · (1 − B + B · length / average length) per document; depends on the average, so reset by every add. */
  private lengthNorms: Float64Array | undefined;

  get size(): number {
    return this.chunkIds.length - this.removed.size;
  }

  add(chunkId: number, tokens: string[]): void {
    const doc = this.chunkIds.length;
    this.chunkIds.push(chunkId);
    this.docOfChunk.set(chunkId, doc);
    this.lengths.push(tokens.length);
    this.totalLength += tokens.length;
    this.lengthNorms = undefined;
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    const ids = new Int32Array(counts.size);
    let i = 0;
    for (const [term, tf] of counts) {
      let posting = this.postings.get(term);
      if (!posting) this.postings.set(term, (posting = { id: this.postings.size, docs: [], freqs: [] }));
      posting.docs.push(doc);
      posting.freqs.push(tf);
      ids[i++] = posting.id;
    }
    this.docTerms.push(ids.sort());
  }

  /** Chunks containing the term (removed ones included until a rebuild: harmless for weighting). */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** Inverse document frequency as BM25 scores it; a term no chunk contains gets the highest value. */
  idf(term: string): number {
    return this.idfOf(this.documentFrequency(term));
  }

  idfOf(documentFrequency: number): number {
    const n = this.chunkIds.length;
    return Math.log(1 + (n - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /** Whether the chunk contains the term (false for unknown chunks). */
  has(chunkId: number, term: string): boolean {
    const doc = this.docOfChunk.get(chunkId);
    const posting = this.postings.get(term);
    if (doc === undefined || !posting) return false;
    const ids = this.docTerms[doc];
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ids[mid] === posting.id) return true;
      if (ids[mid] < posting.id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Tombstones removed chunks; their statistics linger until the next rebuild, which is harmless for ranking. */
  remove(chunkIds: Iterable<number>): void {
    const ids = new Set(chunkIds);
    this.chunkIds.forEach((id, doc) => {
      if (ids.has(id)) this.removed.add(doc);
    });
  }

  /** `weights` lets glossary translations count less than the trader's own words. */
  search(terms: string[], k: number, weights?: Map<string, number>): ScoredChunk[] {
    const n = this.chunkIds.length;
    if (n === 0 || terms.length === 0) return [];
    const norms = this.lengthNormsNow();
    // A dense score array beats a Map by ~5× at 100k chunks; `touched` keeps the collection step proportional to hits.
    const scores = new Float64Array(n);
    const touched: number[] = [];
    for (const term of new Set(terms)) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const df = posting.docs.length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const weight = weights?.get(term) ?? 1;
      for (let i = 0; i < df; i++) {
        const doc = posting.docs[i];
        const tf = posting.freqs[i];
        const norm = tf + norms[doc];
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] += weight * idf * ((tf * (K1 + 1)) / norm);
      }
    }
    return this.topK(scores, touched, k);
  }

  private lengthNormsNow(): Float64Array {
    if (!this.lengthNorms) {
      const avgLength = this.totalLength / this.lengths.length || 1;
      this.lengthNorms = Float64Array.from(this.lengths, (length) => K1 * (1 - B + (B * length) / avgLength));
    }
    return this.lengthNorms;
  }

  /** Best k of the touched documents through a size-k min-heap: sorting 50k hits per query costs more than scoring. */
  private topK(scores: Float64Array, touched: number[], k: number): ScoredChunk[] {
    const heap: number[] = [];
    const worse = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && this.chunkIds[a] > this.chunkIds[b]);
    const siftDown = (i: number): void => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && worse(heap[l], heap[m])) m = l;
        if (r < heap.length && worse(heap[r], heap[m])) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    };
    const skipRemoved = this.removed.size > 0;
    for (const doc of touched) {
      if (skipRemoved && this.removed.has(doc)) continue;
      if (heap.length < k) {
        heap.push(doc);
        for (let i = heap.length - 1; i > 0; ) {
          const parent = (i - 1) >> 1;
          if (!worse(heap[i], heap[parent])) break;
          [heap[i], heap[parent]] = [heap[parent], heap[i]];
          i = parent;
        }
      } else if (worse(heap[0], doc)) {
        heap[0] = doc;
        siftDown(0);
      }
    }
    return heap
      .map((doc) => ({ chunkId: this.chunkIds[doc], score: scores[doc] }))
      .sort((a, b) => b.score - a.score || a.chunkId - b.chunkId);
  }
}
