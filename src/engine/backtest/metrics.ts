/**
 * Run statistics. Equity-curve and per-trade figures that backtesting.py publishes follow its definitions exactly
 * (see README.md in this folder); R-based figures and quote-currency profit factor are ITA's / Freqtrade's.
 */
import { annualizedRisk, ceilToResolution, dataPeriodMs, geometricMean, mean, variance } from './periodic.ts';
import { drawdowns } from './drawdown.ts';
import type { EquityCurve, TradeRecord } from './types.ts';

const DAY = 86_400_000;

export const R_BUCKETS = [-2, -1, -0.5, 0, 0.5, 1, 2, 3] as const;

export interface TradeStatistics {
  trades: number;
  wins: number;
  losses: number;
  winRatePct: number;
  totalProfitQuote: number;
  bestTradePct: number;
  worstTradePct: number;
  /** Geometric mean of (1 + return) − 1 (backtesting.py "Avg. Trade"). */
  avgTradePct: number;
  /** Arithmetic mean return per trade (backtesting.py "Expectancy"). */
  expectancyPct: number;
  expectancyQuote: number;
  /** Mean R multiple = expectancy in R. */
  avgR: number;
  /** Counts of R multiples in buckets split at R_BUCKETS: (−∞,−2], (−2,−1], … (3,∞). */
  rHistogram: { bucket: string; count: number }[];
  /** backtesting.py: sum of positive returns / |sum of negative returns|. */
  profitFactor: number;
  /** Freqtrade: gross profit / gross loss in quote currency. */
  profitFactorQuote: number;
  sqn: number;
  kelly: number;
  longestWinStreak: number;
  longestLossStreak: number;
  maxTradeDurationMs: number;
  avgTradeDurationMs: number;
  fees: number;
}

export interface BacktestStatistics extends TradeStatistics {
  start: number;
  end: number;
  durationMs: number;
  exposurePct: number;
  equityFinal: number;
  equityPeak: number;
  returnPct: number;
  buyHoldReturnPct: number;
  returnAnnPct: number;
  volatilityAnnPct: number;
  cagrPct: number;
  sharpe: number;
  sortino: number;
  calmar: number;
  alphaPct: number;
  beta: number;
  maxDrawdownPct: number;
  maxDrawdownQuote: number;
  avgDrawdownPct: number;
  maxDrawdownDurationMs: number;
  avgDrawdownDurationMs: number;
}

function histogram(rs: number[]): { bucket: string; count: number }[] {
  const edges = [-Infinity, ...R_BUCKETS, Infinity];
  const out = edges.slice(1).map((hi, i) => ({ bucket: `(${edges[i]}, ${hi}]`, count: 0 }));
  for (const r of rs) {
    if (Number.isNaN(r)) continue;
    const i = edges.findIndex((e, k) => k > 0 && r <= e);
    out[i - 1].count++;
  }
  return out;
}

function streaks(pnls: number[]): [number, number] {
  let win = 0;
  let loss = 0;
  let bestWin = 0;
  let bestLoss = 0;
  for (const p of pnls) {
    win = p > 0 ? win + 1 : 0;
    loss = p < 0 ? loss + 1 : 0;
    bestWin = Math.max(bestWin, win);
    bestLoss = Math.max(bestLoss, loss);
  }
  return [bestWin, bestLoss];
}

export function tradeStatistics(trades: TradeRecord[], periodMs = DAY): TradeStatistics {
  const pnl = trades.map((t) => t.pnl);
  const rets = trades.map((t) => t.returnPct);
  const rs = trades.map((t) => t.rMultiple).filter((r) => !Number.isNaN(r));
  const wins = pnl.filter((p) => p > 0);
  const lossesQuote = pnl.filter((p) => p < 0);
  const n = trades.length;
  const winRate = n ? wins.length / n : NaN;
  const posRet = rets.filter((r) => r > 0).reduce((a, b) => a + b, 0);
  const negRet = Math.abs(rets.filter((r) => r < 0).reduce((a, b) => a + b, 0));
  const grossProfit = wins.reduce((a, b) => a + b, 0);
  const grossLoss = Math.abs(lossesQuote.reduce((a, b) => a + b, 0));
  const sd = Math.sqrt(variance(pnl, 1));
  const durations = trades.map((t) => t.exitTs - t.entryTs);
  const [longestWinStreak, longestLossStreak] = streaks(pnl);
  return {
    trades: n,
    wins: wins.length,
    losses: lossesQuote.length,
    winRatePct: winRate * 100,
    totalProfitQuote: pnl.reduce((a, b) => a + b, 0),
    bestTradePct: n ? Math.max(...rets) * 100 : NaN,
    worstTradePct: n ? Math.min(...rets) * 100 : NaN,
    avgTradePct: geometricMean(rets) * 100,
    expectancyPct: mean(rets) * 100,
    expectancyQuote: mean(pnl),
    avgR: mean(rs),
    rHistogram: histogram(rs),
    profitFactor: negRet ? posRet / negRet : NaN,
    profitFactorQuote: grossLoss ? grossProfit / grossLoss : NaN,
    sqn: sd ? (Math.sqrt(n) * mean(pnl)) / sd : NaN,
    kelly: winRate - (1 - winRate) / (mean(wins) / -mean(lossesQuote)),
    longestWinStreak,
    longestLossStreak,
    maxTradeDurationMs: n ? ceilToResolution(Math.max(...durations), periodMs) : NaN,
    avgTradeDurationMs: ceilToResolution(mean(durations), periodMs),
    fees: trades.reduce((a, t) => a + t.fees, 0),
  };
}

export interface StatisticsInput {
  trades: TradeRecord[];
  equity: EquityCurve;
  initialCash: number;
  /** Close prices per market (for buy-and-hold and beta). */
  closes: ArrayLike<number>[];
  warmupBars: number;
}

/** Beta of bar log returns against the (single) market's log returns; NaN for portfolios. */
function betaOf(equity: ArrayLike<number>, closes: ArrayLike<number>[]): number {
  if (closes.length !== 1 || closes[0].length !== equity.length || equity.length < 3) return NaN;
  const c = closes[0];
  const n = equity.length - 1;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    a[i] = Math.log(equity[i + 1] / equity[i]);
    b[i] = Math.log(c[i + 1] / c[i]);
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let cov = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i] - ma) * (b[i] - mb);
    varB += (b[i] - mb) * (b[i] - mb);
  }
  return cov / varB;
}

export function computeStatistics(input: StatisticsInput): BacktestStatistics {
  const { ts, equity } = input.equity;
  const n = equity.length;
  const periodMs = dataPeriodMs(ts);
  const first = n ? equity[0] : input.initialCash;
  const final = n ? equity[n - 1] : input.initialCash;
  const exposed = new Uint8Array(n);
  for (const t of input.trades) exposed.fill(1, t.entryStep, t.exitStep + 1);
  let exposedBars = 0;
  for (let i = 0; i < n; i++) exposedBars += exposed[i];
  const buyHolds = input.closes
    .filter((c) => c.length > input.warmupBars)
    .map((c) => (c[c.length - 1] - c[input.warmupBars]) / c[input.warmupBars]);
  const dd = drawdowns(ts, equity);
  const risk = annualizedRisk(ts, equity);
  const durationMs = n ? ts[n - 1] - ts[0] : 0;
  const years = durationMs / DAY / 365.25;
  const returnPct = ((final - first) / first) * 100;
  const buyHoldReturnPct = mean(buyHolds) * 100;
  const beta = betaOf(equity, input.closes);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) peak = Math.max(peak, equity[i]);
  return {
    ...tradeStatistics(input.trades, periodMs),
    start: n ? ts[0] : NaN,
    end: n ? ts[n - 1] : NaN,
    durationMs,
    exposurePct: n ? (exposedBars / n) * 100 : 0,
    equityFinal: final,
    equityPeak: peak,
    returnPct,
    buyHoldReturnPct,
    returnAnnPct: risk.returnAnn * 100,
    volatilityAnnPct: risk.volatilityAnn * 100,
    cagrPct: years ? ((final / first) ** (1 / years) - 1) * 100 : NaN,
    sharpe: risk.returnAnn / (risk.volatilityAnn || NaN),
    sortino: risk.sortino,
    calmar: risk.returnAnn / (dd.maxFraction || NaN),
    alphaPct: returnPct - beta * buyHoldReturnPct,
    beta,
    maxDrawdownPct: -dd.maxFraction * 100,
    maxDrawdownQuote: dd.maxQuote,
    avgDrawdownPct: -dd.avgFraction * 100,
    maxDrawdownDurationMs: ceilToResolution(dd.maxDurationMs, periodMs),
    avgDrawdownDurationMs: ceilToResolution(dd.avgDurationMs, periodMs),
  };
}
