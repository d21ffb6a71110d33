/**
 * Period returns and annualization exactly as backtesting.py computes them: equity resampled to calendar periods
 * (last value per period, empty periods dropped), simple returns, a geometric mean over the defined returns,
 * and 252 trading days a year unless the data has weekend bars (then 365).
 */

const DAY = 86_400_000;

export interface PeriodReturns {
  /** returns[0] is NaN (no previous period), like pandas pct_change. */
  returns: number[];
  annualPeriods: number;
}

/** Median spacing of the last 100 timestamps: backtesting.py's idea of "the data period". */
export function dataPeriodMs(ts: ArrayLike<number>): number {
  const from = Math.max(0, ts.length - 100);
  const diffs: number[] = [];
  for (let i = from + 1; i < ts.length; i++) diffs.push(ts[i] - ts[i - 1]);
  if (diffs.length === 0) return NaN;
  diffs.sort((a, b) => a - b);
  const mid = diffs.length >> 1;
  return diffs.length % 2 ? diffs[mid] : (diffs[mid - 1] + diffs[mid]) / 2;
}

/** Durations are rounded UP to the data's resolution (day, hour, minute, second), as pandas Timedelta.ceil. */
export function ceilToResolution(ms: number, periodMs: number): number {
  if (!Number.isFinite(ms)) return ms;
  const unit = periodMs % DAY === 0 ? DAY : periodMs % 3_600_000 === 0 ? 3_600_000 : periodMs % 60_000 === 0 ? 60_000 : 1000;
  return Math.ceil(ms / unit) * unit;
}

function periodKey(ts: number, freqDays: number): number {
  const day = Math.floor(ts / DAY);
  if (freqDays === 31 || freqDays === 365) {
    const d = new Date(ts);
    return freqDays === 31 ? d.getUTCFullYear() * 12 + d.getUTCMonth() : d.getUTCFullYear();
  }
  // 1970-01-01 was a Thursday; pandas 'W' bins run Monday..Sunday.
  if (freqDays === 7) return Math.floor((day + 3) / 7);
  return day;
}

export function periodReturns(ts: ArrayLike<number>, equity: ArrayLike<number>): PeriodReturns {
  const freqDays = Math.floor(dataPeriodMs(ts) / DAY);
  let weekendBars = 0;
  for (let i = 0; i < ts.length; i++) {
    // 1970-01-01 was a Thursday: (day + 4) % 7 is 0 on Sundays, 6 on Saturdays.
    const dow = (Math.floor(ts[i] / DAY) + 4) % 7;
    if (dow === 0 || dow === 6) weekendBars++;
  }
  const haveWeekends = weekendBars / ts.length > (2 / 7) * 0.6;
  const annualPeriods = freqDays === 7 ? 52 : freqDays === 31 ? 12 : freqDays === 365 ? 1 : haveWeekends ? 365 : 252;
  const last: number[] = [];
  let key = NaN;
  for (let i = 0; i < ts.length; i++) {
    const k = periodKey(ts[i], freqDays);
    if (k === key) last[last.length - 1] = equity[i];
    else {
      last.push(equity[i]);
      key = k;
    }
  }
  const returns = last.map((v, i) => (i === 0 ? NaN : v / last[i - 1] - 1));
  return { returns, annualPeriods };
}

/** backtesting.py's geometric_mean: NaN counts as a 0 return; any return ≤ −100 % makes it 0. */
export function geometricMean(returns: ArrayLike<number>): number {
  if (returns.length === 0) return NaN;
  let sumLog = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = Number.isNaN(returns[i]) ? 1 : returns[i] + 1;
    if (r <= 0) return 0;
    sumLog += Math.log(r);
  }
  return Math.exp(sumLog / returns.length) - 1;
}

export function mean(values: number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export function variance(values: number[], ddof = 1): number {
  if (values.length - ddof <= 0) return NaN;
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) * (v - m);
  return sum / (values.length - ddof);
}

export interface AnnualizedRisk {
  returnAnn: number;
  volatilityAnn: number;
  sortino: number;
  periodsPerYear: number;
}

/** `period`: the curve's period returns when the caller already has them (5M-bar curves: computed once). */
export function annualizedRisk(ts: ArrayLike<number>, equity: ArrayLike<number>, period: PeriodReturns = periodReturns(ts, equity)): AnnualizedRisk {
  const { returns, annualPeriods } = period;
  // backtesting.py ≥ 0.6.6 drops the undefined first period return before the geometric mean.
  const defined = returns.filter((r) => !Number.isNaN(r));
  const g = geometricMean(defined);
  const returnAnn = (1 + g) ** annualPeriods - 1;
  const v = variance(defined, 1);
  const volatilityAnn = Math.sqrt((v + (1 + g) ** 2) ** annualPeriods - (1 + g) ** (2 * annualPeriods));
  const downside = Math.sqrt(mean(defined.map((r) => Math.min(r, 0) ** 2))) * Math.sqrt(annualPeriods);
  return { returnAnn, volatilityAnn, sortino: returnAnn / downside, periodsPerYear: annualPeriods };
}
