/**
 * Scores of out-of-sample probabilities: ROC AUC (Mann–Whitney, ties count half), a percentile bootstrap interval
 * for it, the Brier score and a calibration table. All pure; the bootstrap takes a seed so a report is reproducible.
 */
import { seededRandom } from '../backtest/random.ts';

/** Probability that a random positive scores above a random negative (ties ½). NaN without both classes. */
export function rocAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    i = j + 1;
  }
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === 1) {
      positives++;
      rankSum += ranks[i];
    }
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface BootstrapInterval {
  low: number;
  high: number;
  /** Resamples that had both classes (the others have no AUC and are redrawn). */
  replicates: number;
  /** Mean AUC over the replicates. */
  mean: number;
}

/**
 * Percentile bootstrap: resample (score, label) pairs with replacement, AUC of each resample, then the
 * (1−level)/2 and (1+level)/2 quantiles (type 7). Resamples with one class only are redrawn.
 */
export function bootstrapAucInterval(
  scores: readonly number[],
  labels: readonly (0 | 1)[],
  options: { replicates?: number; level?: number; seed?: number } = {},
): BootstrapInterval {
  const replicates = options.replicates ?? 2000;
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed ?? 1);
  const n = scores.length;
  const hasBoth = labels.includes(1) && labels.includes(0);
  if (n < 2 || !hasBoth) return { low: NaN, high: NaN, replicates: 0, mean: NaN };
  const aucs: number[] = [];
  const s = new Array<number>(n);
  const l = new Array<0 | 1>(n);
  let attempts = 0;
  while (aucs.length < replicates && attempts < replicates * 20) {
    attempts++;
    for (let i = 0; i < n; i++) {
      const k = Math.floor(random() * n);
      s[i] = scores[k];
      l[i] = labels[k];
    }
    const auc = rocAuc(s, l);
    if (Number.isFinite(auc)) aucs.push(auc);
  }
  aucs.sort((a, b) => a - b);
  return {
    low: quantile(aucs, (1 - level) / 2),
    high: quantile(aucs, (1 + level) / 2),
    replicates: aucs.length,
    mean: aucs.reduce((sum, x) => sum + x, 0) / aucs.length,
  };
}

function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function brierScore(probabilities: readonly number[], labels: readonly (0 | 1)[]): number {
  if (probabilities.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += (probabilities[i] - labels[i]) ** 2;
  return sum / probabilities.length;
}

export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Fixed-width probability bins [0, 1/b), …, [(b−1)/b, 1]; empty bins are listed with count 0. */
export function calibrationTable(probabilities: readonly number[], labels: readonly (0 | 1)[], bins = 5): CalibrationBin[] {
  const table = Array.from({ length: bins }, (_, b) => ({ from: b / bins, to: (b + 1) / bins, count: 0, sumP: 0, sumY: 0 }));
  for (let i = 0; i < probabilities.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(probabilities[i] * bins)));
    table[b].count++;
    table[b].sumP += probabilities[i];
    table[b].sumY += labels[i];
  }
  return table.map((t) => ({
    from: t.from,
    to: t.to,
    count: t.count,
    meanPredicted: t.count > 0 ? t.sumP / t.count : NaN,
    observedRate: t.count > 0 ? t.sumY / t.count : NaN,
  }));
}
