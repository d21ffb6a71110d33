/**
 * Account-level tail risk and the moments the deflated Sharpe ratio needs, from the same calendar-period equity
 * returns backtesting.py's Sharpe uses (daily for intraday and daily data, weekly/monthly for such data).
 * Every figure is defined for every input: too little data gives NaN (shown as "n/a"), never an overflow.
 */
import { percentile } from './random.ts';
import { periodReturns, type PeriodReturns } from './periodic.ts';

/** Below this many period returns a 5 % tail holds less than one observation: VaR and ES are n/a. */
export const MIN_TAIL_PERIODS = 20;

export interface AccountRisk {
  /** 'day' | 'week' | 'month' | 'year': what one period return is. */
  period: string;
  /** 252 or 365 for days, 52, 12 or 1 (backtesting.py's annualization). */
  periodsPerYear: number;
  /** Number of defined period returns. */
  periods: number;
  /** Historical 95 % value at risk: the 5th percentile of the period returns, in % (a loss is negative). */
  var95Pct: number;
  /** Expected shortfall (CVaR) 95 %: mean of the period returns at or below the VaR, in %. */
  expectedShortfall95Pct: number;
  /** Mean / standard deviation of the period returns (not annualized; the deflated Sharpe ratio's unit). */
  sharpePerPeriod: number;
  /** Sample skewness of the period returns. */
  skewness: number;
  /** Sample kurtosis (not excess: a normal distribution has 3). */
  kurtosis: number;
}

function periodName(annualPeriods: number): string {
  return annualPeriods === 52 ? 'week' : annualPeriods === 12 ? 'month' : annualPeriods === 1 ? 'year' : 'day';
}

export interface Moments {
  n: number;
  mean: number;
  std: number;
  skewness: number;
  kurtosis: number;
}

/** Mean, sample standard deviation (n − 1), skewness and kurtosis (population moments, as Bailey & López de Prado use). */
export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = n ? sum / n : NaN;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  const std = n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN;
  const popVar = m2 / n;
  // Zero variance: the shape of the distribution is undefined, not infinite.
  const flat = !(popVar > 1e-24);
  return {
    n,
    mean,
    std,
    skewness: flat || n < 3 ? NaN : m3 / n / popVar ** 1.5,
    kurtosis: flat || n < 4 ? NaN : m4 / n / (popVar * popVar),
  };
}

export function accountRisk(ts: ArrayLike<number>, equity: ArrayLike<number>, period: PeriodReturns = periodReturns(ts, equity)): AccountRisk {
  const { returns, annualPeriods } = period;
  const defined = returns.filter((r) => Number.isFinite(r));
  const sorted = Float64Array.from(defined).sort();
  let var95Pct = NaN;
  let expectedShortfall95Pct = NaN;
  if (sorted.length >= MIN_TAIL_PERIODS) {
    const cut = percentile(sorted, 5);
    let tail = 0;
    let count = 0;
    for (let i = 0; i < sorted.length && sorted[i] <= cut; i++) {
      tail += sorted[i];
      count++;
    }
    var95Pct = cut * 100;
    expectedShortfall95Pct = (count ? tail / count : cut) * 100;
  }
  const m = moments(defined);
  return {
    period: periodName(annualPeriods),
    periodsPerYear: annualPeriods,
    periods: defined.length,
    var95Pct,
    expectedShortfall95Pct,
    sharpePerPeriod: m.std > 1e-12 ? m.mean / m.std : NaN,
    skewness: m.skewness,
    kurtosis: m.kurtosis,
  };
}
