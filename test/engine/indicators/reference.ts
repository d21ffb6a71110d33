/** Test helpers: TA-Lib reference fixtures → candles, and the mapping of TA-Lib functions onto our specs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REFERENCE } from '../../helpers/candles.ts';
import type { Candle } from '../../../src/engine/types.ts';

export type Ref = (number | null)[];

export interface TalibFixture {
  input: { ts: number[]; open: number[]; high: number[]; low: number[]; close: number[]; volume: number[] };
  indicators: Record<string, { first_valid_index: number; outputs: Record<string, Ref> }>;
}

export const TALIB_FILES = [
  'talib_binance_BTCUSDT_1d_first500',
  'talib_binance_BTCUSDT_1h_2024-07_first1000',
  'talib_nasdaq_GOOG_1d_full',
];

export function readReference<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(REFERENCE, 'indicators', `${name}.json`), 'utf8')) as T;
}

export function fixtureCandles(input: TalibFixture['input']): Candle[] {
  return input.ts.map((ts, i) => ({
    ts,
    open: input.open[i],
    high: input.high[i],
    low: input.low[i],
    close: input.close[i],
    volume: input.volume[i],
  }));
}

/** TA-Lib function key in the fixture → our spec and the full output names, in TA-Lib's output order. */
export const TALIB_TO_SPEC: Record<string, { spec: string; outputs: string[] }> = {
  SMA_20: { spec: 'sma:20', outputs: ['sma:20'] },
  SMA_50: { spec: 'sma:50', outputs: ['sma:50'] },
  EMA_9: { spec: 'ema:9', outputs: ['ema:9'] },
  EMA_21: { spec: 'ema:21', outputs: ['ema:21'] },
  EMA_50: { spec: 'ema:50', outputs: ['ema:50'] },
  RSI_14: { spec: 'rsi:14', outputs: ['rsi:14'] },
  TRANGE: { spec: 'tr', outputs: ['tr'] },
  ATR_14: { spec: 'atr:14', outputs: ['atr:14'] },
  MACD_12_26_9: { spec: 'macd:12:26:9', outputs: ['macd:12:26:9.macd', 'macd:12:26:9.signal', 'macd:12:26:9.hist'] },
  BBANDS_20_2: { spec: 'bb:20:2', outputs: ['bb:20:2.upper', 'bb:20:2.middle', 'bb:20:2.lower'] },
  ADX_14: { spec: 'adx:14', outputs: ['adx:14.adx'] },
  PLUS_DI_14: { spec: 'adx:14', outputs: ['adx:14.pdi'] },
  MINUS_DI_14: { spec: 'adx:14', outputs: ['adx:14.mdi'] },
  STOCH_14_3_3: { spec: 'stoch:14:3:3', outputs: ['stoch:14:3:3.k', 'stoch:14:3:3.d'] },
  STOCHF_14_3: { spec: 'stochf:14:3', outputs: ['stochf:14:3.k', 'stochf:14:3.d'] },
};

/**
 * Compares our output with a TA-Lib array: NaN exactly where TA-Lib has null, elsewhere within `relTol` relative
 * (absolute below 1, where relative error of near-zero values like a MACD histogram is meaningless).
 * Returns a description of the first mismatch, or undefined.
 */
export function firstMismatch(got: ArrayLike<number>, ref: Ref, relTol = 1e-9): string | undefined {
  if (got.length !== ref.length) return `length ${got.length} vs ${ref.length}`;
  for (let i = 0; i < ref.length; i++) {
    const expected = ref[i];
    if (expected === null) {
      if (!Number.isNaN(got[i])) return `index ${i}: expected no value (TA-Lib null), got ${got[i]}`;
      continue;
    }
    if (Number.isNaN(got[i])) return `index ${i}: expected ${expected}, got no value`;
    if (Math.abs(got[i] - expected) > relTol * Math.max(1, Math.abs(expected))) {
      return `index ${i}: expected ${expected}, got ${got[i]}`;
    }
  }
  return undefined;
}
