import { describe, expect, it } from 'vitest';
import { evaluateRegimes, switchStats } from '../../../src/engine/regime/evaluate.ts';
import { referenceLabels } from '../../../src/engine/regime/reference-labels.ts';
import type { Regime } from '../../../src/engine/regime/types.ts';
import type { Candle } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const c = (close: number, i: number): Candle => ({ ts: i * 60_000, open: close, high: close, low: close, close, volume: 1 });

describe('regime evaluation', () => {
  it('counts a switch as false when it is undone within 2 × min_bars_hold candles', () => {
    const L: Regime = 'range_lowvol';
    const U: Regime = 'trend_up';
    const D: Regime = 'trend_down';
    // Switches: L→U at 3, U→L at 8 (undoes the first within 12: false), L→D at 30, D→U at 45 (not a return to L).
    const labels: (Regime | undefined)[] = [undefined, L, L, ...Array(5).fill(U), ...Array(22).fill(L), ...Array(15).fill(D), ...Array(5).fill(U)];
    const stats = switchStats(labels, 12);
    expect(stats.switches).toBe(4);
    expect(stats.falseSwitches).toBe(1);
    expect(stats.falseSwitchRate).toBe(0.25);
    expect(stats.perThousandBars).toBeCloseTo((4 / 49) * 1000, 9);
  });

  it('reference labels: a clean rise is trend_up, a clean fall trend_down, a zig-zag a range; the last horizon candles have none', () => {
    // Horizon 4. Rise: +1 % per candle with a ±0.1 % wobble (|r| far above σ·√4). Zig-zag: ±1 %, returns cancel.
    const closes: number[] = [100];
    for (let i = 0; i < 20; i++) closes.push(closes[closes.length - 1] * (i % 2 ? 1.011 : 1.009));
    for (let i = 0; i < 20; i++) closes.push(closes[closes.length - 1] * (i % 2 ? 0.989 : 0.991));
    for (let i = 0; i < 20; i++) closes.push(closes[closes.length - 1] * (i % 2 ? 1.01 : 1 / 1.01));
    const labels = referenceLabels(closes.map(c), { horizon: 4, volWindow: 10 });
    expect(labels.slice(0, 16).every((l) => l === 'trend_up')).toBe(true);
    expect(labels.slice(21, 36).every((l) => l === 'trend_down')).toBe(true);
    expect(labels.slice(42, 56).every((l) => l?.startsWith('range_'))).toBe(true);
    expect(labels.slice(-4)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('reports accuracy from the confusion matrix and keeps false switches within the 5 % target on real BTC 1h', () => {
    const report = evaluateRegimes(loadSampleCandles('binance_BTCUSDT_1h').slice(0, 8000));
    const diagonal = (['trend_up', 'trend_down', 'range_lowvol', 'range_highvol', 'panic'] as const).reduce((s, l) => s + report.confusion[l][l], 0);
    expect(report.accuracy).toBeCloseTo(diagonal / report.scored, 12);
    expect(report.scored).toBeGreaterThan(7000);
    expect(report.switching.falseSwitchRate).toBeLessThanOrEqual(0.05);
    // The switching rule is what keeps it there: the raw label flip-flops far more.
    expect(report.switchingWithoutHysteresis.falseSwitchRate).toBeGreaterThan(3 * report.switching.falseSwitchRate);
  });
});
