/**
 * Plain-text summaries of a backtest and its validations, shared by the terminal and Telegram: aligned
 * "label  value" rows, so the numbers can be read at a glance and every assumption stays next to them.
 */
import type { BacktestReport } from '../types.ts';
import type { BacktestStatistics } from '../metrics.ts';
import type { WalkForwardResult } from '../walk-forward.ts';
import type { MonteCarloResult } from '../monte-carlo.ts';
import type { OptimizeResult } from '../optimizer.ts';
import { describeComposite, type CompositeObjective } from '../objective.ts';
import { gradeStatistics, type Grade } from '../grades.ts';

const pct = (v: number, digits = 2) => (Number.isFinite(v) ? `${v >= 0 && v !== 0 ? '+' : ''}${v.toFixed(digits)} %` : 'n/a');
const plainPct = (v: number, digits = 1) => (Number.isFinite(v) ? `${v.toFixed(digits)} %` : 'n/a');
const num = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const r = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(2)}R` : 'n/a');
const money = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 }) : 'n/a');
const signedMoney = (v: number) => (Number.isFinite(v) && v > 0 ? `+${money(v)}` : money(v));
/** Profit factors: Infinity means "won, never lost", which a trader should read as such, not as a number. */
const factor = (v: number) => (v === Infinity ? '∞ (no losing trade)' : num(v));
const ratio = (v: number, s: BacktestStatistics) => (s.ruined ? 'n/a (equity reached 0)' : num(v));

/** A section title followed by its rows; `table` pads every row of every section to one column. */
export type Section = { title: string; rows: [string, string][] };

/** Rows of [label, value] printed with the labels padded to one column. */
export function table(rows: [string, string][], indent = '  '): string[] {
  let width = 0;
  for (const [label] of rows) width = Math.max(width, label.length);
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`);
}

export function sectionLines(sections: Section[], indent = '  '): string[] {
  const all = table(sections.flatMap((s) => s.rows), indent);
  const lines: string[] = [];
  let k = 0;
  for (const s of sections) {
    lines.push(s.title);
    for (let i = 0; i < s.rows.length; i++) lines.push(all[k++]);
  }
  return lines;
}

/**
 * Account results (what happened to the money, quote currency) apart from per-trade results (in R, the unit every
 * trade risks); backtesting.py's per-trade percentages of notional only in compat mode, where they are comparable.
 */
export function statisticsSections(s: BacktestStatistics, o: { compat?: boolean } = {}): Section[] {
  const per = `1 ${s.riskPeriod}`;
  const account: Section = {
    title: 'Account (quote currency, net of fees and slippage)',
    rows: [
      ['Net profit', `${signedMoney(s.netProfitQuote)} (${pct(s.returnPct)})`],
      ['Profit factor', `${factor(s.profitFactorQuote)} (gross profit ${money(s.grossProfitQuote)} / gross loss ${money(s.grossLossQuote)})`],
      ['Total return', pct(s.returnPct)],
      ['CAGR', pct(s.cagrPct)],
      ['Max drawdown', `${pct(s.maxDrawdownPct)} (${money(-s.maxDrawdownQuote)})`],
      ['Sharpe', ratio(s.sharpe, s)],
      ['Sortino', ratio(s.sortino, s)],
      ['Calmar', ratio(s.calmar, s)],
      ['Recovery factor', `${num(s.recoveryFactor)} (net profit / max drawdown)`],
      [`VaR 95 % (${per})`, pct(s.var95Pct)],
      [`Expected shortfall 95 %`, `${pct(s.expectedShortfall95Pct)} (mean of the worst 5 % of ${s.riskPeriod}s)`],
      ['Exposure', plainPct(s.exposurePct)],
      ['Fees paid', money(s.fees)],
      ['Final equity', money(s.equityFinal)],
      ['Buy & hold', pct(s.buyHoldReturnPct)],
    ],
  };
  // backtesting.py-style orders have no stop, so no initial risk to measure R against.
  const noR = s.trades > 0 && Number.isNaN(s.avgR);
  const trades: Section = {
    title: 'Per trade (R = P&L / initial risk of the trade)',
    rows: [
      ['Trades', `${s.trades} (${s.wins} won, ${s.losses} lost)`],
      ['Win rate', plainPct(s.winRatePct)],
      ['Expectancy', noR ? `${signedMoney(s.expectancyQuote)} quote per trade (R n/a: the trades have no stop)` : `${r(s.avgR)} per trade (${signedMoney(s.expectancyQuote)} quote)`],
      ['Avg win / loss', `${r(s.avgWinR)} / ${r(s.avgLossR)}`],
      ['Best / worst trade', `${r(s.bestR)} / ${r(s.worstR)}`],
      ['Streaks (win / loss)', `${s.longestWinStreak} / ${s.longestLossStreak}`],
      ['SQN', num(s.sqn)],
    ],
  };
  const sections = [account, trades];
  if (o.compat) {
    sections.push({
      title: 'Per trade, % of position notional (backtesting.py)',
      rows: [
        ['Profit factor (returns)', num(s.profitFactor)],
        ['Expectancy (returns)', `${pct(s.expectancyPct, 3)} per trade`],
        ['Best / worst return', `${pct(s.bestTradePct)} / ${pct(s.worstTradePct)}`],
        ['Kelly', num(s.kelly, 3)],
      ],
    });
  }
  return sections;
}

/** The two sections as plain rows (kept for callers that lay out their own table). */
export function statisticsRows(s: BacktestStatistics, o: { compat?: boolean } = {}): [string, string][] {
  return statisticsSections(s, o).flatMap((sec) => sec.rows);
}

/** The grade against the specification's thresholds, with its reasons: + a strength, − a weakness. */
export function gradeLines(g: Grade): string[] {
  const verdict = g.grade === 'insufficient data' ? g.grade : `${g.grade} (${num(g.score)} of 3), ${g.passed ? 'every figure at least at its minimum' : 'not passed: a figure is below its minimum'}`;
  return [`Grade: ${verdict}`, ...g.strengths.map((s) => `  + ${s}`), ...g.weaknesses.map((w) => `  − ${w}`)];
}

export function skippedByRule(report: BacktestReport): [string, number][] {
  const counts = new Map<string, number>();
  for (const s of report.skipped) counts.set(s.rule, (counts.get(s.rule) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

export interface RunTitle {
  setup: string;
  market: string;
  /** Candles backtested and their period. */
  candles: number;
  start: number;
  end: number;
}

export function reportSummary(report: BacktestReport, title: RunTitle, o: { assumptions?: boolean; compat?: boolean } = {}): string[] {
  const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);
  const lines = [`Backtest ${title.setup} on ${title.market}: ${title.candles} candles, ${day(title.start)} .. ${day(title.end)}`];
  lines.push(...sectionLines(statisticsSections(report.stats, { compat: o.compat })));
  lines.push(...gradeLines(gradeStatistics(report.stats)));
  const skipped = skippedByRule(report);
  lines.push(`Skipped signals: ${skipped.length === 0 ? 'none' : report.skipped.length}`);
  if (skipped.length > 0) lines.push(...table(skipped.map(([rule, n]) => [rule, String(n)])));
  if (o.assumptions) {
    lines.push('Assumptions:');
    lines.push(...table(Object.entries(report.assumptions)));
  }
  return lines;
}

export function walkForwardSummary(result: WalkForwardResult, how: string): string[] {
  const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);
  const lines = [`Walk-forward: ${result.windows.length} test window(s), ${how}`];
  const header = `  ${'#'.padEnd(3)} ${'test window'.padEnd(23)} ${'trades'.padStart(6)} ${'return'.padStart(10)} ${'sharpe'.padStart(7)} ${'max DD'.padStart(10)} ${'win rate'.padStart(9)}`;
  lines.push(header);
  for (const { window, stats } of result.windows) {
    lines.push(
      `  ${String(window.index + 1).padEnd(3)} ${`${day(window.test.start)}..${day(window.test.end)}`.padEnd(23)} ${String(stats.trades).padStart(6)} ${pct(stats.returnPct).padStart(10)} ${num(stats.sharpe).padStart(7)} ${pct(stats.maxDrawdownPct).padStart(10)} ${plainPct(stats.winRatePct).padStart(9)}`,
    );
  }
  const a = result.aggregate;
  lines.push(
    ...table([
      ['Positive windows', plainPct(a.positiveShare * 100, 0)],
      ['Compounded return', pct(a.compoundedReturnPct)],
      ['Mean Sharpe (std)', `${num(a.meanSharpe)} (${num(a.sharpeStd)})`],
      ['Worst drawdown', pct(a.worstDrawdownPct)],
      ['Trades', String(a.trades)],
      ['Consistency score', `${num(a.consistency)} (1 = every window positive with equal Sharpe)`],
    ]),
  );
  return lines;
}

export function monteCarloSummary(
  result: MonteCarloResult,
  ruinDrawdownPct: number,
  o: { actualReturnPct?: number; actualDrawdownPct?: number; slippageBps?: number; feeJitter?: number } = {},
): string[] {
  const row = (s: { p5: number; p50: number; p95: number }, f: (v: number) => string) => `${f(s.p5)} / ${f(s.p50)} / ${f(s.p95)}`;
  const title =
    result.method === 'bootstrap'
      ? `Monte Carlo: ${result.iterations} bootstrap resamples of the ${'trades'} (drawn with replacement; percentiles 5 / 50 / 95)`
      : result.method === 'shuffle'
        ? `Monte Carlo: ${result.iterations} reshuffled trade orders (percentiles 5 / 50 / 95)`
        : `Monte Carlo: ${result.iterations} re-costings of the same trades, extra slippage 0..${o.slippageBps ?? 0} bps per fill, fees × ${num(1 - (o.feeJitter ?? 0), 2)}..${num(1 + (o.feeJitter ?? 0), 2)} (percentiles 5 / 50 / 95)`;
  const actual = (v: number | undefined, f: (v: number) => string) => (v === undefined ? '' : `   (backtest: ${f(v)})`);
  return [
    title,
    ...table([
      ['Return', row(result.returnPct, (v) => pct(v)) + actual(o.actualReturnPct, (v) => pct(v))],
      ['Max drawdown', row(result.maxDrawdownPct, (v) => pct(-Math.abs(v))) + actual(o.actualDrawdownPct, (v) => pct(-Math.abs(v)))],
      ['Longest losing streak', row(result.longestLosingStreak, (v) => v.toFixed(0))],
      [`Ruin (drawdown ≥ ${ruinDrawdownPct} %)`, plainPct(result.probabilityOfRuin * 100, 1)],
    ]),
  ];
}

export function optimizeSummary(result: OptimizeResult, objective: string, split: { trainEnd: number; composite?: Partial<CompositeObjective> }): string[] {
  const params = Object.entries(result.best.params).map(([k, v]) => `${k}=${v}`).join(', ');
  const s = (x: unknown, key: string) => (x as Record<string, number>)[key];
  const inS = result.best.stats;
  const outS = result.outOfSample.stats;
  const rows: [string, string][] = [
    ['Best parameters', params || '(none)'],
    [`Objective (${objective})`, `${num(result.best.score, 3)} in sample, ${num(result.outOfSample.score, 3)} out of sample`],
  ];
  if (objective === 'composite') rows.push(['Composite', describeComposite(split.composite)]);
  for (const [label, key, f] of [
    ['Trades', 'trades', (v: number) => String(v)],
    ['Return', 'returnPct', (v: number) => pct(v)],
    ['Sharpe', 'sharpe', (v: number) => num(v)],
    ['Profit factor', 'profitFactorQuote', factor],
    ['Max drawdown', 'maxDrawdownPct', (v: number) => pct(v)],
    ['Win rate', 'winRatePct', (v: number) => plainPct(v)],
    ['Expectancy', 'avgR', (v: number) => r(v)],
  ] as [string, string, (v: number) => string][]) {
    rows.push([label, `${f(s(inS, key)).padEnd(12)} in sample | ${f(s(outS, key))} out of sample`]);
  }
  const c = result.trialsCorrection;
  rows.push(
    ['Luck after N trials', `the best of ${c.trials} variants without any edge would show Sharpe ${num(c.expectedMaxSharpeAnnualized)} (annualized, arithmetic)`],
    ['Deflated Sharpe', `${plainPct(c.deflatedSharpe * 100, 1)} probability that the in-sample winner's true Sharpe is above 0 (${plainPct(c.probabilisticSharpe * 100, 1)} had it been the only variant tried; ${c.observations} ${c.observations === 1 ? 'period' : 'periods'})`],
  );
  const how = Object.entries(result.settings)
    .filter(([k]) => k !== 'objective')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  if (how) rows.unshift(['Search', how]);
  return [
    `Optimize (${result.method}): ${result.evaluations} parameter sets on the training data (until ${new Date(split.trainEnd).toISOString().slice(0, 10)}), best re-run out of sample`,
    ...table(rows),
  ];
}
