import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSetupFile } from '../../../src/engine/setups/index.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';

describe('side-relative score criteria', () => {
  it('fvg_retrace credits "structure agrees" and "4h EMA 50 agrees" only when they agree with the signal side', () => {
    // Before: 434 of 946 shorts on this file were credited "+2, 15m structure agrees" under a bullish 15m structure.
    const candles = loadSampleCandles('binance_BTCUSDT_15m');
    const setup = loadSetupFile(path.join(ROOT, 'setups/fvg_retrace.yaml'));
    const signals = detectSignals(candles, { market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '15m' }, setups: [setup] });
    const shorts = signals.filter((s) => s.side === 'short');
    const longs = signals.filter((s) => s.side === 'long');
    expect(shorts.length).toBeGreaterThan(20);
    expect(longs.length).toBeGreaterThan(20);
    let credited = 0;
    for (const s of signals) {
      const bullish = s.side === 'long';
      const structureAgrees = s.context.structure === (bullish ? 'bullish' : 'bearish');
      expect(s.reasons.strengths.includes('15m structure agrees'), s.id).toBe(structureAgrees);
      expect(s.reasons.weaknesses.includes('15m structure still against'), s.id).toBe(!structureAgrees);
      const ema = s.context['htf.ema50'] as number;
      const close = s.context.close as number;
      const emaAgrees = bullish ? close > ema : close < ema;
      expect(s.reasons.strengths.includes('4h EMA 50 agrees'), s.id).toBe(emaAgrees);
      // The rule itself: the 4h structure points the signal's way.
      expect(s.context.htfStructure, s.id).toBe(bullish ? 'bullish' : 'bearish');
      if (structureAgrees && s.side === 'short') credited++;
    }
    expect(credited).toBeGreaterThan(5);
  }, 30_000);
});
