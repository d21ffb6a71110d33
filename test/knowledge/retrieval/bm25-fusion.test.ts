import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../../src/knowledge/retrieval/bm25.ts';
import { readBm25Snapshot, writeBm25Snapshot } from '../../../src/knowledge/retrieval/bm25-snapshot.ts';
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

  it('a removal leaves the statistics of the remaining chunks: N = 2, average length 2.5 after d3 goes', () => {
    const index = new Bm25Index();
    index.add(1, ['a', 'b']);
    index.add(2, ['a', 'a', 'c']);
    index.add(3, ['c']);
    index.remove([3]);
    // idf(a) = ln(1 + 0.5/2.5); d1 norm = 1.2·(0.25 + 0.75·2/2.5) = 1.02, d2 norm = 1.2·(0.25 + 0.75·3/2.5) = 1.38.
    const a = index.search(['a'], 5);
    expect(a.map((h) => h.chunkId)).toEqual([2, 1]);
    expect(a[0].score).toBeCloseTo(0.2373416716, 9);
    expect(a[1].score).toBeCloseTo(0.1985680322, 9);
    // c is now in d2 only: idf = ln(1 + 1.5/1.5) = ln 2.
    expect(index.search(['c'], 5)).toEqual([{ chunkId: 2, score: expect.closeTo(0.6407242846, 9) }]);
    expect([index.documentFrequency('c'), index.has(3, 'c'), index.size]).toEqual([1, false, 2]);
  });

  it('a snapshot whose chunk ids are not ascending loads and answers the same', () => {
    const index = new Bm25Index();
    index.add(9, ['a', 'b']);
    index.add(4, ['a', 'a', 'c']);
    index.add(6, ['c']);
    const loaded = Bm25Index.fromSnapshot(index.snapshot());
    expect(loaded.search(['a', 'c'], 5)).toEqual(index.search(['a', 'c'], 5));
    expect([loaded.has(9, 'b'), loaded.has(4, 'b'), loaded.has(6, 'c'), loaded.contains(5)]).toEqual([true, false, true, false]);
    loaded.remove([4]);
    expect(loaded.search(['a'], 5).map((h) => h.chunkId)).toEqual([9]);
  });
});

/** BM25 straight from the formula over the live documents, written independently of Bm25Index. */
function referenceScores(docs: Map<number, string[]>, terms: string[], weights = new Map<string, number>()): Map<number, number> {
  const n = docs.size;
  const avg = [...docs.values()].reduce((sum, d) => sum + d.length, 0) / n;
  const scores = new Map<number, number>();
  for (const term of new Set(terms)) {
    const df = [...docs.values()].filter((d) => d.includes(term)).length;
    if (df === 0) continue;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (const [id, doc] of docs) {
      const tf = doc.filter((t) => t === term).length;
      if (tf === 0) continue;
      const part = (weights.get(term) ?? 1) * idf * ((tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * doc.length) / avg)));
      scores.set(id, (scores.get(id) ?? 0) + part);
    }
  }
  return scores;
}

describe('BM25 updated in place equals BM25 over the live documents, through a saved snapshot too', () => {
  const words = ['stop', 'loss', 'order', 'block', 'liquidity', 'sweep', 'risk', 'entry', 'trend', 'london'];
  // A fixed pseudo-random corpus (LCG), so the test is deterministic and varied in lengths and frequencies.
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const makeDoc = (): string[] => Array.from({ length: 3 + Math.floor(next() * 12) }, () => words[Math.floor(next() * next() * words.length)]);
  const queries = [['stop'], ['london', 'sweep'], ['order', 'block', 'risk', 'trend'], words];

  const expectSame = (index: Bm25Index, live: Map<number, string[]>): void => {
    expect(index.size).toBe(live.size);
    for (const terms of queries) {
      const weights = new Map([[terms[0], 0.5]]);
      const expected = [...referenceScores(live, terms, weights).entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      // k = 3 exercises the pruning (the common terms only complete the scores of chunks already seen).
      for (const k of [1000, 3]) {
        const got = index.search(terms, k, weights);
        expect(got.map((h) => h.chunkId)).toEqual(expected.slice(0, k).map(([id]) => id));
        got.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i][1], 10));
      }
    }
    for (const word of words) expect(index.documentFrequency(word)).toBe([...live.values()].filter((d) => d.includes(word)).length);
    for (const [id, doc] of live) expect(words.filter((w) => index.has(id, w))).toEqual(words.filter((w) => doc.includes(w)));
    for (const [id, doc] of live) expect(words.filter(index.containsFor(id))).toEqual(words.filter((w) => doc.includes(w)));
    // Removed and unknown chunks contain nothing (ids 3 and 999 are removed or never added in the test below).
    for (const id of [3, 999]) if (!live.has(id)) expect(words.some(index.containsFor(id))).toBe(false);
  };

  it('after adds, removals, a snapshot round trip and more changes', () => {
    const live = new Map<number, string[]>();
    let index = new Bm25Index();
    const add = (id: number): void => {
      const doc = makeDoc();
      live.set(id, doc);
      index.add(id, doc);
    };
    const remove = (ids: number[]): void => {
      for (const id of ids) live.delete(id);
      index.remove(ids);
    };
    for (let id = 1; id <= 40; id++) add(id);
    expectSame(index, live);
    remove([3, 4, 17, 40, 999]);
    expectSame(index, live);
    index.add(5, ['stop']); // already indexed: ignored, as a replayed log entry must be
    expectSame(index, live);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-bm25-'));
    try {
      const file = path.join(dir, 'k.bm25');
      writeBm25Snapshot(file, index.snapshot(), 3);
      const read = readBm25Snapshot(file);
      expect(read.generation).toBe(3);
      index = Bm25Index.fromSnapshot(read.snapshot);
      expectSame(index, live);
      for (let id = 41; id <= 55; id++) add(id);
      remove([1, 2, 45, 50]);
      expectSame(index, live);
      writeBm25Snapshot(file, index.snapshot(), 4);
      index = Bm25Index.fromSnapshot(readBm25Snapshot(file).snapshot);
      expectSame(index, live);
      for (let id = 100; id < 700; id++) add(id);
      remove([101, 150, 699]);
      expectSame(index, live);
      remove([...live.keys()]);
      expect(index.search(['stop'], 5)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
