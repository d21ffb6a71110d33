/**
 * Column-oriented candles for the REFERENCE (batch) detectors, which mirror the smart-money-concepts library
 * row by row. NaN marks "no value" exactly as the library's pandas output does.
 */
import type { Candle } from '../../types.ts';
import { toSeries as toColumns, type CandleSeries } from '../../indicators/types.ts';

export interface OhlcSeries extends CandleSeries {
  length: number;
}

export function toSeries(candles: readonly Candle[]): OhlcSeries {
  return { ...toColumns(candles), length: candles.length };
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
