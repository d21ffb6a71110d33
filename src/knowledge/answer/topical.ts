/**
 * Which retrieved passages may be cited. Retrieval always returns its best k, and the tail of a ranking is often a
 * passage that shares one word with the question (an FVG question pulling in a "Stablecoins" page). A passage is
 * cited only when it covers a good share of what the question asks about, measured against the best passage; when
 * the retriever gives no coverage (a plain LangChain retriever), the passages are taken as they come.
 */
import { RELEVANCE_MIN_COVERAGE, RELEVANCE_MIN_SIMILARITY } from '../retrieval/relevance.ts';
import type { Passage } from '../types.ts';

type WithSignals = Passage & { coverage?: number; similarity?: number };

/** A passage covering less than this share of the best passage's coverage is off topic. */
export const TOPIC_RELATIVE_COVERAGE = 0.7;
/** Similarity that keeps a passage whatever its word coverage (the embedding saw the meaning). */
const TOPIC_MIN_SIMILARITY = RELEVANCE_MIN_SIMILARITY + 0.1;

export function onTopic<P extends WithSignals>(passages: P[]): P[] {
  if (passages.length === 0 || passages.some((p) => p.coverage === undefined)) return passages;
  const best = Math.max(...passages.map((p) => p.coverage ?? 0));
  const floor = Math.max(RELEVANCE_MIN_COVERAGE, best * TOPIC_RELATIVE_COVERAGE);
  return passages.filter((p) => (p.coverage ?? 0) >= floor || (p.similarity ?? 0) >= TOPIC_MIN_SIMILARITY);
}
