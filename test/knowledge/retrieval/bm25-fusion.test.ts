import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../../src/knowledge/retrieval/bm25.ts';
import { reciprocalRankFusion } from '../../../src/knowledge/retrieval/fusion.ts';

describe('BM25 (k1 = 1.2, b = 0.75), hand-computed', () => {
  // d1 = [a b], d2 = [a a c], d3 = [c]; N = 3, average length 2.
  const index = new Bm25Index();
  index.add(1, ['a', 'b']);
  index.add(2, ['a', 'a', 'c']);
  index.add(3, ['c']);

  it('a rare term: idf = ln(1 + 2.5/1.5), tf normalisation = 1 for an average-length document', () => {
    const [hit] = index.search(['b'], 5);
    expect(hit.chunkId).toBe(1);
    expect(hit.score).toBeCloseTo(0.9808292530, 9);
  });

  it('term frequency is saturated and length-normalised: d2 = ln(1.6) · 2·2.2 / (2 + 1.2·1.375)', () => {
    const hits = index.search(['a'], 5);
    expect(hits.map((h) => h.chunkId)).toEqual([2, 1]);
    expect(hits[0].score).toBeCloseTo(0.5665797174, 9);
    expect(hits[1].score).toBeCloseTo(0.4700036292, 9);
  });

  it('answers whether a chunk contains a term from its forward index', () => {
    expect([index.has(1, 'b'), index.has(2, 'b'), index.has(2, 'c'), index.has(9, 'a'), index.has(1, 'zzz')]).toEqual([true, false, true, false, false]);
  });

  it('weights scale a term, removed chunks disappear, unknown terms score nothing', () => {
    expect(index.search(['b'], 5, new Map([['b', 0.5]]))[0].score).toBeCloseTo(0.4904146265, 9);
    expect(index.search(['zzz'], 5)).toEqual([]);
    const other = new Bm25Index();
    other.add(1, ['a']);
    other.add(2, ['a']);
    other.remove([1]);
    expect(other.search(['a'], 5).map((h) => h.chunkId)).toEqual([2]);
    expect(other.size).toBe(1);
  });
});

describe('reciprocal rank fusion (K = 60)', () => {
  it('sums 1/(60 + rank) over the lists', () => {
    const fused = reciprocalRankFusion([{ ids: [10, 20] }, { ids: [20, 30] }]);
    expect(fused.map((f) => f.id)).toEqual([20, 10, 30]);
    expect(fused[0].score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(fused[1].score).toBeCloseTo(1 / 61, 12);
    expect(fused[2].score).toBeCloseTo(1 / 62, 12);
  });

  it('a weighted list contributes weight/(60 + rank)', () => {
    const fused = reciprocalRankFusion([{ ids: [1] }, { ids: [2], weight: 0.5 }]);
    expect(fused).toEqual([
      { id: 1, score: 1 / 61 },
      { id: 2, score: 0.5 / 61 },
    ]);
  });
});
