/**
 * The whole-array batch loops (batch-loops.ts) against the streaming kernels they mirror, bit for bit, where the
 * real-data consistency test does not reach: other periods (1 and 2 included), series shorter than or exactly as
 * long as the warm-up, and series with a NaN in them (a gap the kernels carry forward in their own way). The kernels
 * themselves are held to TA-Lib by talib.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { computeIndicator, createIndicator, parseIndicatorSpec, toSeries } from '../../../src/engine/indicators/index.ts';
import type { Candle } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const real = loadSampleCandles('binance_BTCUSDT_1h_2024-07');

const SPECS = [
  'sma:1', 'sma:2', 'sma:30', 'sma:200', 'ema:1', 'ema:2', 'ema:21', 'ema:200', 'wma:1', 'wma:2', 'wma:30',
  'rsi:2', 'rsi:14', 'rsi:50', 'tr', 'atr:1', 'atr:2', 'atr:14', 'macd:2:3:1', 'macd:12:26:9', 'macd:5:35:5',
  'bb:2:2', 'bb:20:2', 'bb:50:0.5',
];

function expectStreamingEqualsBatch(spec: string, candles: Candle[]): void {
  const batch = computeIndicator(spec, toSeries(candles));
  const indicator = createIndicator(spec);
  expect(Object.keys(batch)).toEqual(indicator.outputs);
  for (let i = 0; i < candles.length; i++) {
    indicator.update(candles[i]);
    for (const name of indicator.outputs) {
      const streamed = indicator.value(name);
      if (!Object.is(streamed, batch[name][i])) expect.fail(`${spec} ${name} at ${i} of ${candles.length}: streaming ${streamed}, batch ${batch[name][i]}`);
    }
  }
}

function warmupOf(spec: string): number {
  return createIndicator(parseIndicatorSpec(spec)).warmup;
}

describe.each(SPECS)('%s batch loop', (spec) => {
  it('equals the streaming kernel bit for bit on real candles', () => {
    expectStreamingEqualsBatch(spec, real);
  });

  it('equals the kernel on series shorter than, equal to and just past the warm-up', () => {
    const warmup = warmupOf(spec);
    for (const length of [0, 1, warmup, warmup + 1, warmup + 2]) expectStreamingEqualsBatch(spec, real.slice(0, length));
  });

  it('equals the kernel when a close, high or low is NaN (the gap propagates the same way)', () => {
    const at = warmupOf(spec) + 5;
    for (const field of ['close', 'high', 'low'] as const) {
      const gapped = real.slice(0, at + 40).map((c, i) => (i === at ? { ...c, [field]: NaN } : c));
      expectStreamingEqualsBatch(spec, gapped);
      const early = real.slice(0, at + 40).map((c, i) => (i === 1 ? { ...c, [field]: NaN } : c));
      expectStreamingEqualsBatch(spec, early);
    }
  });
});
