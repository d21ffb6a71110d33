import { describe, expect, it } from 'vitest';
import { applySignalPolicy, judgeSignals, type SignalPolicy } from '../../../src/engine/signals/policy.ts';
import { DEFAULT_COST_MODEL, signalCosts } from '../../../src/engine/signals/costs.ts';
import type { Signal } from '../../../src/engine/types.ts';

function signal(over: Partial<Signal> & Pick<Signal, 'side' | 'entry' | 'stop'>): Signal {
  const base: Signal = {
    id: 's', setupId: 'x', setupVersion: 'v', setupName: 'x', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '15m',
    ts: 0, entryType: 'market', targets: [], rr: 2, score: 8, rank: 1, reasons: { strengths: [], weaknesses: [] }, context: {}, validUntil: 1,
    ...over,
  };
  const dir = base.side === 'long' ? 1 : -1;
  base.targets = [{ price: base.entry + dir * 2 * Math.abs(base.entry - base.stop), r: 2, closeFraction: 1 }];
  base.costs = signalCosts(base, DEFAULT_COST_MODEL);
  return base;
}

const spot: SignalPolicy = { minScore: 7, maxCostR: 0.25, account: 'spot' };
const perp: SignalPolicy = { ...spot, account: 'perp' };

describe('signal policy', () => {
  it('pushes a long whose stopped-out fees are under 0.25 R', () => {
    // Stop 1 % away: fees (10,000 + 9,900) × 0.001 = 19.9 on a risk of 100 → 0.199 R.
    expect(applySignalPolicy(signal({ side: 'long', entry: 10_000, stop: 9_900 }), spot)).toEqual({ pass: true });
  });

  it('refuses a stop so close that fees cost more than maxCostR, saying how much', () => {
    // Stop 0.5 % away: fees (10,000 + 9,950) × 0.001 = 19.95 on a risk of 50 → 0.399 R.
    const d = applySignalPolicy(signal({ side: 'long', entry: 10_000, stop: 9_950 }), spot);
    expect(d).toEqual({ pass: false, rule: 'cost', reason: 'a stopped trade would cost 0.40 R in fees and slippage (limit 0.25 R)' });
    // The boundary: 0.8 % away costs (10,000 + 9,920) × 0.001 / 80 = 0.249 R and passes.
    expect(applySignalPolicy(signal({ side: 'long', entry: 10_000, stop: 9_920 }), spot).pass).toBe(true);
  });

  it('spot takes longs only; a perpetual takes both sides', () => {
    const short = signal({ side: 'short', entry: 10_000, stop: 10_200 });
    expect(applySignalPolicy(short, spot)).toEqual({ pass: false, rule: 'side', reason: 'a spot account cannot sell short' });
    expect(applySignalPolicy(short, perp)).toEqual({ pass: true });
  });

  it('refuses a score below the minimum, and a NaN score', () => {
    expect(applySignalPolicy(signal({ side: 'long', entry: 10_000, stop: 9_800, score: 6.9 }), spot)).toMatchObject({ pass: false, rule: 'min-score' });
    expect(applySignalPolicy(signal({ side: 'long', entry: 10_000, stop: 9_800, score: NaN }), spot)).toMatchObject({ pass: false, rule: 'min-score' });
  });

  it('judgeSignals keeps every signal and marks the refused ones with rule and reason', () => {
    const judged = judgeSignals([signal({ side: 'long', entry: 10_000, stop: 9_800 }), signal({ side: 'long', entry: 10_000, stop: 9_990 })], spot);
    expect(judged.map((s) => [s.pushed, s.rule])).toEqual([[true, undefined], [false, 'cost']]);
  });
});
