/**
 * The honest validation tools on hand-checkable cases: bootstrap resampling and varied costs with scripted draws,
 * the deflated Sharpe ratio on Bailey & López de Prado's published example, the composite objective and the
 * genetic optimizer's specification defaults.
 */
import { describe, expect, it } from 'vitest';
import { monteCarlo, type McTrade } from '../../../src/engine/backtest/monte-carlo.ts';
import { correctForTrials, deflatedSharpe, normalCdf, normalInverse } from '../../../src/engine/backtest/deflated-sharpe.ts';
import { compositeScore } from '../../../src/engine/backtest/objective.ts';
import { GA_DEFAULTS, geneticSearch, optimize, score } from '../../../src/engine/backtest/optimizer.ts';

/** Draws in [0, 1) from a script, so every index the bootstrap picks is known in advance. */
function scripted(draws: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= draws.length) throw new Error('the test ran out of scripted draws');
    return draws[i++];
  };
}

const t = (pnl: number, over: Partial<McTrade> = {}): McTrade => ({ pnl, returnPct: pnl / 1000, notional: 1000, fees: 0, ...over });

describe('Monte Carlo bootstrap, by hand', () => {
  it('draws trades with replacement at floor(u · n) and reports numpy-style percentiles', () => {
    const trades = [t(100), t(-50), t(30)];
    // Path 1: u = .9 .1 .5 → trades #2 #0 #1 → 30, 100, −50: equity 1030, 1130, 1080 → +8 %, drawdown 50/1130.
    // Path 2: u = .4 .4 .0 → trades #1 #1 #0 → −50, −50, 100: equity 950, 900, 1000 → 0 %, drawdown 100/1000.
    const r = monteCarlo(trades, { initialCash: 1000, iterations: 2, method: 'bootstrap', random: scripted([0.9, 0.1, 0.5, 0.4, 0.4, 0]), ruinDrawdown: 0.08 });
    expect(r.returnPct.p5).toBeCloseTo(0 + 8 * 0.05, 10);
    expect(r.returnPct.p50).toBeCloseTo(4, 10);
    expect(r.returnPct.p95).toBeCloseTo(0 + 8 * 0.95, 10);
    const dd1 = (50 / 1130) * 100;
    expect(r.maxDrawdownPct.p50).toBeCloseTo((dd1 + 10) / 2, 10);
    expect(r.longestLosingStreak.p95).toBeCloseTo(1 + 0.95, 10); // streaks 1 and 2
    expect(r.probabilityOfRuin).toBe(0.5); // only path 2 draws down ≥ 8 %
  });

  it("'account' sizing compounds each trade's return on the equity it was sized from", () => {
    // +100 on 1000 of equity is +10 % of the account; drawn twice: 1000 · 1.1 · 1.1.
    const trades = [t(100, { equityBefore: 1000 }), t(-50, { equityBefore: 1100 })];
    const r = monteCarlo(trades, { initialCash: 1000, iterations: 1, method: 'bootstrap', sizing: 'account', random: scripted([0, 0]) });
    expect(r.returnPct.p50).toBeCloseTo(21, 10);
  });

  it('varied costs re-charge a trade from its own fills: slippage on entry + exit notional, fees scaled', () => {
    // u = .5 → 5 bps of (1000 + 1100) = 1.05; u = .75 → fee factor 1 + (2·.75 − 1)·.5 = 1.25 → +0.5 on fees of 2.
    const trades = [t(100, { exitNotional: 1100, fees: 2 })];
    const r = monteCarlo(trades, { initialCash: 1000, iterations: 1, method: 'none', slippageJitterBps: 10, feeJitter: 0.5, random: scripted([0.5, 0.75]) });
    expect(r.returnPct.p50).toBeCloseTo(((100 - 1.05 - 0.5) / 1000) * 100, 10);
  });

  it('a wiped-out path stops trading and counts as ruin even without a drawdown limit', () => {
    const r = monteCarlo([t(-600), t(-600)], { initialCash: 1000, iterations: 1, method: 'bootstrap', random: scripted([0, 0.5]) });
    expect(r.returnPct.p50).toBe(-100);
    expect(r.maxDrawdownPct.p50).toBe(100);
    expect(r.probabilityOfRuin).toBe(1);
  });

  it('with a seed: the percentiles an independent bootstrap (mulberry32, numpy percentiles) computes here', () => {
    // Mulberry32 as Tommy Ettinger published it, written out again here; each path draws n indices at floor(u · n).
    const mulberry32 = (seed: number) => () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let z = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
      return ((z ^ (z >>> 14)) >>> 0) / 2 ** 32;
    };
    const numpyPercentile = (values: number[], p: number) => {
      const v = [...values].sort((a, b) => a - b);
      const h = (v.length - 1) * (p / 100);
      return v[Math.floor(h)] + (h - Math.floor(h)) * ((v[Math.ceil(h)] ?? v[Math.floor(h)]) - v[Math.floor(h)]);
    };
    const pnls = [100, -50, 30, -20, 60];
    const u = mulberry32(42);
    const returns: number[] = [];
    const drawdowns: number[] = [];
    for (let path = 0; path < 7; path++) {
      let equity = 1000;
      let peak = 1000;
      let worst = 0;
      for (let k = 0; k < pnls.length; k++) {
        equity += pnls[Math.floor(u() * pnls.length)];
        peak = Math.max(peak, equity);
        worst = Math.max(worst, 1 - equity / peak);
      }
      returns.push((equity / 1000 - 1) * 100);
      drawdowns.push(worst * 100);
    }
    const r = monteCarlo(pnls.map((p) => t(p)), { initialCash: 1000, iterations: 7, seed: 42, method: 'bootstrap' });
    for (const [p, key] of [[5, 'p5'], [50, 'p50'], [95, 'p95']] as const) {
      expect(r.returnPct[key]).toBeCloseTo(numpyPercentile(returns, p), 10);
      expect(r.maxDrawdownPct[key]).toBeCloseTo(numpyPercentile(drawdowns, p), 10);
    }
    // Seven paths of five draws from these trades do not all end alike: the spread is what a reshuffle lacks.
    expect(new Set(returns).size).toBeGreaterThan(1);
    expect(r.returnPct.p5).toBeLessThan(r.returnPct.p95);
  });

  it('the bootstrap spreads the final return where a reshuffle cannot', () => {
    const trades = [100, -50, 200, -80, -20, 60].map((p) => t(p));
    const shuffled = monteCarlo(trades, { initialCash: 1000, iterations: 300, seed: 3, method: 'shuffle' });
    const boot = monteCarlo(trades, { initialCash: 1000, iterations: 300, seed: 3, method: 'bootstrap' });
    expect(shuffled.returnPct.p5).toBeCloseTo(shuffled.returnPct.p95, 9);
    expect(boot.returnPct.p5).toBeLessThan(boot.returnPct.p50);
    expect(boot.returnPct.p50).toBeLessThan(boot.returnPct.p95);
  });
});

describe('deflated Sharpe ratio', () => {
  it("reproduces Bailey & López de Prado's numerical example (SR0 ≈ 0.1132, DSR ≈ 0.9004)", () => {
    // Annualized SR 2.5 over 1,250 daily returns (250 a year), 100 trials with V[SR] = 1/2 annualized, skew −3, kurtosis 10.
    const r = deflatedSharpe({ sharpe: 2.5 / Math.sqrt(250), observations: 1250, skewness: -3, kurtosis: 10, trials: 100, sharpeVariance: 0.5 / 250 });
    expect(r.expectedMaxSharpe).toBeCloseTo(0.1132, 4);
    expect(r.deflatedSharpe).toBeCloseTo(0.9004, 3);
  });
  it('normal CDF and its inverse match the tables', () => {
    expect(normalInverse(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalInverse(0.01)).toBeCloseTo(-2.326348, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  });
  it('more trials with the same best result: less confidence; one trial: no deflation', () => {
    const best = { sharpePerPeriod: 0.1, riskPeriods: 500, returnsSkewness: 0, returnsKurtosis: 3, riskPeriodsPerYear: 365 };
    const trials = (n: number) => Array.from({ length: n }, (_, k) => ({ sharpePerPeriod: 0.1 - (k % 5) * 0.02 }));
    const one = correctForTrials(best, [best]);
    expect(one.expectedMaxSharpePerPeriod).toBe(0);
    expect(one.deflatedSharpe).toBeCloseTo(one.probabilisticSharpe, 12);
    expect(one.probabilisticSharpe).toBeCloseTo(normalCdf(0.1 * Math.sqrt(499) / Math.sqrt(1 + 0.5 * 0.01)), 9);
    const many = correctForTrials(best, trials(1000));
    expect(many.trials).toBe(1000);
    expect(many.deflatedSharpe).toBeLessThan(correctForTrials(best, trials(10)).deflatedSharpe);
    expect(many.sharpeAnnualized).toBeCloseTo(0.1 * Math.sqrt(365), 12);
  });
});

describe('composite objective and genetic defaults', () => {
  const stats = { trades: 100, sharpe: 1.2, profitFactorQuote: 1.6, maxDrawdownPct: -12 };
  it('weighs Sharpe, quote profit factor, drawdown and trade count; too few trades rank last', () => {
    // 1·1.2 + 0.5·1.6 − 0.5·12/10 + 0.25·log10(100) = 1.2 + 0.8 − 0.6 + 0.5
    expect(compositeScore(stats)).toBeCloseTo(1.9, 12);
    expect(compositeScore({ ...stats, profitFactorQuote: Infinity })).toBeCloseTo(1.2 + 1.5 - 0.6 + 0.5, 12);
    expect(score('composite', { ...stats, trades: 29 })).toBe(-Infinity);
    expect(score({ composite: { minTrades: 10, drawdown: 0 } }, { ...stats, trades: 10 })).toBeCloseTo(1.2 + 0.8 + 0.25, 12);
  });
  it("the GA's defaults are the specification's: population 50, 20 generations, mutation 0.1, crossover 0.8", async () => {
    expect(GA_DEFAULTS).toMatchObject({ population: 50, generations: 20, mutationRate: 0.1, crossoverRate: 0.8 });
    let calls = 0;
    const evaluate = (p: Record<string, number>) => {
      calls++;
      return { sharpe: -((p.x - 37) ** 2) - (p.y - 11) ** 2, trades: 50 };
    };
    const r = await optimize({ method: 'genetic', ranges: { x: { min: 0, max: 99, step: 1 }, y: { min: 0, max: 99, step: 1 } }, objective: 'sharpe', evaluate, evaluateTest: evaluate });
    expect(r.settings).toEqual({ objective: 'sharpe', population: 50, generations: 20, mutationRate: 0.1, crossoverRate: 0.8 });
    expect(r.best.params).toEqual({ x: 37, y: 11 });
    expect(calls).toBeLessThanOrEqual(50 * 20 + 1);
    expect(r.trialsCorrection.trials).toBe(r.evaluations);
    // Ten values, so most of the 1,000 points are repeats: progress still climbs to its total, never backwards.
    const seenProgress: number[] = [];
    await geneticSearch({ ranges: { x: { min: 0, max: 9, step: 1 } }, objective: 'sharpe', evaluate: (p) => ({ sharpe: p.x }), onProgress: (done, total) => { expect(total).toBe(1000); seenProgress.push(done); } });
    expect(seenProgress.at(-1)).toBe(1000);
    expect(seenProgress).toEqual([...seenProgress].sort((a, b) => a - b));
    const ranked = await geneticSearch({ ranges: { x: { min: 0, max: 9, step: 1 } }, objective: 'sharpe', evaluate: (p) => ({ sharpe: p.x }), crossoverRate: 0 });
    expect(ranked[0].params.x).toBe(9);
  });
});
