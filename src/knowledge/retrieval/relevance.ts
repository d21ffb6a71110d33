/**
 * "Nothing relevant" decision. The fused RRF score only orders passages, so it cannot tell a good top hit from the
 * least bad one; the decision uses absolute signals of the best passages instead: how many of the question's content
 * words the passage contains (coverage) and the local-embedding cosine similarity. Thresholds were calibrated with
 * `ita eval rag` on the shared theory corpus (answerable vs. out-of-scope questions).
 */
import type { Passage } from '../types.ts';

// Calibration (58 questions): answerable questions reach coverage ≥ 0.6 or similarity ≥ 0.39 in their top 3;
// out-of-scope ones stayed at coverage ≤ 0.5 and similarity ≤ 0.36. Margins are thin: re-run the eval after changes.
export const RELEVANCE_MIN_COVERAGE = 0.42;
export const RELEVANCE_MIN_SIMILARITY = 0.34;

export interface RelevanceSignals {
  similarity?: number;
  coverage?: number;
  unknownShare?: number;
}

/** A question mostly made of words the documents never use (in either language) is about something else. */
export const RELEVANCE_MAX_UNKNOWN_SHARE = 0.5;

export function isRelevant(passages: Array<Passage & RelevanceSignals>): boolean {
  if (passages.length === 0 || (passages[0].unknownShare ?? 0) >= RELEVANCE_MAX_UNKNOWN_SHARE) return false;
  return passages.slice(0, 3).some(
    (p) => (p.coverage ?? 0) >= RELEVANCE_MIN_COVERAGE || (p.similarity ?? 0) >= RELEVANCE_MIN_SIMILARITY,
  );
}
