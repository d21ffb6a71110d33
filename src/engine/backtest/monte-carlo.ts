/**
 * Monte Carlo over a trade list: reshuffle the order (same trades, other paths) or bootstrap (draw with
 * replacement), optionally with random extra slippage and fee noise, and look at the spread of outcomes.
 * With fixed sizing P&L adds up, so shuffling never changes the total, only the path (drawdown, streaks).
 */
import { percentile, seededRandom } from './random.ts';

export interface McTrade {
  pnl: number;
  /** pnl / notional at entry; used by compounding mode. */
  returnPct: number;
  /** Notional at entry (size × entry price); slippage jitter is charged on it at entry and exit. */
  notional: number;
  fees: number;
}

export interface MonteCarloOptions {
  initialCash: number;
  iterations?: number;
  seed?: number;
  method?: 'shuffle' | 'bootstrap';
  /** 'fixed': add each trade's P&L; 'compound': apply each trade's return to the running equity. */
  sizing?: 'fixed' | 'compound';
  /** Extra adverse slippage per side, drawn uniformly in [0, bps]. */
  slippageJitterBps?: number;
  /** Fees multiplied by a factor drawn uniformly in [1 − x, 1 + x]. */
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
  returnPct: Spread3;
  maxDrawdownPct: Spread3;
  longestLosingStreak: Spread3;
  probabilityOfRuin: number;
}

function spread(values: Float64Array): Spread3 {
  const sorted = values.slice().sort();
  return { p5: percentile(sorted, 5), p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

export function monteCarlo(trades: McTrade[], o: MonteCarloOptions): MonteCarloResult {
  const iterations = o.iterations ?? 1000;
  const random = seededRandom(o.seed ?? 1);
  const n = trades.length;
  const rets = new Float64Array(iterations);
  const dds = new Float64Array(iterations);
  const streaks = new Float64Array(iterations);
  const order = new Int32Array(n);
  let ruined = 0;
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) order[i] = i;
    if (o.method === 'bootstrap') for (let i = 0; i < n; i++) order[i] = Math.floor(random() * n);
    else
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
    let equity = o.initialCash;
    let peak = equity;
    let maxDd = 0;
    let streak = 0;
    let longest = 0;
    for (let k = 0; k < n; k++) {
      const t = trades[order[k]];
      let extra = 0;
      if (o.slippageJitterBps) extra += 2 * t.notional * ((random() * o.slippageJitterBps) / 10_000);
      if (o.feeJitter) extra += t.fees * (random() * 2 - 1) * o.feeJitter;
      const pnl = t.pnl - extra;
      if (o.sizing === 'compound') equity *= 1 + pnl / t.notional;
      else equity += pnl;
      peak = Math.max(peak, equity);
      maxDd = Math.max(maxDd, peak > 0 ? 1 - equity / peak : 1);
      streak = pnl < 0 ? streak + 1 : 0;
      longest = Math.max(longest, streak);
    }
    rets[it] = (equity / o.initialCash - 1) * 100;
    dds[it] = maxDd * 100;
    streaks[it] = longest;
    if (o.ruinDrawdown !== undefined && maxDd >= o.ruinDrawdown) ruined++;
  }
  return {
    iterations,
    returnPct: spread(rets),
    maxDrawdownPct: spread(dds),
    longestLosingStreak: spread(streaks),
    probabilityOfRuin: ruined / iterations,
  };
}

/** Adapter from backtest trades. */
export function mcTrades(trades: { pnl: number; returnPct: number; size: number; entryPrice: number; fees: number }[]): McTrade[] {
  return trades.map((t) => ({ pnl: t.pnl, returnPct: t.returnPct, notional: t.size * t.entryPrice, fees: t.fees }));
}
