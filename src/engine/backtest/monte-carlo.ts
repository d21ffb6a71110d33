/**
 * Monte Carlo over a trade list, to see how much of a result is luck:
 * - 'bootstrap' draws N trades with replacement from the N the backtest made (other samples of the same edge:
 *   the total varies, so return and drawdown get a real spread);
 * - 'shuffle' keeps the same trades in another order (with fixed sizing the total never changes, only the path);
 * - varied costs re-charge every trade with random extra slippage and fees drawn from its own fills
 *   (the specification's "varied slippage"), alone (method 'none': same trades, same order) or on top of either.
 * Ruin is a drawdown ≥ `ruinDrawdown` or equity at or below 0.
 */
import { percentile, seededRandom, type Random } from './random.ts';

export interface McTrade {
  pnl: number;
  /** pnl / notional at entry; used by compounding mode. */
  returnPct: number;
  /** Notional at entry (size × entry price); extra slippage is charged on it at entry. */
  notional: number;
  fees: number;
  /** Notional of the exit fills (Σ size × price); extra slippage is charged on it at exit. Default: `notional`. */
  exitNotional?: number;
  /** Account equity just before the trade opened; 'account' sizing applies pnl / equityBefore to the running equity. */
  equityBefore?: number;
}

export interface MonteCarloOptions {
  initialCash: number;
  iterations?: number;
  seed?: number;
  /** Draws in [0, 1) instead of the seeded PRNG (tests script the draws to check a case by hand). */
  random?: Random;
  method?: 'shuffle' | 'bootstrap' | 'none';
  /**
   * 'fixed': add each trade's P&L (fixed-amount sizing); 'compound': apply each trade's return on its notional to
   * the running equity; 'account': apply each trade's return on the account (pnl / equityBefore), which is what
   * risk-percent and fraction-of-equity sizing do.
   */
  sizing?: 'fixed' | 'compound' | 'account';
  /** Extra adverse slippage per fill side, drawn uniformly in [0, bps] for each trade. */
  slippageJitterBps?: number;
  /** Fees multiplied by a factor drawn uniformly in [1 − x, 1 + x] for each trade. */
  feeJitter?: number;
  /** Drawdown (fraction, e.g. 0.3) counted as ruin. */
  ruinDrawdown?: number;
}

export interface Spread3 {
  p5: number;
  p50: number;
  p95: number;
}

export interface MonteCarloResult {
  iterations: number;
  method: 'shuffle' | 'bootstrap' | 'none';
  returnPct: Spread3;
  /** Positive percentages (a 12 % drawdown is 12). */
  maxDrawdownPct: Spread3;
  longestLosingStreak: Spread3;
  probabilityOfRuin: number;
  /** The ruin threshold used (fraction), or undefined when only equity ≤ 0 counts. */
  ruinDrawdown?: number;
}

function spread(values: Float64Array): Spread3 {
  const sorted = values.slice().sort();
  return { p5: percentile(sorted, 5), p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

function draw(order: Int32Array, method: MonteCarloOptions['method'], random: Random): void {
  const n = order.length;
  for (let i = 0; i < n; i++) order[i] = i;
  if (method === 'bootstrap') {
    for (let i = 0; i < n; i++) order[i] = Math.min(n - 1, Math.floor(random() * n));
  } else if (method === 'shuffle') {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
  }
}

export function monteCarlo(trades: McTrade[], o: MonteCarloOptions): MonteCarloResult {
  const iterations = o.iterations ?? 1000;
  const method = o.method ?? 'shuffle';
  const random = o.random ?? seededRandom(o.seed ?? 1);
  const n = trades.length;
  const rets = new Float64Array(iterations);
  const dds = new Float64Array(iterations);
  const streaks = new Float64Array(iterations);
  const order = new Int32Array(n);
  let ruined = 0;
  for (let it = 0; it < iterations; it++) {
    draw(order, method, random);
    let equity = o.initialCash;
    let peak = equity;
    let maxDd = 0;
    let streak = 0;
    let longest = 0;
    for (let k = 0; k < n; k++) {
      const t = trades[order[k]];
      let extra = 0;
      if (o.slippageJitterBps) extra += (t.notional + (t.exitNotional ?? t.notional)) * ((random() * o.slippageJitterBps) / 10_000);
      if (o.feeJitter) extra += t.fees * (random() * 2 - 1) * o.feeJitter;
      const pnl = t.pnl - extra;
      if (o.sizing === 'compound') equity *= 1 + pnl / t.notional;
      else if (o.sizing === 'account') equity *= 1 + pnl / (t.equityBefore ?? o.initialCash);
      else equity += pnl;
      if (equity > peak) peak = equity;
      const dd = peak > 0 ? 1 - equity / peak : 1;
      if (dd > maxDd) maxDd = dd;
      streak = pnl < 0 ? streak + 1 : 0;
      if (streak > longest) longest = streak;
      // A wiped-out account does not trade on.
      if (equity <= 0) {
        equity = 0;
        maxDd = 1;
        break;
      }
    }
    rets[it] = (equity / o.initialCash - 1) * 100;
    dds[it] = maxDd * 100;
    streaks[it] = longest;
    if (equity <= 0 || (o.ruinDrawdown !== undefined && maxDd >= o.ruinDrawdown)) ruined++;
  }
  return {
    iterations,
    method,
    returnPct: spread(rets),
    maxDrawdownPct: spread(dds),
    longestLosingStreak: spread(streaks),
    probabilityOfRuin: iterations ? ruined / iterations : NaN,
    ruinDrawdown: o.ruinDrawdown,
  };
}

interface TradeLike {
  pnl: number;
  returnPct: number;
  size: number;
  entryPrice: number;
  fees: number;
  entryStep?: number;
  exits?: { price: number; size: number }[];
}

/**
 * Adapter from backtest trades. With the equity curve, each trade also carries the account equity at the close
 * before its entry (the equity its size was computed from), for 'account' sizing.
 */
export function mcTrades(trades: TradeLike[], equity?: { values: ArrayLike<number>; initialCash: number }): McTrade[] {
  return trades.map((t) => {
    const exitNotional = t.exits?.reduce((a, e) => a + e.price * e.size, 0);
    const step = t.entryStep ?? 0;
    const equityBefore = equity ? (step > 0 ? equity.values[step - 1] : equity.initialCash) : undefined;
    return { pnl: t.pnl, returnPct: t.returnPct, notional: t.size * t.entryPrice, fees: t.fees, exitNotional, equityBefore };
  });
}
