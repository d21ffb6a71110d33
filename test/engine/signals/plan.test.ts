import { describe, expect, it } from 'vitest';
import { planTrade, type PlanInputs } from '../../../src/engine/signals/plan.ts';

const value = (o: number | string) => (typeof o === 'number' ? o : NaN);
const base: PlanInputs = { side: 'long', close: 100, atr: 2, value };

describe('trade planning', () => {
  it('ATR stop and R targets for a long at market', () => {
    const result = planTrade({ entry: { type: 'market' }, stop: { type: 'atr', atr: 'atr', mult: 1.5 }, targets: [{ r: 1, close: 0.5 }, { r: 2, close: 0.5 }] }, base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // risk = 1.5 * 2 = 3 → stop 97, targets 103 and 106
    expect(result.plan.stop).toBe(97);
    expect(result.plan.targets.map((t) => t.price)).toEqual([103, 106]);
    expect(result.plan.rr).toBe(2);
  });

  it('mirrors for a short with a percent stop', () => {
    const result = planTrade({ entry: { type: 'market' }, stop: { type: 'percent', pct: 2 }, targets: [{ r: 3, close: 1 }] }, { ...base, side: 'short' });
    if (!result.ok) throw new Error(result.reason);
    // stop = 100 * 1.02 = 102, risk 2 → target 100 - 6 = 94
    expect(result.plan.stop).toBeCloseTo(102, 12);
    expect(result.plan.targets[0].price).toBeCloseTo(94, 12);
  });

  it('limit entry at a bullish zone edge with the stop under the zone', () => {
    const result = planTrade(
      { entry: { type: 'limit', zone: 'fvg', at: 'edge' }, stop: { type: 'zone_edge', zone: 'fvg', atr: 'atr', buffer_atr: 0.5 }, targets: [{ r: 2, close: 1 }] },
      { ...base, zone: { top: 99, bottom: 97 } },
    );
    if (!result.ok) throw new Error(result.reason);
    // entry 99 (top), stop 97 - 0.5*2 = 96, risk 3, target 105
    expect([result.plan.entryType, result.plan.entry, result.plan.stop, result.plan.targets[0].price]).toEqual(['limit', 99, 96, 105]);
  });

  it('refuses a limit whose signal candle already closed at or beyond the stop (a retrace that broke through the zone)', () => {
    const setup: Parameters<typeof planTrade>[0] = {
      entry: { type: 'limit', zone: 'fvg', at: 'edge' }, stop: { type: 'zone_edge', zone: 'fvg', atr: 'atr', buffer_atr: 0.5 }, targets: [{ r: 2, close: 1 }],
    };
    // Zone 97–99, stop 96: the candle touched the zone and closed at 95.5 (long) / mirrored for a short.
    const long = planTrade(setup, { ...base, close: 95.5, zone: { top: 99, bottom: 97 } });
    expect(long).toEqual({ ok: false, reason: 'the candle closed at 95.5, at or beyond the stop 96: the long is invalid before it is placed' });
    expect(planTrade(setup, { ...base, close: 96, zone: { top: 99, bottom: 97 } }).ok).toBe(false);
    const short = planTrade(setup, { ...base, side: 'short', close: 104, zone: { top: 103, bottom: 101 } });
    expect(short.ok).toBe(false);
    // Closing inside the zone (above the stop) is the normal retrace: planned.
    expect(planTrade(setup, { ...base, close: 97.5, zone: { top: 99, bottom: 97 } }).ok).toBe(true);
  });

  it('liquidity target picks the nearest level at least min_r away', () => {
    const result = planTrade(
      { entry: { type: 'market' }, stop: { type: 'swing', atr: 'atr', buffer_atr: 0 }, targets: [{ liquidity: true, close: 1, min_r: 1.5 }] },
      { ...base, swingLow: 98, liquidityAbove: [101, 104, 110] },
    );
    if (!result.ok) throw new Error(result.reason);
    // risk 2; 101 is 0.5R (too close), 104 is 2R → chosen
    expect(result.plan.targets).toEqual([{ price: 104, r: 2, closeFraction: 1 }]);
  });

  it('refuses a stop on the wrong side of entry, naming both prices', () => {
    const result = planTrade({ entry: { type: 'market' }, stop: { type: 'swing', atr: 'atr', buffer_atr: 0 }, targets: [{ r: 1, close: 1 }] }, { ...base, swingLow: 101 });
    expect(result).toEqual({ ok: false, reason: 'stop 101 is on the wrong side of entry 100 for a long' });
  });

  it('refuses while the ATR is still warming up', () => {
    const result = planTrade({ entry: { type: 'market' }, stop: { type: 'atr', atr: 'atr', mult: 1 }, targets: [{ r: 1, close: 1 }] }, { ...base, atr: NaN });
    expect(result.ok).toBe(false);
  });

  it('widens a stop closer than min_pct to that distance, and keeps a wider one', () => {
    // ATR 2 × 0.25 = 0.5 below 100 (0.5 %) is closer than 1 %: the stop moves to 99, risk 1, target 2R = 102.
    const rule = { entry: { type: 'market' as const }, stop: { type: 'atr' as const, atr: 'atr', mult: 0.25, min_pct: 1 }, targets: [{ r: 2, close: 1 }] };
    const close = planTrade(rule, base);
    if (!close.ok) throw new Error(close.reason);
    expect(close.plan.stop).toBeCloseTo(99, 12);
    expect(close.plan.targets[0].price).toBeCloseTo(102, 12);
    expect(close.plan.notes).toContain("stop widened to the setup's minimum distance of 1 %");
    // A short: 3 × 2 = 6 above 100 is wider than 1 %: unchanged at 106.
    const wide = planTrade({ ...rule, stop: { ...rule.stop, mult: 3 } }, { ...base, side: 'short' });
    if (!wide.ok) throw new Error(wide.reason);
    expect(wide.plan.stop).toBe(106);
    expect(wide.plan.notes).toEqual([]);
  });
});
