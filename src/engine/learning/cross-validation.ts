/**
 * Purged, embargoed cross-validation for samples whose labels look into the future (López de Prado, "Advances in
 * Financial Machine Learning", ch. 7). Each sample is known at `start` (its signal candle's close) and its label is
 * decided by candles up to `end` (the outcome window). A training sample whose window [start, end] overlaps the
 * window of ANY test sample is purged: its label was decided by prices the test period also uses. The embargo adds
 * a margin for serial correlation that outlives the window (volatility, regimes).
 *
 *  - walk-forward (default): samples sorted by start, cut into `folds + 1` consecutive blocks; block k (k ≥ 1) is
 *    tested by a model trained on earlier samples only (optionally the last `maxTrain` of them), purged, and with
 *    an embargo gap before the test block: training windows must end `embargoMs` before the first test start.
 *  - k-fold: `folds` blocks; each block is tested by a model trained on all other blocks, purged, and with the
 *    embargo AFTER the test block: training samples starting within `embargoMs` after the last test window ends are
 *    dropped too.
 */
import { maxOf, minOf } from '../backtest/metrics.ts';

export interface TimedSample {
  start: number;
  end: number;
}

export interface CvOptions {
  folds?: number;
  mode?: 'walk-forward' | 'k-fold';
  embargoMs?: number;
  /** Walk-forward only: train on at most this many most recent eligible samples (rolling window). */
  maxTrain?: number;
  /** For experiments only: switch the purge and the embargo off (shows what they prevent). */
  leaky?: boolean;
}

export interface Fold {
  train: number[];
  test: number[];
  /** Training candidates removed by the purge and the embargo. */
  purged: number;
}

/** Fold index sets over `samples` (indices into the array; the array need not be sorted). */
export function purgedFolds(samples: readonly TimedSample[], options: CvOptions = {}): Fold[] {
  const k = options.folds ?? 5;
  const mode = options.mode ?? 'walk-forward';
  const embargo = options.leaky ? 0 : (options.embargoMs ?? 0);
  const order = samples.map((_, i) => i).sort((a, b) => samples[a].start - samples[b].start || a - b);
  const blocks = mode === 'walk-forward' ? k + 1 : k;
  const bounds = Array.from({ length: blocks + 1 }, (_, b) => Math.round((b * order.length) / blocks));
  const folds: Fold[] = [];
  for (let b = mode === 'walk-forward' ? 1 : 0; b < blocks; b++) {
    const test = order.slice(bounds[b], bounds[b + 1]);
    if (test.length === 0) continue;
    const testStart = minOf(test.map((i) => samples[i].start));
    const testEnd = maxOf(test.map((i) => samples[i].end));
    const candidates = mode === 'walk-forward' ? order.slice(0, bounds[b]) : [...order.slice(0, bounds[b]), ...order.slice(bounds[b + 1])];
    let train = candidates.filter((i) => {
      if (options.leaky) return true;
      const s = samples[i];
      const overlaps = s.start <= testEnd && s.end >= testStart;
      if (overlaps) return false;
      if (mode === 'walk-forward') return s.end < testStart - embargo;
      return !(s.start > testEnd && s.start <= testEnd + embargo);
    });
    const purged = candidates.length - train.length;
    if (mode === 'walk-forward' && options.maxTrain !== undefined && train.length > options.maxTrain) train = train.slice(train.length - options.maxTrain);
    folds.push({ train, test, purged });
  }
  return folds;
}
