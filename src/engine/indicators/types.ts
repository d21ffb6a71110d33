/**
 * Shapes shared by every indicator.
 *
 * Two ways in, one arithmetic: each indicator is a small numeric "kernel" (push one closed candle's numbers, read the
 * outputs). The streaming API feeds it candle by candle; the batch API runs the same kernel in a tight loop over
 * typed arrays. Because both paths execute the same floating-point operations in the same order, they give
 * identical numbers, and live signals equal backtest signals.
 *
 * "No value" is NaN everywhere (streaming `value()` and batch arrays alike): NaN survives arithmetic, so a
 * condition built on an unstable indicator is simply false instead of silently treating a missing value as 0.
 */
import type { Candle } from '../types.ts';

/** Column-oriented candles for backtests: one Float64Array per field, all the same length. */
export interface CandleSeries {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export function toSeries(candles: readonly Candle[]): CandleSeries {
  const n = candles.length;
  const series: CandleSeries = {
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const c = candles[i];
    series.ts[i] = c.ts;
    series.open[i] = c.open;
    series.high[i] = c.high;
    series.low[i] = c.low;
    series.close[i] = c.close;
    series.volume[i] = c.volume;
  }
  return series;
}

/** A streaming indicator: one `update()` per CLOSED candle, values readable after warm-up. */
export interface StreamingIndicator {
  /** The spec it was created from, e.g. `macd:12:26:9`. */
  readonly spec: string;
  /** Full output names: `rsi:14`, or `macd:12:26:9.macd`, `macd:12:26:9.signal`, `macd:12:26:9.hist`. */
  readonly outputs: string[];
  /** Candles consumed before the first complete set of values: the first value appears on candle index `warmup`. */
  readonly warmup: number;
  /** Per output, the candle index of its first value (≤ warmup; e.g. ADX's +DI/−DI come before ADX itself). */
  readonly outputWarmup: Record<string, number>;
  /** True once every output has a value. */
  readonly isStable: boolean;
  /** Feed the next closed candle; candles must arrive in strictly increasing `ts`. */
  update(candle: Candle): void;
  /** Latest value of an output (full or short name, default the first); NaN before that output's warm-up. */
  value(output?: string): number;
}

/** Batch result: one array per full output name, aligned to the input, NaN before warm-up. */
export type IndicatorArrays = Record<string, Float64Array>;
