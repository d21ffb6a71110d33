/**
 * Plain-text summaries of a backtest and its validations, shared by the terminal and Telegram: aligned
 * "label  value" rows, so the numbers can be read at a glance and every assumption stays next to them.
 */
import type { BacktestReport } from '../types.ts';
import type { BacktestStatistics } from '../metrics.ts';
import type { WalkForwardResult } from '../walk-forward.ts';
import type { MonteCarloResult } from '../monte-carlo.ts';
import type { OptimizeResult } from '../optimizer.ts';

const pct = (v: number, digits = 2) => (Number.isFinite(v) ? `${v >= 0 && v !== 0 ? '+' : ''}${v.toFixed(digits)} %` : 'n/a');
const plainPct = (v: number, digits = 1) => (Number.isFinite(v) ? `${v.toFixed(digits)} %` : 'n/a');
const num = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const r = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(2)}R` : 'n/a');
const money = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 }) : 'n/a');

/** Rows of [label, value] printed with the labels padded to one column. */
export function table(rows: [string, string][], indent = '  '): string[] {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`);
}

export function statisticsRows(s: BacktestStatistics): [string, string][] {
  return [
    ['Trades', `${s.trades} (${s.wins} won, ${s.losses} lost)`],
    ['Win rate', plainPct(s.winRatePct)],
    ['Total return', pct(s.returnPct)],
    ['CAGR', pct(s.cagrPct)],
    ['Avg R', r(s.avgR)],
    ['Expectancy', `${pct(s.expectancyPct, 3)} per trade, ${money(s.expectancyQuote)} quote`],
    ['Profit factor', num(s.profitFactor)],
    ['Max drawdown', pct(s.maxDrawdownPct)],
    ['Sharpe', num(s.sharpe)],
    ['Sortino', num(s.sortino)],
    ['Calmar', num(s.calmar)],
    ['SQN', num(s.sqn)],
    ['Exposure', plainPct(s.exposurePct)],
    ['Best / worst trade', `${pct(s.bestTradePct)} / ${pct(s.worstTradePct)}`],
    ['Streaks (win / loss)', `${s.longestWinStreak} / ${s.longestLossStreak}`],
    ['Fees paid', money(s.fees)],
    ['Final equity', money(s.equityFinal)],
    ['Buy & hold', pct(s.buyHoldReturnPct)],
  ];
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

export function reportSummary(report: BacktestReport, title: RunTitle, o: { assumptions?: boolean } = {}): string[] {
  const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);
  const lines = [`Backtest ${title.setup} on ${title.market}: ${title.candles} candles, ${day(title.start)} .. ${day(title.end)}`];
  lines.push(...table(statisticsRows(report.stats)));
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

export function monteCarloSummary(result: MonteCarloResult, ruinDrawdownPct: number): string[] {
  const row = (s: { p5: number; p50: number; p95: number }, f: (v: number) => string) => `${f(s.p5)} / ${f(s.p50)} / ${f(s.p95)}`;
  return [
    `Monte Carlo: ${result.iterations} reshuffled trade orders (percentiles 5 / 50 / 95)`,
    ...table([
      ['Return', row(result.returnPct, (v) => pct(v))],
      ['Max drawdown', row(result.maxDrawdownPct, (v) => pct(-Math.abs(v)))],
      ['Longest losing streak', row(result.longestLosingStreak, (v) => v.toFixed(0))],
      [`Ruin (drawdown ≥ ${ruinDrawdownPct} %)`, plainPct(result.probabilityOfRuin * 100, 1)],
    ]),
  ];
}

export function optimizeSummary(result: OptimizeResult, objective: string, split: { trainEnd: number }): string[] {
  const params = Object.entries(result.best.params).map(([k, v]) => `${k}=${v}`).join(', ');
  const s = (x: unknown, key: string) => (x as Record<string, number>)[key];
  const inS = result.best.stats;
  const outS = result.outOfSample.stats;
  const rows: [string, string][] = [
    ['Best parameters', params || '(none)'],
    [`Objective (${objective})`, `${num(result.best.score, 3)} in sample, ${num(result.outOfSample.score, 3)} out of sample`],
  ];
  for (const [label, key, f] of [
    ['Trades', 'trades', (v: number) => String(v)],
    ['Return', 'returnPct', (v: number) => pct(v)],
    ['Sharpe', 'sharpe', (v: number) => num(v)],
    ['Max drawdown', 'maxDrawdownPct', (v: number) => pct(v)],
    ['Win rate', 'winRatePct', (v: number) => plainPct(v)],
    ['Avg R', 'avgR', (v: number) => r(v)],
  ] as [string, string, (v: number) => string][]) {
    rows.push([label, `${f(s(inS, key)).padEnd(12)} in sample | ${f(s(outS, key))} out of sample`]);
  }
  return [
    `Optimize (${result.method}): ${result.evaluations} parameter sets on the training data (until ${new Date(split.trainEnd).toISOString().slice(0, 10)}), best re-run out of sample`,
    ...table(rows),
  ];
}
