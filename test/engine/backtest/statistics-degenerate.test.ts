/**
 * Statistics that never fail: equity at 0, one trade, no trades, all wins, all losses, zero variance, and a
 * 200k-trade report (statistics, summary text and report.json) — each value defined and documented, never ±1e17.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeStatistics, maxOf, minOf } from '../../../src/engine/backtest/metrics.ts';
import { computeBreakdowns } from '../../../src/engine/backtest/breakdown.ts';
import { writeBacktestOutputs } from '../../../src/engine/backtest/outputs.ts';
import { reportSummary } from '../../../src/engine/backtest/service/summary.ts';
import type { BacktestReport, TradeRecord } from '../../../src/engine/backtest/types.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A long trade of 1 unit bought at 100 with its stop at 90 (risk 10 per unit): pnl 10 is +1R. */
function trade(id: number, pnl: number, entryStep: number, exitStep: number, step = DAY): TradeRecord {
  const exitPrice = 100 + pnl;
  return {
    id, marketIndex: 0, symbol: 'TEST/USDT', setupId: 'hand', setupVersion: 'v1', signalId: `s${id}`, side: 'long', size: 1,
    entryTs: entryStep * step, entryBar: entryStep, entryStep, entryPrice: 100,
    exitTs: exitStep * step, exitBar: exitStep, exitStep, exitPrice,
    exits: [{ ts: exitStep * step, bar: exitStep, price: exitPrice, size: 1, fee: 0, reason: pnl > 0 ? 'target' : 'stop' }],
    initialStop: 90, fees: 0, pnl, returnPct: pnl / 100, rMultiple: pnl / 10, exitReason: pnl > 0 ? 'target' : 'stop',
  };
}

/** Equity = cash + realized P&L at each trade's exit bar (trades do not overlap here). */
function curve(bars: number, trades: TradeRecord[], cash: number, step = DAY) {
  const ts = new Float64Array(bars);
  const equity = new Float64Array(bars);
  const byExit = new Map<number, number>();
  for (const t of trades) byExit.set(t.exitStep, (byExit.get(t.exitStep) ?? 0) + t.pnl);
  let value = cash;
  for (let i = 0; i < bars; i++) {
    value += byExit.get(i) ?? 0;
    ts[i] = i * step;
    equity[i] = value;
  }
  return { ts, equity };
}

function report(trades: TradeRecord[], equity: { ts: Float64Array; equity: Float64Array }, cash: number): BacktestReport {
  const stats = computeStatistics({ trades, equity, initialCash: cash, closes: [], warmupBars: 0 });
  return { assumptions: { sizing: 'hand-made' }, trades, openTrades: [], skipped: [], equity, initialCash: cash, warmupBars: 0, stats, breakdowns: computeBreakdowns(trades, cash) };
}

const summaryOf = (r: BacktestReport) =>
  reportSummary(r, { setup: 'hand@v1', market: 'test TEST/USDT 1d', candles: r.equity.ts.length, start: r.equity.ts[0], end: r.equity.ts[r.equity.ts.length - 1] }).join('\n');

/** No statistic in the text may be a float blow-up or a raw NaN / Infinity. */
function expectReadable(text: string): void {
  expect(text).not.toMatch(/NaN|Infinity|e[+-]\d/);
}

describe('degenerate statistics have defined values', () => {
  it('equity reaching 0: Sharpe, Sortino, Calmar and volatility are n/a, CAGR and annual return −100 %', () => {
    // 10,000 lost in ten days, then flat at 0 (old code: Sharpe 0 with volatility 1.2e9 %, or −1.8e72 at equity 1e-9).
    const trades = Array.from({ length: 10 }, (_, k) => trade(k + 1, -1000, 10 + k, 11 + k));
    const r = report(trades, curve(60, trades, 10_000), 10_000);
    expect(r.stats.equityFinal).toBe(0);
    expect(r.stats.ruined).toBe(true);
    expect(r.stats.returnPct).toBe(-100);
    expect(r.stats.cagrPct).toBe(-100);
    expect(r.stats.returnAnnPct).toBe(-100);
    for (const v of [r.stats.sharpe, r.stats.sortino, r.stats.calmar, r.stats.volatilityAnnPct, r.stats.sharpePerPeriod]) expect(v).toBeNaN();
    expect(r.stats.maxDrawdownPct).toBe(-100);
    const text = summaryOf(r);
    expect(text).toMatch(/^ {2}Sharpe +n\/a \(equity reached 0\)$/m);
    expectReadable(text);
  });

  it('equity a hair above 0: the annualized volatility underflows, the Sharpe ratio is n/a instead of −1e72', () => {
    const ts = new Float64Array(60).map((_, i) => i * DAY);
    const equity = new Float64Array(60).map((_, i) => (i < 10 ? 10_000 : i < 20 ? 10_000 - (i - 9) * 999.9 : 1e-9));
    const s = computeStatistics({ trades: [], equity: { ts, equity }, initialCash: 10_000, closes: [], warmupBars: 0 });
    expect(s.ruined).toBe(false);
    expect(s.sharpe).toBeNaN();
    expect(s.calmar).toBeCloseTo(-1, 9); // −100 % a year over a 100 % drawdown
  });

  it('no trades: trade figures n/a, account figures of the flat curve, report readable', () => {
    const r = report([], curve(30, [], 1000), 1000);
    const s = r.stats;
    expect(s.trades).toBe(0);
    for (const v of [s.winRatePct, s.profitFactor, s.profitFactorQuote, s.avgR, s.bestR, s.worstR, s.avgWinR, s.avgLossR, s.bestTradePct, s.sqn, s.kelly, s.sharpe, s.sortino, s.calmar, s.recoveryFactor]) {
      expect(v).toBeNaN();
    }
    expect(s.netProfitQuote).toBe(0);
    expect(s.returnPct).toBe(0);
    expect(s.maxDrawdownPct).toBe(-0);
    expect(s.var95Pct).toBe(0); // 29 daily returns of exactly 0
    expect(s.ruined).toBe(false);
    expectReadable(summaryOf(r));
  });

  it('one trade: its R is best, worst and the expectancy; SQN needs two trades', () => {
    const trades = [trade(1, 15, 2, 4)];
    const r = report(trades, curve(30, trades, 1000), 1000);
    const s = r.stats;
    expect([s.trades, s.wins, s.losses, s.winRatePct]).toEqual([1, 1, 0, 100]);
    expect([s.bestR, s.worstR, s.avgR, s.avgWinR]).toEqual([1.5, 1.5, 1.5, 1.5]);
    expect(s.avgLossR).toBeNaN();
    expect(s.sqn).toBeNaN();
    expect(s.profitFactorQuote).toBe(Infinity);
    expect(s.netProfitQuote).toBe(15);
    expectReadable(summaryOf(r));
  });

  it('all wins: the quote profit factor is unbounded and says so; Sortino without a losing day is n/a, not Infinity', async () => {
    const trades = [trade(1, 10, 1, 3), trade(2, 20, 4, 6), trade(3, 5, 7, 9)];
    const r = report(trades, curve(30, trades, 1000), 1000);
    expect(r.stats.profitFactorQuote).toBe(Infinity);
    expect(r.stats.grossProfitQuote).toBe(35);
    expect(r.stats.grossLossQuote).toBe(0);
    expect(r.stats.sortino).toBeNaN();
    expect(r.stats.maxDrawdownPct).toBe(-0);
    expect(r.stats.recoveryFactor).toBeNaN(); // no drawdown to recover from
    const text = summaryOf(r);
    expect(text).toMatch(/^ {2}Profit factor +∞ \(no losing trade\)/m);
    expectReadable(text);
    const json = JSON.parse(await readReportJson(r));
    expect(json.stats.profitFactorQuote).toBeNull();
  });

  it('all losses: profit factors 0, win side n/a, recovery factor −1 for a straight loss', () => {
    const trades = [trade(1, -10, 1, 3), trade(2, -10, 4, 6)];
    const r = report(trades, curve(30, trades, 1000), 1000);
    const s = r.stats;
    expect([s.profitFactor, s.profitFactorQuote, s.winRatePct]).toEqual([0, 0, 0]);
    expect(s.avgWinR).toBeNaN();
    expect([s.bestR, s.worstR, s.avgLossR]).toEqual([-1, -1, -1]);
    expect(s.recoveryFactor).toBeCloseTo(-1, 12); // −20 net over a 20 drawdown
    expectReadable(summaryOf(r));
  });

  it('zero variance: a curve growing by the same 0.1 % every day has no Sharpe or Sortino (old code: Sortino = Infinity)', () => {
    const ts = new Float64Array(400).map((_, i) => i * DAY);
    const equity = new Float64Array(400).map((_, i) => 10_000 * 1.001 ** i);
    const s = computeStatistics({ trades: [], equity: { ts, equity }, initialCash: 10_000, closes: [], warmupBars: 0 });
    expect(s.sharpe).toBeNaN();
    expect(s.sortino).toBeNaN();
    expect(s.sharpePerPeriod).toBeNaN();
    expect(s.returnsSkewness).toBeNaN();
    expect(s.var95Pct).toBeCloseTo(0.1, 9);
  });

  it('maxOf / minOf take 300k values (Math.max(...values) overflows the stack near 125k)', () => {
    const values = Float64Array.from({ length: 300_000 }, (_, i) => Math.sin(i));
    expect(() => Math.max(...values)).toThrow(RangeError);
    expect(maxOf(values)).toBeGreaterThan(0.99999);
    expect(minOf(values)).toBeLessThan(-0.99999);
    expect(maxOf([])).toBeNaN();
  });
});

/** Written through the same function the CLI uses. */
async function readReportJson(r: BacktestReport): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-degenerate-'));
  dirs.push(dir);
  await writeBacktestOutputs(r, dir);
  return readFileSync(path.join(dir, 'report.json'), 'utf8');
}

describe('a 200k-trade report', () => {
  it('statistics, summary text and report.json complete (old code: "Maximum call stack size exceeded")', async () => {
    // 400k one-minute bars, a trade every 2 bars: 200,000 trades alternating +1R, −0.5R, +0.2R, −1R.
    const pattern = [10, -5, 2, -10];
    const trades = Array.from({ length: 200_000 }, (_, k) => trade(k + 1, pattern[k % 4], 2 * k, 2 * k + 1, MINUTE));
    const started = Date.now();
    const r = report(trades, curve(400_000, trades, 1_000_000, MINUTE), 1_000_000);
    const s = r.stats;
    expect(s.trades).toBe(200_000);
    expect([s.bestR, s.worstR]).toEqual([1, -1]);
    expect(s.avgR).toBeCloseTo((1 - 0.5 + 0.2 - 1) / 4, 12);
    expect(s.netProfitQuote).toBe(50_000 * (10 - 5 + 2 - 10));
    expect(s.bestTradePct).toBeCloseTo(10, 12);
    expect(s.maxTradeDurationMs).toBe(MINUTE);
    expect(Number.isFinite(s.sharpe)).toBe(true);
    const text = summaryOf(r);
    expect(text).toMatch(/^ {2}Trades +200000 \(100000 won, 100000 lost\)$/m);
    expectReadable(text);
    const json = JSON.parse(await readReportJson(r));
    expect(json.trades).toHaveLength(200_000);
    expect(json.equity).toHaveLength(400_000);
    expect(json.stats.trades).toBe(200_000);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});
