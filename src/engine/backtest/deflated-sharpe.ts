/**
 * The deflated Sharpe ratio (Bailey & López de Prado, "The Deflated Sharpe Ratio", 2014): the probability that the
 * true Sharpe ratio of the best of N tried variants is above zero, once the best Sharpe that N variants with no
 * edge would reach by luck (SR0) and the non-normality of the returns are accounted for. All Sharpe ratios here
 * are per period (not annualized), as in the paper.
 *
 *   SR0 = √V[SR] · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)))          γ = Euler–Mascheroni
 *   PSR(SR0) = Φ( (SR − SR0) √(T − 1) / √(1 − skew·SR + (kurt − 1)/4 · SR²) )
 */
const EULER_GAMMA = 0.5772156649015329;

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 on erf; absolute error < 1.5e-7). */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Inverse standard normal CDF (Acklam's rational approximation; relative error < 1.2e-9). */
export function normalInverse(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalInverse(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** The Sharpe ratio the best of `trials` variants reaches with no edge at all, given the variance of their Sharpe ratios. */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (!(trials > 1) || !(sharpeVariance > 0)) return 0;
  return Math.sqrt(sharpeVariance) * ((1 - EULER_GAMMA) * normalInverse(1 - 1 / trials) + EULER_GAMMA * normalInverse(1 - 1 / (trials * Math.E)));
}

/** Probability that the true Sharpe ratio exceeds `benchmark`, from `observations` returns with this skewness and (non-excess) kurtosis. */
export function probabilisticSharpe(sharpe: number, benchmark: number, observations: number, skewness = 0, kurtosis = 3): number {
  if (!Number.isFinite(sharpe) || !(observations > 1)) return NaN;
  const s = Number.isFinite(skewness) ? skewness : 0;
  const k = Number.isFinite(kurtosis) ? kurtosis : 3;
  const spread = 1 - s * sharpe + ((k - 1) / 4) * sharpe * sharpe;
  if (!(spread > 0)) return NaN;
  return normalCdf(((sharpe - benchmark) * Math.sqrt(observations - 1)) / Math.sqrt(spread));
}

export interface DeflatedSharpeInput {
  /** Per-period Sharpe ratio of the selected variant. */
  sharpe: number;
  observations: number;
  skewness?: number;
  kurtosis?: number;
  trials: number;
  /** Variance of the per-period Sharpe ratios across the trials. */
  sharpeVariance: number;
}

export function deflatedSharpe(i: DeflatedSharpeInput): { expectedMaxSharpe: number; deflatedSharpe: number } {
  const sr0 = expectedMaxSharpe(i.trials, i.sharpeVariance);
  return { expectedMaxSharpe: sr0, deflatedSharpe: probabilisticSharpe(i.sharpe, sr0, i.observations, i.skewness, i.kurtosis) };
}

export interface TrialsCorrection {
  trials: number;
  /** Per-period Sharpe of the best variant and the best one N variants without edge would show (SR0). */
  sharpePerPeriod: number;
  expectedMaxSharpePerPeriod: number;
  /** Both annualized with the run's periods per year (√periods), to compare with the reported Sharpe. */
  sharpeAnnualized: number;
  expectedMaxSharpeAnnualized: number;
  /** P(true Sharpe > 0) for one variant tried alone, and after N trials (the deflated Sharpe ratio). */
  probabilisticSharpe: number;
  deflatedSharpe: number;
  observations: number;
}

const numberOr = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * The correction for a search: `best` and `all` are the statistics of the chosen variant and of every variant tried
 * (BacktestStatistics: sharpePerPeriod, riskPeriods, riskPeriodsPerYear, returnsSkewness, returnsKurtosis).
 * Variants without a defined Sharpe still count as trials.
 */
export function correctForTrials(best: Record<string, unknown>, all: Record<string, unknown>[], extraTrials = 0): TrialsCorrection {
  const sharpes = all.map((s) => numberOr(s.sharpePerPeriod, NaN)).filter((v) => Number.isFinite(v));
  let mean = 0;
  for (const v of sharpes) mean += v / sharpes.length;
  let variance = 0;
  for (const v of sharpes) variance += (v - mean) ** 2 / Math.max(1, sharpes.length - 1);
  const trials = all.length + extraTrials;
  const sr = numberOr(best.sharpePerPeriod, NaN);
  const observations = numberOr(best.riskPeriods, 0);
  const skewness = numberOr(best.returnsSkewness, 0);
  const kurtosis = numberOr(best.returnsKurtosis, 3);
  const { expectedMaxSharpe: sr0, deflatedSharpe: dsr } = deflatedSharpe({ sharpe: sr, observations, skewness, kurtosis, trials, sharpeVariance: sharpes.length > 1 ? variance : 0 });
  const perYear = Math.sqrt(numberOr(best.riskPeriodsPerYear, NaN));
  return {
    trials,
    sharpePerPeriod: sr,
    expectedMaxSharpePerPeriod: sr0,
    sharpeAnnualized: sr * perYear,
    expectedMaxSharpeAnnualized: sr0 * perYear,
    probabilisticSharpe: probabilisticSharpe(sr, 0, observations, skewness, kurtosis),
    deflatedSharpe: dsr,
    observations,
  };
}
