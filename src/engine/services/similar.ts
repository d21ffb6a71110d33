/**
 * "Similar" signals: same setup (any version) and the same side, nearest by a simple distance over the context snapshot.
 * Numbers are compared relative to their size (so a price of 60,000 and an RSI of 55 weigh alike); text values
 * (structure, session) count as 0 when equal and 1 when not; the side counts like a text value.
 */
import type { Signal } from '../types.ts';

export function contextDistance(a: Signal, b: Signal): number {
  let sum = a.side === b.side ? 0 : 1;
  let n = 1;
  for (const key of Object.keys(a.context)) {
    if (!(key in b.context)) continue;
    const x = a.context[key];
    const y = b.context[key];
    if (typeof x === 'number' && typeof y === 'number') {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const scale = Math.abs(x) + Math.abs(y);
      sum += scale === 0 ? 0 : ((x - y) / scale) ** 2;
    } else {
      sum += x === y ? 0 : 1;
    }
    n++;
  }
  return Math.sqrt(sum / n);
}

/** Similarity in (0, 1]: 1 = identical context. */
export function similarity(a: Signal, b: Signal): number {
  return 1 / (1 + contextDistance(a, b));
}

export function nearestSignals(target: Signal, candidates: readonly Signal[], limit: number): { signal: Signal; similarity: number }[] {
  return candidates
    .filter((c) => c.id !== target.id && c.setupId === target.setupId && c.side === target.side)
    .map((signal) => ({ signal, similarity: similarity(target, signal) }))
    .sort((x, y) => y.similarity - x.similarity || y.signal.ts - x.signal.ts)
    .slice(0, Math.max(0, limit));
}
