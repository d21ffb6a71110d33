/**
 * Run statistics. Equity-curve and per-trade figures that backtesting.py publishes follow its definitions exactly
 * (see README.md in this folder); R-based figures and quote-currency profit factor are ITA's / Freqtrade's.
 * Nothing here may throw or overflow at any trade count (no spreading of large arrays into Math.max); degenerate
 * inputs give the documented values of DEGENERATE_CASES in README.md (NaN = "n/a", Infinity only for a profit
 * factor without a single loss).
 */
import { annualizedRisk, ceilToResolution, dataPeriodMs, mean, periodReturns } from './periodic.ts';
import { drawdowns } from './drawdown.ts';
import { accountRisk } from './account-risk.ts';
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
  /** backtesting.py: sum of positive returns / |sum of negative returns| (per-trade % of notional, not the account). */
  profitFactor: number;
  /** Freqtrade: gross profit / gross loss in quote currency; Infinity with wins and no loss, NaN without trades. */
  profitFactorQuote: number;
  grossProfitQuote: number;
  /** Positive number: |sum of the losing trades' P&L|. */
  grossLossQuote: number;
  /** Largest / smallest R multiple; mean R of the winners / of the losers (trades with a stop only). */
  bestR: number;
  worstR: number;
  avgWinR: number;
  avgLossR: number;
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
  /** Account figures in quote currency (ITA): equity final − initial; net profit / max drawdown in quote. */
  netProfitQuote: number;
  recoveryFactor: number;
  /** True when equity reached 0 or below: the account ratios (Sharpe, Sortino, Calmar) are then n/a. */
  ruined: boolean;
  /** What one period return below is ('day' for intraday and daily data). */
  riskPeriod: string;
  /** Period returns behind Sharpe, VaR and ES, and how many periods make a year. */
  riskPeriods: number;
  riskPeriodsPerYear: number;
  /** Historical 95 % VaR and expected shortfall of one period's account return, in % (losses negative). */
  var95Pct: number;
  expectedShortfall95Pct: number;
  /** Non-annualized Sharpe of the period returns and their skewness / kurtosis: the deflated Sharpe ratio's inputs. */
  sharpePerPeriod: number;
  returnsSkewness: number;
  returnsKurtosis: number;
}

/** An annualized volatility below this (a fraction) is zero variance: the Sharpe ratio is n/a, not ±1e17. */
export const ZERO_VOLATILITY = 1e-9;

/** Bucket index of an R multiple: (−∞,−2] → 0, (−2,−1] → 1, … (3,∞) → R_BUCKETS.length. */
function bucketOf(r: number): number {
  let i = 0;
  while (i < R_BUCKETS.length && r > R_BUCKETS[i]) i++;
  return i;
}

function histogramLabels(): string[] {
  const edges = [-Infinity, ...R_BUCKETS, Infinity];
  return edges.slice(1).map((hi, i) => `(${edges[i]}, ${hi}]`);
}
const HISTOGRAM_LABELS = histogramLabels();

/** Largest value by a loop (`Math.max(...values)` overflows the call stack above ~125k elements); NaN entries are skipped, NaN if none. */
export function maxOf(values: ArrayLike<number>): number {
  let best = -Infinity;
  let seen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    seen = true;
    if (v > best) best = v;
  }
  return seen ? best : NaN;
}

export function minOf(values: ArrayLike<number>): number {
  let best = Infinity;
  let seen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    seen = true;
    if (v < best) best = v;
  }
  return seen ? best : NaN;
}

/** a / b for ratios of positive sums: no denominator → Infinity when there is a numerator, NaN when there is nothing. */
function ratioOfSums(numerator: number, denominator: number): number {
  if (denominator > 0) return numerator / denominator;
  return numerator > 0 ? Infinity : NaN;
}

/** One pass over the trades (200k trades and more): sums, extremes, streaks and the R histogram together. */
export function tradeStatistics(trades: TradeRecord[], periodMs = DAY): TradeStatistics {
  const n = trades.length;
  const counts = new Array<number>(HISTOGRAM_LABELS.length).fill(0);
  let wins = 0, losses = 0, grossProfit = 0, grossLoss = 0, posRet = 0, negRet = 0, sumRet = 0, sumLogRet = 0;
  let geometricZero = false, sumR = 0, nR = 0, sumWinR = 0, nWinR = 0, sumLossR = 0, nLossR = 0;
  let bestR = NaN, worstR = NaN, bestRet = NaN, worstRet = NaN, maxDuration = NaN, sumDuration = 0, fees = 0;
  let win = 0, loss = 0, longestWinStreak = 0, longestLossStreak = 0;
  for (let i = 0; i < n; i++) {
    const t = trades[i];
    const p = t.pnl;
    const ret = t.returnPct;
    if (p > 0) { wins++; grossProfit += p; }
    else if (p < 0) { losses++; grossLoss -= p; }
    win = p > 0 ? win + 1 : 0;
    loss = p < 0 ? loss + 1 : 0;
    if (win > longestWinStreak) longestWinStreak = win;
    if (loss > longestLossStreak) longestLossStreak = loss;
    if (ret > 0) posRet += ret;
    else if (ret < 0) negRet -= ret;
    sumRet += ret;
    // backtesting.py's geometric mean: a return ≤ −100 % makes it 0.
    if (ret + 1 <= 0) geometricZero = true;
    else sumLogRet += Math.log(ret + 1);
    if (ret === ret) {
      if (!(ret <= bestRet)) bestRet = ret;
      if (!(ret >= worstRet)) worstRet = ret;
    }
    const r = t.rMultiple;
    if (r === r) {
      sumR += r;
      nR++;
      if (r > 0) { sumWinR += r; nWinR++; }
      else if (r < 0) { sumLossR += r; nLossR++; }
      if (!(r <= bestR)) bestR = r;
      if (!(r >= worstR)) worstR = r;
      counts[bucketOf(r)]++;
    }
    const duration = t.exitTs - t.entryTs;
    sumDuration += duration;
    if (!(duration <= maxDuration)) maxDuration = duration;
    fees += t.fees;
  }
  const totalProfit = grossProfit - grossLoss;
  const meanPnl = n ? totalProfit / n : NaN;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (trades[i].pnl - meanPnl) ** 2;
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : NaN;
  const winRate = n ? wins / n : NaN;
  const avg = (sum: number, count: number) => (count ? sum / count : NaN);
  return {
    trades: n,
    wins,
    losses,
    winRatePct: winRate * 100,
    totalProfitQuote: totalProfit,
    bestTradePct: bestRet * 100,
    worstTradePct: worstRet * 100,
    avgTradePct: n ? (geometricZero ? 0 : Math.exp(sumLogRet / n) - 1) * 100 : NaN,
    expectancyPct: avg(sumRet, n) * 100,
    expectancyQuote: meanPnl,
    avgR: avg(sumR, nR),
    rHistogram: HISTOGRAM_LABELS.map((bucket, i) => ({ bucket, count: counts[i] })),
    profitFactor: negRet ? posRet / negRet : NaN,
    profitFactorQuote: ratioOfSums(grossProfit, grossLoss),
    grossProfitQuote: grossProfit,
    grossLossQuote: grossLoss,
    bestR,
    worstR,
    avgWinR: avg(sumWinR, nWinR),
    avgLossR: avg(sumLossR, nLossR),
    sqn: sd > 0 ? (Math.sqrt(n) * meanPnl) / sd : NaN,
    kelly: winRate - (1 - winRate) / (avg(grossProfit, wins) / avg(grossLoss, losses)),
    longestWinStreak,
    longestLossStreak,
    maxTradeDurationMs: ceilToResolution(maxDuration, periodMs),
    avgTradeDurationMs: ceilToResolution(avg(sumDuration, n), periodMs),
    fees,
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

/**
 * log(to / from), the same double Math.log gives: a flat bar (most bars of a backtest are flat: no position) is +0
 * without calling Math.log, since x / x is exactly 1 for every finite non-zero x and log(1) is +0.
 */
function logReturn(from: number, to: number): number {
  return to === from && from !== 0 && Number.isFinite(from) ? 0 : Math.log(to / from);
}

/** Beta of bar log returns against the (single) market's log returns; NaN for portfolios. */
function betaOf(equity: ArrayLike<number>, closes: ArrayLike<number>[]): number {
  if (closes.length !== 1 || closes[0].length !== equity.length || equity.length < 3) return NaN;
  const c = closes[0];
  const n = equity.length - 1;
  // One pass over moment sums: each log is taken once (two passes took four per bar, 4 % of a 5M-bar run). Bar log
  // returns are small against their spread, so E[xy] − E[x]E[y] loses nothing that the two-pass form keeps.
  let sa = 0;
  let sb = 0;
  let sab = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const a = logReturn(equity[i], equity[i + 1]);
    const b = Math.log(c[i + 1] / c[i]);
    sa += a;
    sb += b;
    sab += a * b;
    sbb += b * b;
  }
  const ma = sa / n;
  const mb = sb / n;
  const cov = sab / n - ma * mb;
  const varB = sbb / n - mb * mb;
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
  let ruined = false;
  for (let i = 0; i < n && !ruined; i++) ruined = !(equity[i] > 0);
  // A wiped-out account has no return distribution left: the annualization formulas would divide by ~0.
  const period = periodReturns(ts, equity);
  const risk = ruined ? { returnAnn: -1, volatilityAnn: NaN, sortino: NaN } : annualizedRisk(ts, equity, period);
  const tails = accountRisk(ts, equity, period);
  const volatilityOk = risk.volatilityAnn > ZERO_VOLATILITY;
  const durationMs = n ? ts[n - 1] - ts[0] : 0;
  const years = durationMs / DAY / 365.25;
  const returnPct = ((final - first) / first) * 100;
  const buyHoldReturnPct = mean(buyHolds) * 100;
  const beta = betaOf(equity, input.closes);
  const peak = n ? maxOf(equity) : first;
  const netProfitQuote = final - first;
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
    cagrPct: !years ? NaN : ruined || final <= 0 ? -100 : ((final / first) ** (1 / years) - 1) * 100,
    sharpe: volatilityOk ? risk.returnAnn / risk.volatilityAnn : NaN,
    sortino: Number.isFinite(risk.sortino) ? risk.sortino : NaN,
    calmar: !ruined && dd.maxFraction > 0 ? risk.returnAnn / dd.maxFraction : NaN,
    alphaPct: returnPct - beta * buyHoldReturnPct,
    beta,
    maxDrawdownPct: -dd.maxFraction * 100,
    maxDrawdownQuote: dd.maxQuote,
    avgDrawdownPct: -dd.avgFraction * 100,
    maxDrawdownDurationMs: ceilToResolution(dd.maxDurationMs, periodMs),
    avgDrawdownDurationMs: ceilToResolution(dd.avgDurationMs, periodMs),
    netProfitQuote,
    recoveryFactor: dd.maxQuote > 0 ? netProfitQuote / dd.maxQuote : NaN,
    ruined,
    riskPeriod: tails.period,
    riskPeriods: tails.periods,
    riskPeriodsPerYear: tails.periodsPerYear,
    var95Pct: tails.var95Pct,
    expectedShortfall95Pct: tails.expectedShortfall95Pct,
    sharpePerPeriod: ruined ? NaN : tails.sharpePerPeriod,
    returnsSkewness: tails.skewness,
    returnsKurtosis: tails.kurtosis,
  };
}
