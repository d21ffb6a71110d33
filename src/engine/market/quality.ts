/**
 * Data-quality gates over candle series: gaps, duplicates and stale feeds. Pure functions; the caller
 * decides what is fatal (an import refuses duplicates, but only reports gaps: exchanges do have outages).
 */
import type { Candle, Timeframe } from '../types.ts';
import { periodStart, timeframeMs } from './timeframes.ts';

export interface Gap {
  /** ts of the last candle before the hole. */
  afterTs: number;
  /** ts of the first candle after the hole. */
  beforeTs: number;
  /** ts of the first and last missing candle. */
  firstMissingTs: number;
  lastMissingTs: number;
  /** How many candles of the timeframe are missing. */
  missing: number;
}

/** Missing candles between consecutive candles (series sorted ascending). */
export function findGaps(candles: readonly Pick<Candle, 'ts'>[], tf: Timeframe): Gap[] {
  const step = timeframeMs(tf);
  const gaps: Gap[] = [];
  for (let i = 1; i < candles.length; i++) {
    const prev = candles[i - 1].ts;
    const next = candles[i].ts;
    if (next - prev <= step) continue;
    gaps.push({
      afterTs: prev,
      beforeTs: next,
      firstMissingTs: prev + step,
      lastMissingTs: next - step,
      missing: Math.ceil((next - prev) / step) - 1,
    });
  }
  return gaps;
}

export function countMissing(gaps: readonly Gap[]): number {
  return gaps.reduce((sum, gap) => sum + gap.missing, 0);
}

export interface Duplicate {
  ts: number;
  /** Index of the first candle with this ts. */
  firstIndex: number;
  /** Index of the repeat. */
  index: number;
  /** True when the repeat carries different prices or volume, i.e. the sources disagree. */
  conflicting: boolean;
}

/** Every repeated ts, wherever it occurs (the series need not be sorted). */
export function findDuplicates(candles: readonly Candle[]): Duplicate[] {
  const seen = new Map<number, number>();
  const duplicates: Duplicate[] = [];
  candles.forEach((candle, index) => {
    const firstIndex = seen.get(candle.ts);
    if (firstIndex === undefined) {
      seen.set(candle.ts, index);
      return;
    }
    duplicates.push({ ts: candle.ts, firstIndex, index, conflicting: !sameCandle(candles[firstIndex], candle) });
  });
  return duplicates;
}

function sameCandle(a: Candle, b: Candle): boolean {
  return a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;
}

/** Default slack after a candle closes before its absence counts as a stale feed (exchange publish delay + our poll). */
export const DEFAULT_STALE_GRACE_MS = 120_000;

export interface FeedStatus {
  stale: boolean;
  /** ts of the newest stored candle, undefined when there is none. */
  lastTs?: number;
  /** ts of the newest candle that should have closed by `now`. */
  expectedTs: number;
  /** Time since the stored candle closed. */
  ageMs?: number;
  /** Closed candles missing at the end of the series. */
  behind: number;
}

/**
 * A feed is stale when its last closed candle closed more than one timeframe + `graceMs` before `now`:
 * a healthy feed always holds the candle that closed at the start of the current period.
 */
export function feedStatus(lastTs: number | undefined, tf: Timeframe, now: number, graceMs = DEFAULT_STALE_GRACE_MS): FeedStatus {
  const step = timeframeMs(tf);
  const expectedTs = periodStart(now, tf) - step;
  if (lastTs === undefined) return { stale: true, expectedTs, behind: Infinity };
  const ageMs = now - (lastTs + step);
  const behind = Math.max(0, Math.round((expectedTs - lastTs) / step));
  return { stale: ageMs > step + graceMs, lastTs, expectedTs, ageMs, behind };
}
