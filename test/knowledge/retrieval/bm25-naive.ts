/**
 * BM25 from its definition (Robertson/Sparck Jones, k1 = 1.2, b = 0.75), for checking the pruned index: every live
 * chunk that holds a query term is scored for every query term, then all are sorted (score descending, chunk id
 * ascending on ties). No postings arrays, no pruning, no snapshot: nothing shared with
 * src/knowledge/retrieval/bm25.ts but the formula.
 */
const K1 = 1.2;
const B = 0.75;

export class NaiveBm25 {
  private readonly docs = new Map<number, { length: number; tf: Map<string, number> }>();
  /** Live chunks per term (the document frequency is its size). */
  private readonly holders = new Map<string, Set<number>>();
  private totalLength = 0;

  add(chunkId: number, tokens: string[]): void {
    if (this.docs.has(chunkId)) return;
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    this.docs.set(chunkId, { length: tokens.length, tf });
    this.totalLength += tokens.length;
    for (const term of tf.keys()) {
      let set = this.holders.get(term);
      if (!set) this.holders.set(term, (set = new Set()));
      set.add(chunkId);
    }
  }

  remove(chunkIds: Iterable<number>): void {
    for (const id of chunkIds) {
      const doc = this.docs.get(id);
      if (!doc) continue;
      this.docs.delete(id);
      this.totalLength -= doc.length;
      for (const term of doc.tf.keys()) this.holders.get(term)!.delete(id);
    }
  }

  search(terms: string[], k: number, weights?: Map<string, number>): Array<{ chunkId: number; score: number }> {
    const n = this.docs.size;
    const avg = this.totalLength / n || 1;
    const distinct = [...new Set(terms)].filter((t) => (this.holders.get(t)?.size ?? 0) > 0);
    const candidates = new Set<number>();
    for (const term of distinct) for (const id of this.holders.get(term)!) candidates.add(id);
    const scored: Array<{ chunkId: number; score: number }> = [];
    for (const chunkId of candidates) {
      const doc = this.docs.get(chunkId)!;
      let score = 0;
      for (const term of distinct) {
        const tf = doc.tf.get(term);
        if (!tf) continue;
        const df = this.holders.get(term)!.size;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += ((weights?.get(term) ?? 1) * idf * (K1 + 1) * tf) / (tf + K1 * (1 - B + (B * doc.length) / avg));
      }
      scored.push({ chunkId, score });
    }
    return scored.sort((a, b) => b.score - a.score || a.chunkId - b.chunkId).slice(0, k);
  }
}
