import { describe, expect, it } from 'vitest';
import { pearson, rollingCorrelation, simpleReturns } from '../../../src/engine/risk/correlation.ts';
import { atrPercentile } from '../../../src/engine/risk/metrics.ts';
import { evaluateIntent } from '../../../src/engine/risk/governor.ts';
import { GOV, NOW, intent, market, portfolio, position } from './helpers.ts';

describe('correlation', () => {
  it('Pearson of a hand-worked case: x 1..5, y 2,4,5,4,5 → 6 / √60 = 0.774597', () => {
    // mean x 3, mean y 4; Σdxdy = 6, Σdx² = 10, Σdy² = 6
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.7745966692414834, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
  });

  it('correlates returns, not prices: two uptrends with opposite daily moves are anti-correlated', () => {
    // a: +2 %, +0 % alternating; b: +0 %, +2 % alternating → returns perfectly anti-correlated.
    const a = [100];
    const b = [100];
    for (let i = 0; i < 40; i++) {
      a.push(a[i] * (i % 2 === 0 ? 1.02 : 1));
      b.push(b[i] * (i % 2 === 0 ? 1 : 1.02));
    }
    expect(pearson(a, b)).toBeGreaterThan(0.99);
    expect(rollingCorrelation(a, b, 90).rho).toBeCloseTo(-1, 12);
    const r = simpleReturns([100, 110, 99]);
    expect(r).toHaveLength(2);
    expect(r[0]).toBeCloseTo(0.1, 12);
    expect(r[1]).toBeCloseTo(-0.1, 12);
  });

  it('uses only the last window_days returns of aligned series', () => {
    const a = Array.from({ length: 200 }, (_, i) => 100 + i);
    const r = rollingCorrelation(a, a.slice(50), 90);
    expect(r.observations).toBe(90);
    expect(r.rho).toBeCloseTo(1, 12);
  });

  it('at most 2 correlated open positions; unknown history counts as correlated', () => {
    const base = Array.from({ length: 91 }, (_, i) => 100 * (1 + 0.02 * Math.sin(i * 1.7)));
    const twice = base.map((c) => 2 * c); // same returns → ρ = 1
    const other = Array.from({ length: 91 }, (_, i) => 100 * (1 + 0.02 * Math.cos(i * 0.31 + 2)));
    expect(Math.abs(rollingCorrelation(base, other, 90).rho!)).toBeLessThan(0.7);
    const closes = { 'BTC/USDT': base, 'ETH/USDT': twice, 'SOL/USDT': twice, 'XRP/USDT': other };
    const eth = position({ id: 'e', symbol: 'ETH/USDT', stop: 100, size: 1 });
    const sol = position({ id: 's', symbol: 'SOL/USDT', stop: 100, size: 1 });
    const xrp = position({ id: 'x', symbol: 'XRP/USDT', stop: 100, size: 1 });
    const m = market({ dailyCloses: closes });
    expect(evaluateIntent(intent(), portfolio({ openPositions: [eth, xrp] }), m, NOW, GOV).status).toBe('accepted');
    const v = evaluateIntent(intent(), portfolio({ openPositions: [eth, sol, xrp] }), m, NOW, GOV);
    expect(v).toMatchObject({ status: 'refused', rule: 'correlation' });
    expect(v.status === 'refused' && v.reason).toMatch(/moves with 2 open position\(s\) — ETH\/USDT \(ρ 1\.00\), SOL\/USDT \(ρ 1\.00\)/);
    const unknown = market({ dailyCloses: { 'BTC/USDT': base, 'ETH/USDT': twice, 'XRP/USDT': other.slice(-10) } });
    const u = evaluateIntent(intent(), portfolio({ openPositions: [eth, xrp] }), unknown, NOW, GOV);
    expect(u.status === 'refused' && u.reason).toMatch(/XRP\/USDT \(unknown: 9 daily returns < 30\)/);
  });
});

describe('ATR percentile', () => {
  it('linear interpolation between order statistics: 90th of 1..11 is 10, of 1..10 is 9.1', () => {
    expect(atrPercentile([11, 3, 1, 2, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(10);
    expect(atrPercentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1, 12);
  });
});
