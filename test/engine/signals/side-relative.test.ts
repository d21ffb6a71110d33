import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSetupFile } from '../../../src/engine/setups/index.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import type { Signal } from '../../../src/engine/types.ts';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';

const candles = loadSampleCandles('binance_BTCUSDT_15m');
const signalsOf = (id: string): Signal[] =>
  detectSignals(candles, { market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '15m' }, setups: [loadSetupFile(path.join(ROOT, `setups/${id}.yaml`))] });

describe('side-relative score criteria', () => {
  it('london_breakout credits "15m structure agrees" only when the 15m structure points the signal side', () => {
    // Before: the criterion was `structure: bull`, so every short under a bullish structure was credited (as 434 of
    // 946 fvg_retrace shorts on this file were).
    const signals = signalsOf('london_breakout');
    expect(signals.filter((s) => s.side === 'short').length).toBeGreaterThan(10);
    let shortsCredited = 0;
    for (const s of signals) {
      const agrees = s.context.structure === (s.side === 'long' ? 'bullish' : 'bearish');
      expect(s.reasons.strengths.includes('15m structure agrees'), s.id).toBe(agrees);
      expect(s.reasons.weaknesses.includes('15m structure against'), s.id).toBe(!agrees);
      if (agrees && s.side === 'short') shortsCredited++;
    }
    expect(shortsCredited).toBeGreaterThan(5);
  }, 30_000);

  it('fvg_retrace trades with the 4h structure of its side and credits "4h EMA 50 agrees" relative to the side', () => {
    const signals = signalsOf('fvg_retrace');
    expect(signals.filter((s) => s.side === 'short').length).toBeGreaterThan(20);
    expect(signals.filter((s) => s.side === 'long').length).toBeGreaterThan(20);
    for (const s of signals) {
      const bullish = s.side === 'long';
      const close = s.context.close as number;
      const ema = s.context['htf.ema50'] as number;
      expect(s.reasons.strengths.includes('4h EMA 50 agrees'), s.id).toBe(bullish ? close > ema : close < ema);
      expect(s.context.htfStructure, s.id).toBe(bullish ? 'bullish' : 'bearish');
      expect(s.context.structure, s.id).toBe(bullish ? 'bullish' : 'bearish');
    }
  }, 30_000);
});
