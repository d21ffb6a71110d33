import { describe, expect, it } from 'vitest';
import { parseSetup } from '../../../src/engine/setups/index.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import { resampleCandles } from '../../../src/engine/market/resample.ts';
import { computeIndicator, toSeries } from '../../../src/engine/indicators/index.ts';
import { timeframeMs } from '../../../src/engine/market/timeframes.ts';
import type { Candle, Timeframe } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const setupReading = (id: string, context: Timeframe) =>
  parseSetup(
    `id: ${id}
name: ${id}
description: close crosses the context EMA
rationale: test of higher-timeframe context isolation
timeframe: 1h
context: { timeframe: ${context}, indicators: { ctx_ema: "ema:5" } }
indicators: { atr: "atr:14" }
rules: { long: { crosses_above: [close, htf.ctx_ema] } }
stop: { type: atr, mult: 1 }
targets: [{ r: 1 }]
validity: { bars: 1 }
`,
    `${id}.yaml`,
  );

/** Candle indexes where close crosses above the EMA(5) of the last context candle closed by then (computed directly). */
function expectedCrosses(candles: Candle[], context: Timeframe): number[] {
  const higher = resampleCandles(candles, '1h', context);
  const ema = Object.values(computeIndicator('ema:5', toSeries(higher)))[0];
  const step = timeframeMs(context);
  const valueAt: number[] = [];
  let j = -1;
  for (const c of candles) {
    // A context candle is known once the 1h candle closing its period has closed.
    while (j + 1 < higher.length && higher[j + 1].ts + step <= c.ts + 3_600_000) j++;
    valueAt.push(j >= 0 ? ema[j] : NaN);
  }
  const out: number[] = [];
  for (let i = 1; i < candles.length; i++) if (candles[i - 1].close < valueAt[i - 1] && candles[i].close > valueAt[i]) out.push(i);
  return out;
}

describe('higher-timeframe context', () => {
  it('keeps the same indicator on two context timeframes apart, each fed only its own closed candles', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 1500);
    const setups = [setupReading('ctx_4h', '4h'), setupReading('ctx_1d', '1d')];
    const signals = detectSignals(candles, { market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' }, setups });
    const indexOf = new Map(candles.map((c, i) => [c.ts, i]));
    for (const [id, context] of [['ctx_4h', '4h'], ['ctx_1d', '1d']] as const) {
      const got = signals.filter((s) => s.setupId === id).map((s) => indexOf.get(s.ts)!);
      const expected = expectedCrosses(candles, context);
      expect(expected.length, id).toBeGreaterThan(5);
      expect(got, id).toEqual(expected);
    }
  });
});
