/**
 * The pruned BM25 search against BM25 computed from its definition over every chunk (bm25-naive.ts) on the bench's
 * synthetic corpus (12k chunks of ~600 corpus sentences: very common words, the hard case for pruning): the eval
 * questions (tuning and held-out, with their translations and weights as retrieval sends them) and seeded random term
 * sets, on a snapshot-loaded index, then after adds (tails) and removals. The same chunks in the same order, and the
 * same scores but for the last bits (the two add a chunk's term contributions in different orders).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticDocuments } from '../../../src/bench/knowledge.ts';
import { seededRandom } from '../../../src/engine/backtest/random.ts';
import { DEFAULT_QUESTIONS_FILE, loadQuestions } from '../../../src/knowledge/eval/rag-eval.ts';
import { Bm25Index } from '../../../src/knowledge/retrieval/bm25.ts';
import { expandQuery } from '../../../src/knowledge/retrieval/glossary.ts';
import { indexText } from '../../../src/knowledge/retrieval/search-index.ts';
import { searchTokens } from '../../../src/knowledge/retrieval/text.ts';
import { NaiveBm25 } from './bm25-naive.ts';

const SIZE = 12_000;
const ADDED = 400;

interface Query {
  terms: string[];
  weights?: Map<string, number>;
  k: number;
}

function questionQueries(): Query[] {
  const files = [DEFAULT_QUESTIONS_FILE, path.join(path.dirname(DEFAULT_QUESTIONS_FILE), 'questions.heldout.json')];
  const queries: Query[] = [];
  for (const file of files) {
    for (const { question } of loadQuestions(file)) {
      const expanded = expandQuery(question);
      for (const k of [5, 50]) {
        queries.push({ terms: [...expanded.searchTerms, ...expanded.synonyms], weights: expanded.weights, k });
        if (expanded.added.length > 0) queries.push({ terms: expanded.added, weights: expanded.weights, k });
      }
    }
  }
  return queries;
}

/** Term sets of 1–12 words drawn from the corpus vocabulary (common words more often), some weighted, k 1–60. */
function randomQueries(tokens: string[][], count: number, seed: number): Query[] {
  const random = seededRandom(seed);
  const queries: Query[] = [];
  for (let q = 0; q < count; q++) {
    const terms: string[] = [];
    const weights = new Map<string, number>();
    for (let n = 1 + Math.floor(random() * 12); terms.length < n; ) {
      const chunk = tokens[Math.floor(random() * tokens.length)];
      const term = chunk[Math.floor(random() * chunk.length)];
      terms.push(term);
      if (random() < 0.3) weights.set(term, [0.4, 0.5, 0.85][Math.floor(random() * 3)]);
    }
    if (random() < 0.2) terms.push('nosuchtermanywhere');
    queries.push({ terms, weights: weights.size > 0 ? weights : undefined, k: 1 + Math.floor(random() * 60) });
  }
  return queries;
}

function mismatches(index: Bm25Index, reference: NaiveBm25, queries: Query[]): string[] {
  const out: string[] = [];
  for (const { terms, weights, k } of queries) {
    const got = index.search(terms, k, weights);
    const expected = reference.search(terms, k, weights);
    const same =
      got.length === expected.length &&
      got.every((g, i) => g.chunkId === expected[i].chunkId && Math.abs(g.score - expected[i].score) <= 1e-12 * Math.abs(expected[i].score));
    if (!same) out.push(`${terms.join(' ')} (k=${k}): ${JSON.stringify(got.slice(0, 3))} vs ${JSON.stringify(expected.slice(0, 3))} len ${got.length}/${expected.length}`);
  }
  return out;
}

describe('BM25 pruned search = BM25 from its definition, on the synthetic bench corpus', () => {
  const chunks = syntheticDocuments(SIZE + ADDED).flat();
  const tokens = chunks.map((c) => searchTokens(indexText(c)));
  const built = new Bm25Index();
  for (let i = 0; i < SIZE; i++) built.add(i + 1, tokens[i]);
  const snapshot = built.snapshot();
  const index = Bm25Index.fromSnapshot(snapshot);
  const reference = new NaiveBm25();
  for (let i = 0; i < SIZE; i++) reference.add(i + 1, tokens[i]);
  const questions = questionQueries();
  const random = randomQueries(tokens, 300, 11);

  it('the eval questions and random term sets, on the index loaded from a snapshot', { timeout: 120_000 }, () => {
    expect(questions.length).toBeGreaterThan(150);
    expect(mismatches(index, reference, [...questions, ...random])).toEqual([]);
    // The comparison sees the heavy case: a question whose top 50 is scored from thousands of postings.
    expect(index.search(questions[0].terms, 50, questions[0].weights)).toHaveLength(50);
  });

  it('after adds (per-term tails) and removals (live statistics, removed postings still in place)', { timeout: 120_000 }, () => {
    for (let i = SIZE; i < SIZE + ADDED; i++) {
      index.add(i + 1, tokens[i]);
      reference.add(i + 1, tokens[i]);
    }
    expect(mismatches(index, reference, [...questions, ...randomQueries(tokens, 150, 12)])).toEqual([]);
    const pick = seededRandom(13);
    const removed = Array.from({ length: 900 }, () => 1 + Math.floor(pick() * (SIZE + ADDED)));
    index.remove(removed);
    reference.remove(removed);
    expect(mismatches(index, reference, [...questions, ...randomQueries(tokens, 150, 14)])).toEqual([]);
  });
});
