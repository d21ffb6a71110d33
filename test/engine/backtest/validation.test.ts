/** Monte Carlo, walk-forward and optimizer on small hand-checkable inputs. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { monteCarlo, type McTrade } from '../../../src/engine/backtest/monte-carlo.ts';
import { percentile, seededRandom } from '../../../src/engine/backtest/random.ts';
import { trainTestSplit, walkForward, walkForwardWindows } from '../../../src/engine/backtest/walk-forward.ts';
import { geneticSearch, gridPoints, gridSearch, optimize, score } from '../../../src/engine/backtest/optimizer.ts';
import { WorkerPool } from '../../../src/engine/backtest/worker-pool.ts';
import { peak } from './fixtures/peak.ts';

const DAY = 86_400_000;
const trade = (pnl: number): McTrade => ({ pnl, returnPct: pnl / 1000, notional: 1000, fees: 1 });

describe('Monte Carlo', () => {
  const trades = [100, -50, 200, -80, -20, 60].map(trade);
  it('shuffling never changes the total with fixed sizing; drawdown and streaks vary', () => {
    const r = monteCarlo(trades, { initialCash: 1000, iterations: 500, seed: 3 });
    for (const p of [r.returnPct.p5, r.returnPct.p50, r.returnPct.p95]) expect(p).toBeCloseTo(21, 9); // +210 on 1000
    expect(r.maxDrawdownPct.p95).toBeGreaterThan(r.maxDrawdownPct.p5);
    // Worst path: 3 losses in a row (−150 from a peak): at most 3.
    expect(r.longestLosingStreak.p95).toBeLessThanOrEqual(3);
  });
  it('is deterministic for a seed', () => {
    const o = { initialCash: 1000, iterations: 200, seed: 9, method: 'bootstrap' as const, slippageJitterBps: 5, feeJitter: 0.5 };
    expect(monteCarlo(trades, o)).toEqual(monteCarlo(trades, o));
  });
  it('ruin probability is 0 when no path can reach the limit and 1 when every path does', () => {
    // All losses together are −150 and every peak is ≥ 1000, so no path draws down more than 150/1000 = 15 %.
    expect(monteCarlo(trades, { initialCash: 1000, iterations: 300, ruinDrawdown: 0.16 }).probabilityOfRuin).toBe(0);
    // Paths that start with the three losses reach 15 %: some, not all, pass a 10 % limit.
    expect(monteCarlo(trades, { initialCash: 1000, iterations: 300, ruinDrawdown: 0.1 }).probabilityOfRuin).toBeGreaterThan(0);
    // Only losers: every path ends 1000 → 550, a 45 % drawdown, beyond a 44 % limit.
    const losers = [-150, -150, -150].map(trade);
    expect(monteCarlo(losers, { initialCash: 1000, iterations: 300, ruinDrawdown: 0.44 }).probabilityOfRuin).toBe(1);
  });
  it('percentile interpolates like numpy; PRNG is seeded', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBeCloseTo(4.8, 12);
    expect(seededRandom(5)()).toBe(seededRandom(5)());
  });
});

describe('walk-forward', () => {
  const range = { start: 0, end: 180 * DAY };
  it('rolls 60/30-day windows', () => {
    const w = walkForwardWindows(range);
    expect(w.map((x) => [x.train.start / DAY, x.test.start / DAY, x.test.end / DAY])).toEqual([
      [0, 60, 90],
      [30, 90, 120],
      [60, 120, 150],
      [90, 150, 180],
    ]);
    expect(trainTestSplit({ start: 0, end: 100 }, 0.7)).toEqual({ train: { start: 0, end: 70 }, test: { start: 70, end: 100 } });
  });
  it('aggregates per-window results into a consistency score', async () => {
    const table = [
      { returnPct: 10, sharpe: 1 },
      { returnPct: -5, sharpe: -1 },
      { returnPct: 10, sharpe: 1 },
      { returnPct: 10, sharpe: 3 },
    ];
    // `run` may return a report ({ stats }) as the backtester does.
    const r = await walkForward(range, (w) => ({ stats: { ...table[w.index], maxDrawdownPct: -w.index, trades: 2, winRatePct: 50, profitFactor: 1 } }));
    expect(r.aggregate.positiveShare).toBe(0.75);
    expect(r.aggregate.meanSharpe).toBe(1);
    expect(r.aggregate.sharpeStd).toBeCloseTo(Math.sqrt(8 / 3), 12); // deviations −0,−2,0,2 → 8/3
    expect(r.aggregate.compoundedReturnPct).toBeCloseTo((1.1 ** 3 * 0.95 - 1) * 100, 10);
    expect(r.aggregate.consistency).toBeCloseTo(0.75 / (1 + Math.sqrt(8 / 3)), 12);
    expect(r.aggregate.worstDrawdownPct).toBe(-3);
  });
});

describe('optimizer', () => {
  const ranges = { x: { min: 0, max: 10, step: 1 }, y: { min: -5, max: 5, step: 0.5 } };
  it('grid search enumerates exactly the grid', async () => {
    const points = gridPoints({ a: { min: 1, max: 2, step: 0.5 }, b: { min: 10, max: 20, step: 10 } });
    expect(points).toEqual([
      { a: 1, b: 10 }, { a: 1, b: 20 }, { a: 1.5, b: 10 }, { a: 1.5, b: 20 }, { a: 2, b: 10 }, { a: 2, b: 20 },
    ]);
    const ranked = await gridSearch({ ranges, evaluate: peak, objective: 'sharpe' });
    expect(ranked).toHaveLength(11 * 21);
    expect(ranked[0].params).toEqual({ x: 7, y: -3 });
  });
  it('the genetic algorithm finds the optimum of a known function, with fewer evaluations than the grid', async () => {
    const ranked = await geneticSearch({ ranges, evaluate: peak, objective: 'sharpe', population: 20, generations: 15, seed: 11 });
    expect(ranked[0].params).toEqual({ x: 7, y: -3 });
    expect(ranked.length).toBeLessThan(11 * 21);
  });
  it('objectives: named fields, weights, custom', () => {
    const stats = { sharpe: 1.5, calmar: 2, expectancyPct: 0.4, profitFactor: NaN };
    expect(score('calmar', stats)).toBe(2);
    expect(score('profit_factor', stats)).toBe(-Infinity);
    expect(score({ weights: { sharpe: 2, expectancyPct: 10 } }, stats)).toBe(7);
    expect(score((s) => (s.sharpe as number) * 2, stats)).toBe(3);
  });
  it('reports the winner out of sample; worker threads give the same answers', async () => {
    const pool = new WorkerPool<{ sharpe: number }>(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/peak.ts'), 'peak', 2);
    try {
      const r = await optimize({ method: 'grid', ranges: { x: { min: 5, max: 9, step: 1 }, y: { min: -4, max: -2, step: 1 } }, evaluate: (p) => pool.evaluate(p), evaluateTest: (p) => ({ sharpe: peak(p).sharpe - 1 }), objective: 'sharpe' });
      expect(r.evaluations).toBe(15);
      expect(r.best.params).toEqual({ x: 7, y: -3 });
      expect(r.best.score).toBe(10);
      expect(r.outOfSample.score).toBe(9);
    } finally {
      await pool.close();
    }
  });
});
