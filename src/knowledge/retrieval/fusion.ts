/**
 * Reciprocal rank fusion (Cormack et al., 2009): score = Σ 1 / (K + rank). K = 60 is the paper's constant; it keeps
 * one list's top hit from drowning the other list's agreement.
 */
export const RRF_K = 60;

export interface Ranking {
  ids: number[];
  /** Weighted RRF: a list we trust less (glossary translations) contributes weight / (K + rank). */
  weight?: number;
}

export function reciprocalRankFusion(rankings: Ranking[], k = RRF_K): Array<{ id: number; score: number }> {
  const scores = new Map<number, number>();
  for (const { ids, weight = 1 } of rankings) {
    ids.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + index + 1)));
  }
  return [...scores.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}
