/**
 * Grades a backtest against the specification's thresholds (minimum / good / excellent):
 *   Sharpe 1.0 / 1.5 / 2.0 · max drawdown 15 / 10 / 5 % · win rate 45 / 55 / 65 % · profit factor 1.2 / 1.5 / 2.0
 *   (quote currency) · Calmar 1 / 2 / 3.
 * Each figure gets a level (0 below the minimum … 3 excellent); the overall grade is their mean, and a strategy
 * "passes" only when no figure is below its minimum and the sample is large enough to mean something. Strengths and
 * weaknesses are plain sentences a trader can read without the table. Pure: statistics in, grade out.
 */

export type Level = 'excellent' | 'good' | 'minimum' | 'below minimum' | 'n/a';
export type OverallGrade = 'excellent' | 'good' | 'acceptable' | 'poor' | 'insufficient data';

interface Threshold {
  key: 'sharpe' | 'maxDrawdown' | 'winRate' | 'profitFactor' | 'calmar';
  label: string;
  /** minimum, good, excellent; for drawdown these are upper limits. */
  levels: [number, number, number];
  lowerIsBetter?: boolean;
  unit?: string;
}

export const THRESHOLDS: Threshold[] = [
  { key: 'sharpe', label: 'Sharpe', levels: [1.0, 1.5, 2.0] },
  { key: 'maxDrawdown', label: 'max drawdown', levels: [15, 10, 5], lowerIsBetter: true, unit: ' %' },
  { key: 'winRate', label: 'win rate', levels: [45, 55, 65], unit: ' %' },
  { key: 'profitFactor', label: 'profit factor', levels: [1.2, 1.5, 2.0] },
  { key: 'calmar', label: 'Calmar', levels: [1, 2, 3] },
];

/** Fewer trades than this and no grade is given: the figures are mostly noise. */
export const MIN_GRADED_TRADES = 30;

/** The statistics a grade reads (a BacktestStatistics fits). */
export interface GradeInput {
  trades: number;
  sharpe: number;
  /** Negative percentage, as in BacktestStatistics (−12.5 = a 12.5 % drawdown). */
  maxDrawdownPct: number;
  winRatePct: number;
  profitFactorQuote: number;
  calmar: number;
}

export interface MetricGrade {
  key: Threshold['key'];
  label: string;
  value: number;
  level: Level;
  points: number;
}

export interface Grade {
  grade: OverallGrade;
  /** Mean of the levels (0 below minimum … 3 excellent) over the defined figures. */
  score: number;
  /** True when every figure reaches its minimum and there are enough trades. */
  passed: boolean;
  metrics: MetricGrade[];
  strengths: string[];
  weaknesses: string[];
}

const LEVELS: Level[] = ['below minimum', 'minimum', 'good', 'excellent'];

function valueOf(key: Threshold['key'], s: GradeInput): number {
  switch (key) {
    case 'sharpe':
      return s.sharpe;
    case 'maxDrawdown':
      return Math.abs(s.maxDrawdownPct);
    case 'winRate':
      return s.winRatePct;
    case 'profitFactor':
      return s.profitFactorQuote;
    case 'calmar':
      return s.calmar;
  }
}

function gradeMetric(t: Threshold, value: number): MetricGrade {
  // An unbounded profit factor (no losing trade) is excellent; any other undefined figure cannot be graded.
  if (Number.isNaN(value) || (value === Infinity && t.key !== 'profitFactor')) return { key: t.key, label: t.label, value, level: 'n/a', points: NaN };
  let points = 0;
  for (let i = 0; i < 3; i++) if (t.lowerIsBetter ? value <= t.levels[i] : value >= t.levels[i]) points = i + 1;
  return { key: t.key, label: t.label, value, level: LEVELS[points], points };
}

const show = (t: Threshold, v: number) => (v === Infinity ? '∞' : `${v.toFixed(2)}${t.unit ?? ''}`);

function sentence(t: Threshold, m: MetricGrade): string {
  const [min, good, excellent] = t.levels.map((v) => `${v}${t.unit ?? ''}`);
  const cmp = t.lowerIsBetter ? '≤' : '≥';
  switch (m.level) {
    case 'excellent':
      return `${t.label} ${show(t, m.value)} is excellent (${cmp} ${excellent})`;
    case 'good':
      return `${t.label} ${show(t, m.value)} is good (${cmp} ${good}; excellent ${cmp} ${excellent})`;
    case 'minimum':
      return `${t.label} ${show(t, m.value)} only reaches the minimum (${cmp} ${min}; good ${cmp} ${good})`;
    case 'below minimum':
      return t.lowerIsBetter ? `${t.label} ${show(t, m.value)} is deeper than the minimum (${cmp} ${min})` : `${t.label} ${show(t, m.value)} is below the minimum (${cmp} ${min})`;
    default:
      return `${t.label} is undefined (no trades, no variance or the account was wiped out)`;
  }
}

export function gradeStatistics(s: GradeInput, o: { minTrades?: number } = {}): Grade {
  const minTrades = o.minTrades ?? MIN_GRADED_TRADES;
  const metrics = THRESHOLDS.map((t) => gradeMetric(t, valueOf(t.key, s)));
  const strengths: string[] = [];
  const weaknesses: string[] = [];
  THRESHOLDS.forEach((t, i) => {
    const m = metrics[i];
    if (m.level === 'excellent' || m.level === 'good') strengths.push(sentence(t, m));
    else weaknesses.push(sentence(t, m));
  });
  const defined = metrics.filter((m) => m.level !== 'n/a');
  const score = defined.length ? defined.reduce((a, m) => a + m.points, 0) / defined.length : NaN;
  const enough = s.trades >= minTrades;
  if (!enough) weaknesses.unshift(`only ${s.trades} trade${s.trades === 1 ? '' : 's'}: at least ${minTrades} are needed before the figures mean much`);
  const grade: OverallGrade = !enough || defined.length === 0 ? 'insufficient data' : score >= 2.5 ? 'excellent' : score >= 1.75 ? 'good' : score >= 1 ? 'acceptable' : 'poor';
  const passed = enough && metrics.every((m) => m.points >= 1);
  return { grade, score, passed, metrics, strengths, weaknesses };
}
