/**
 * Column-oriented candles for the REFERENCE (batch) detectors, which mirror the smart-money-concepts library
 * row by row. NaN marks "no value" exactly as the library's pandas output does.
 */
import type { Candle } from '../../types.ts';

export interface OhlcSeries {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  length: number;
}

export function toSeries(candles: readonly Candle[]): OhlcSeries {
  const n = candles.length;
  const series: OhlcSeries = {
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    length: n,
  };
  candles.forEach((c, i) => {
    series.ts[i] = c.ts;
    series.open[i] = c.open;
    series.high[i] = c.high;
    series.low[i] = c.low;
    series.close[i] = c.close;
    series.volume[i] = c.volume;
  });
  return series;
}

export function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(NaN);
}

/** The library keeps some columns in float32 arrays; comparisons against them happen at float32 precision. */
export const f32 = Math.fround;

/** Index of the first j in [from, n) with predicate(j), or -1 (numpy's `argmax` over a boolean mask). */
export function firstIndex(from: number, n: number, predicate: (j: number) => boolean): number {
  for (let j = from; j < n; j++) if (predicate(j)) return j;
  return -1;
}
