/**
 * Reference parity with backtesting.py (kernc/backtesting.py): its CI-checked SmaCross(10, 30) statistics on GOOG,
 * and its README configuration (commission / spread) trade by trade and bar by bar, from the reference fixtures.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSampleCandles, REFERENCE } from '../../helpers/candles.ts';
import { runBacktest } from '../../../src/engine/backtest/runner.ts';
import { backtestingPyMode, smaCrossSource, type BacktestingPyOptions } from '../../../src/engine/backtest/compat.ts';
import type { BacktestStatistics } from '../../../src/engine/backtest/metrics.ts';
import type { BacktestReport } from '../../../src/engine/backtest/types.ts';

const ref = JSON.parse(readFileSync(path.join(REFERENCE, 'backtesting_py_smacross_goog.json'), 'utf8'));
const candles = loadSampleCandles('nasdaq_GOOG_1d');
const key = { exchange: 'nasdaq', symbol: 'GOOG', timeframe: '1d' as const };
const DAY = 86_400_000;

function run(fast: number, slow: number, o: BacktestingPyOptions): BacktestReport {
  const source = smaCrossSource(key, candles, fast, slow);
  return runBacktest({ markets: [{ key, candles }], signalSource: source, warmupBars: source.warmupBars, ...backtestingPyMode(o) });
}

const days = (v: string) => Number(/^(\d+) days/.exec(v)![1]);

/** backtesting.py stat label → how to read it from ITA's statistics. */
const LABELS: Record<string, (s: BacktestStatistics) => number> = {
  '# Trades': (s) => s.trades,
  'Exposure Time [%]': (s) => s.exposurePct,
  'Equity Final [$]': (s) => s.equityFinal,
  'Equity Peak [$]': (s) => s.equityPeak,
  'Commissions [$]': (s) => s.fees,
  'Return [%]': (s) => s.returnPct,
  'Buy & Hold Return [%]': (s) => s.buyHoldReturnPct,
  'Return (Ann.) [%]': (s) => s.returnAnnPct,
  'Volatility (Ann.) [%]': (s) => s.volatilityAnnPct,
  'CAGR [%]': (s) => s.cagrPct,
  'Sharpe Ratio': (s) => s.sharpe,
  'Sortino Ratio': (s) => s.sortino,
  'Calmar Ratio': (s) => s.calmar,
  'Alpha [%]': (s) => s.alphaPct,
  Beta: (s) => s.beta,
  'Max. Drawdown [%]': (s) => s.maxDrawdownPct,
  'Avg. Drawdown [%]': (s) => s.avgDrawdownPct,
  'Win Rate [%]': (s) => s.winRatePct,
  'Best Trade [%]': (s) => s.bestTradePct,
  'Worst Trade [%]': (s) => s.worstTradePct,
  'Avg. Trade [%]': (s) => s.avgTradePct,
  'Profit Factor': (s) => s.profitFactor,
  'Expectancy [%]': (s) => s.expectancyPct,
  SQN: (s) => s.sqn,
  'Kelly Criterion': (s) => s.kelly,
  'Max. Drawdown Duration': (s) => s.maxDrawdownDurationMs / DAY,
  'Avg. Drawdown Duration': (s) => s.avgDrawdownDurationMs / DAY,
  'Max. Trade Duration': (s) => s.maxTradeDurationMs / DAY,
  'Avg. Trade Duration': (s) => s.avgTradeDurationMs / DAY,
  Duration: (s) => s.durationMs / DAY,
  Start: (s) => s.start,
  End: (s) => s.end,
};

function expectStats(stats: BacktestStatistics, expected: Record<string, number | string>, rel: number): number {
  let checked = 0;
  for (const [label, value] of Object.entries(expected)) {
    const read = LABELS[label];
    if (!read) continue;
    const want =
      typeof value === 'number' ? value : label === 'Start' || label === 'End' ? Date.parse(`${value.replace(' ', 'T')}Z`) : days(value);
    const got = read(stats);
    expect(Math.abs(got - want), `${label}: got ${got}, want ${want}`).toBeLessThanOrEqual(Math.abs(want) * rel + 1e-12);
    checked++;
  }
  return checked;
}

function readCsv(name: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(path.join(REFERENCE, 'backtesting_py', name), 'utf8').trim().split('\n');
  const cols = header.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

function expectTrades(report: BacktestReport, file: string): void {
  const want = readCsv(file);
  expect(report.trades.length).toBe(want.length);
  want.forEach((w, i) => {
    const t = report.trades[i];
    const label = `trade ${i}`;
    expect(t.side === 'long' ? t.size : -t.size, label).toBe(Number(w.Size));
    expect(t.entryBar, label).toBe(Number(w.EntryBar));
    expect(t.exitBar, label).toBe(Number(w.ExitBar));
    expect(t.entryPrice, label).toBeCloseTo(Number(w.EntryPrice), 6);
    expect(t.exitPrice, label).toBeCloseTo(Number(w.ExitPrice), 6);
    expect(t.pnl, label).toBeCloseTo(Number(w.PnL), 4);
    expect(t.fees, label).toBeCloseTo(Number(w.Commission), 4);
    expect(t.returnPct, label).toBeCloseTo(Number(w.ReturnPct), 9);
    expect(new Date(t.entryTs).toISOString().slice(0, 10), label).toBe(w.EntryTime);
    expect(new Date(t.exitTs).toISOString().slice(0, 10), label).toBe(w.ExitTime);
  });
}

function expectEquity(report: BacktestReport, file: string): void {
  const want = readCsv(file);
  expect(report.equity.equity.length).toBe(want.length);
  want.forEach((w, i) => {
    expect(new Date(report.equity.ts[i]).toISOString().slice(0, 10)).toBe(w.date);
    expect(Math.abs(report.equity.equity[i] - Number(w.Equity)), `equity bar ${i}`).toBeLessThan(1e-6 * Number(w.Equity));
  });
}

describe('backtesting.py parity: SmaCross(10, 30) on GOOG, finalize_trades (CI-checked test_compute_stats)', () => {
  const report = run(10, 30, { finalizeTrades: true });
  it('reproduces every published statistic to 1e-6 relative', () => {
    const checked = expectStats(report.stats, ref.published.unit_test_compute_stats.stats, 1e-6);
    expect(checked).toBe(31);
  });
  it('reproduces the trades and the equity curve bar by bar', () => {
    expectTrades(report, ref.verification.unit_test_config.trades_file);
    expectEquity(report, ref.verification.unit_test_config.equity_file);
  });
});

describe('backtesting.py parity: README SmaCross(10, 20)', () => {
  it('commission=.002, exclusive orders: stats, trades, equity', () => {
    const report = run(10, 20, { commission: 0.002 });
    const v = ref.verification.readme_config_with_current_semantics;
    // The reference table is rounded to 6 significant decimals.
    expect(expectStats(report.stats, v.stats, 1e-5)).toBeGreaterThan(25);
    expectTrades(report, v.trades_file);
    expectEquity(report, v.equity_file);
    expect(report.openTrades).toHaveLength(1);
    expect(report.openTrades[0].entryBar).toBe(2087);
  });
  it('spread=.002 adjusts entries only', () => {
    const report = run(10, 20, { spread: 0.002 });
    const v = ref.verification.readme_config_with_spread_instead_of_commission;
    expect(expectStats(report.stats, v.stats, 1e-5)).toBeGreaterThan(25);
    expectTrades(report, v.trades_file);
    expectEquity(report, v.equity_file);
  });
  it('finalize_trades closes the open trade at the last bar open', () => {
    const report = run(10, 20, { commission: 0.002, finalizeTrades: true });
    const v = ref.verification.readme_config_with_finalize_trades;
    expect(report.stats.trades).toBe(v['# Trades']);
    expect(report.stats.equityFinal).toBeCloseTo(v['Equity Final [$]'], 4);
    expect(report.stats.winRatePct).toBeCloseTo(v['Win Rate [%]'], 5);
    expect(report.stats.profitFactor).toBeCloseTo(v['Profit Factor'], 5);
    expect(report.stats.sqn).toBeCloseTo(v.SQN, 5);
    expect(report.trades.at(-1)!.exitPrice).toBe(797.8);
  });
});
