/** Test doubles for answering: a Retriever over fixed passages, and passages in the shape retrieval produces. */
import type { Passage, Retriever } from '../../../src/knowledge/types.ts';

export function fixedRetriever(passages: Passage[]): Retriever & { queries: Array<{ query: string; k: number }> } {
  const queries: Array<{ query: string; k: number }> = [];
  return {
    queries,
    async retrieve(query, k) {
      queries.push({ query, k });
      return passages.slice(0, k);
    },
  };
}

let nextId = 1;

export function passage(document: string, text: string, score: number, where: { page?: number; heading?: string } = {}): Passage {
  const id = nextId++;
  return { chunkId: id, documentId: id, document, text, score, ...where };
}
