/**
 * Multi-query retrieval, used when a chat model is configured: the model rewrites the question as a search query in
 * English and in Russian (the corpus mixes both, and the vocabulary cannot know every word), each rewrite is
 * retrieved like the original, and the rankings are fused by RRF. Each passage keeps its best coverage and
 * similarity over the queries, so a passage found only through the other-language rewrite still counts as relevant.
 * Any failure of the model (budget, timeout, garbage) falls back to the original question alone.
 */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { LlmRouter } from '../llm/router.ts';
import type { Passage, Retriever } from '../types.ts';
import { reciprocalRankFusion } from './fusion.ts';

const MAX_REWRITES = 3;

export function rewriteMessages(question: string) {
  return [
    new SystemMessage(
      [
        "You rewrite a trader's question into search queries for a knowledge base of trading documents written in English and Russian.",
        'Answer with exactly two lines and nothing else:',
        'EN: <the question as an English search query, with the usual English trading terms>',
        'RU: <the question as a Russian search query, with the usual Russian trading terms>',
        'Keep tickers, numbers and indicator names. Do not answer the question.',
      ].join('\n'),
    ),
    new HumanMessage(question),
  ];
}

export function parseRewrites(text: string, question: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(?:[-*]\s*)?(?:EN|RU|1|2)\s*[:.)]\s*(.+?)\s*$/i.exec(line);
    const query = match?.[1]?.replace(/^["«]|["»]$/g, '').trim();
    if (query && query.length <= 300 && query.toLowerCase() !== question.trim().toLowerCase() && !out.includes(query)) out.push(query);
  }
  return out.slice(0, MAX_REWRITES);
}

export interface MultiQueryResult<P extends Passage> {
  passages: P[];
  /** The queries retrieved for, the original first. */
  queries: string[];
  /** Why only the original was used although a model is configured. */
  rewriteError?: string;
}

type Signals = { similarity?: number; coverage?: number; unknownShare?: number };

export async function multiQueryRetrieve<P extends Passage & Signals>(
  retriever: { retrieve(query: string, k: number): Promise<P[]> },
  llm: LlmRouter,
  question: string,
  k: number,
  signal?: AbortSignal,
): Promise<MultiQueryResult<P>> {
  let rewrites: string[] = [];
  let rewriteError: string | undefined;
  try {
    rewrites = parseRewrites((await llm.complete(rewriteMessages(question), { purpose: 'rewrite', signal })).text, question);
  } catch (error) {
    rewriteError = (error as Error).message;
  }
  const queries = [question, ...rewrites];
  const lists = await Promise.all(queries.map((q) => retriever.retrieve(q, k)));
  const best = new Map<number, P>();
  for (const list of lists) {
    for (const p of list) {
      const seen = best.get(p.chunkId);
      best.set(p.chunkId, seen ? { ...seen, coverage: Math.max(seen.coverage ?? 0, p.coverage ?? 0), similarity: Math.max(seen.similarity ?? 0, p.similarity ?? 0) } : p);
    }
  }
  // The question is as known as its best-known rewrite: a Russian word the documents lack may be their English term.
  const shares = lists.map((list) => list[0]?.unknownShare).filter((x): x is number => x !== undefined);
  const unknownShare = shares.length > 0 ? Math.min(...shares) : undefined;
  const fused = reciprocalRankFusion(lists.map((list) => ({ ids: list.map((p) => p.chunkId) })));
  const passages = fused.slice(0, k).map(({ id, score }) => ({ ...best.get(id)!, score, ...(unknownShare !== undefined ? { unknownShare } : {}) }));
  return { passages, queries, ...(rewriteError ? { rewriteError } : {}) };
}

/** A Retriever whose every query is expanded by the model (for callers that take a plain Retriever). */
export function multiQueryRetriever<P extends Passage & Signals>(retriever: { retrieve(query: string, k: number): Promise<P[]> }, llm: LlmRouter): Retriever {
  return { retrieve: async (query, k) => (await multiQueryRetrieve(retriever, llm, query, k)).passages };
}
