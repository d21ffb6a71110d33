/**
 * `ita backtest` end to end: the summary, the --out files, walk-forward, Monte Carlo, grid optimization and bad input,
 * on the shipped sample data (kept small so the whole file stays fast).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/candles.ts';

const ENTRY = path.join(ROOT, 'bin/ita.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ita-backtest-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ita(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [ENTRY, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// A stock is not on the governance allowlist: these runs use the research switch and take every score.
const GOOG = ['--csv', 'data/samples/nasdaq_GOOG_1d.csv', '--exchange', 'nasdaq', '--symbol', 'GOOG', '--no-governor', '--min-score', '0'];

describe('ita backtest', () => {
  it('prints the statistics table and writes report.json, trades.csv, equity.png and trade charts', () => {
    const out = path.join(tmp, 'breakout');
    const r = ita(['backtest', '--setup', 'breakout_4h', '--csv', 'data/samples/binance_BTCUSDT_4h.csv', '--from', '2020-01-01', '--out', out]);
    expect(r.stderr).not.toMatch(/^ita:/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Backtest breakout_4h@\w{12} on binance BTC\/USDT 4h: \d+ candles, 2020-01-01 \.\. 2022-10-11$/m);
    for (const label of ['Net profit', 'Profit factor', 'Total return', 'CAGR', 'Max drawdown', 'Sharpe', 'Sortino', 'Calmar', 'Recovery factor', 'VaR 95 % (1 day)', 'Expected shortfall 95 %', 'Exposure', 'Buy & hold', 'Trades', 'Win rate', 'Expectancy', 'Avg win / loss', 'Best / worst trade', 'Streaks (win / loss)', 'SQN']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${label.replace(/[/&()]/g, '\\$&')} +\\S`, 'm'));
    }
    // Account figures (quote currency) first, then per-trade figures in R, each under its own heading.
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe('Account (quote currency, net of fees and slippage)');
    const perTrade = lines.indexOf('Per trade (R = P&L / initial risk of the trade)');
    expect(perTrade).toBeGreaterThan(10);
    expect(lines[2]).toMatch(/^ {2}Net profit +[+-]?[\d,]+\.\d\d \([+-]?\d+\.\d\d %\)$/);
    expect(lines[3]).toMatch(/^ {2}Profit factor +\d+\.\d\d \(gross profit [\d,.]+ \/ gross loss [\d,.]+\)$/);
    expect(r.stdout).toMatch(/^ {2}Best \/ worst trade +[+-]\d+\.\d\dR \/ [+-]\d+\.\d\dR$/m);
    // Aligned: every statistics value of both sections starts in the same column.
    const valueColumns = lines
      .slice(2, perTrade + 8)
      .filter((line) => line.startsWith('  '))
      .map((line) => line.length - /^ {2}.+? {2,}(\S.*)$/.exec(line)![1].length);
    expect(valueColumns.length).toBe(22);
    expect(new Set(valueColumns).size).toBe(1);
    expect(r.stdout).toMatch(/^Skipped signals: \d+$/m);
    expect(r.stdout).toMatch(/^  one-position +\d+$/m);
    expect(r.stdout).toMatch(/^  setupManagement +breakout_4h overrides the default plan: break-even after \+0.6R; trail at 2 × ATR; time stop after 30 bars/m);

    const files = readdirSync(out).sort();
    expect(files).toEqual(expect.arrayContaining(['equity.png', 'report.json', 'trade-best.png', 'trade-typical-1.png', 'trade-worst.png', 'trades.csv']));
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    const csv = readFileSync(path.join(out, 'trades.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id,symbol,setup,side,entry_time,entry_price,exit_time,exit_price,size,fees,r,pnl,return_pct,exit_reason');
    expect(csv.length - 1).toBe(report.trades.length);
    expect(r.stdout).toMatch(new RegExp(`^  Trades +${report.trades.length} \\(`, 'm'));
    // Trading starts at --from: the earlier candles only warmed the detector up.
    expect(Date.parse(csv[1].split(',')[4])).toBeGreaterThanOrEqual(Date.UTC(2020, 0, 1));
    expect(readFileSync(path.join(out, 'equity.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('walk-forward prints per-window rows and the consistency score; Monte Carlo the percentiles and ruin', () => {
    const r = ita(['backtest', '--setup', 'sma_cross', ...GOOG, '--from', '2008-01-01', '--walk-forward', '--train-days', '365', '--test-days', '365', '--monte-carlo', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Walk-forward: 4 test window\(s\), fixed parameters/m);
    expect(r.stdout).toMatch(/^  1 +2009-01-0\d\.\.2010-01-0\d +\d+ +[+-]?\d+\.\d\d %/m);
    expect(r.stdout).toMatch(/^  Consistency score +-?\d\.\d\d/m);
    expect(r.stdout).toMatch(/^Monte Carlo: 200 bootstrap resamples of the trades/m);
    expect(r.stdout).toMatch(/^Monte Carlo: 200 re-costings of the same trades, extra slippage 0\.\.10 bps per fill/m);
    // The bootstrap draws other trade samples: its 5th, 50th and 95th percentiles of return and drawdown differ.
    const bootstrap = r.stdout.slice(r.stdout.indexOf('Monte Carlo: 200 bootstrap'));
    for (const label of ['Return', 'Max drawdown']) {
      const m = new RegExp(`^  ${label} +([+-]?\\d+\\.\\d\\d) % / ([+-]?\\d+\\.\\d\\d) % / ([+-]?\\d+\\.\\d\\d) %`, 'm').exec(bootstrap)!;
      expect(new Set(m.slice(1, 4)).size, label).toBe(3);
    }
    expect(r.stdout).toMatch(/^  Ruin \(drawdown ≥ 30 %\) +\d+\.\d %$/m);
    expect(r.stderr).toMatch(/^walk-forward: 4\/4$/m);
  });

  it('grid optimization reports the best parameters in and out of sample', () => {
    // A narrow copy of sma_cross keeps the grid at 6 points (fast < slow).
    const setupFile = path.join(tmp, 'sma_cross.yaml');
    const yaml = readFileSync(path.join(ROOT, 'setups/sma_cross.yaml'), 'utf8')
      .replace(/fast: \{[^}]*\}/, 'fast: { value: 10, min: 5, max: 15, step: 5 }')
      .replace(/slow: \{[^}]*\}/, 'slow: { value: 30, min: 20, max: 30, step: 10 }');
    writeFileSync(setupFile, yaml);
    const r = ita(['backtest', '--setup', setupFile, ...GOOG, '--optimize', 'grid', '--objective', 'sharpe', '--train-split', '0.6', '--workers', '2']);
    expect(r.stderr).not.toMatch(/^ita:/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Optimize \(grid\): 6 parameter sets on the training data \(until \d{4}-\d\d-\d\d\), best re-run out of sample$/m);
    expect(r.stdout).toMatch(/^  Best parameters +fast=(5|10|15), slow=(20|30)$/m);
    expect(r.stdout).toMatch(/^  Trades +\d+ +in sample \| \d+ out of sample$/m);
    expect(r.stdout).toMatch(/^  Objective \(sharpe\) +-?\d+\.\d{3} in sample, -?\d+\.\d{3} out of sample$/m);
  });

  it('prints JSON with --json', () => {
    const r = ita(['backtest', '--setup', 'sma_cross', ...GOOG, '--compat', 'backtesting.py', '--fee-taker', '0', '--json']);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout);
    // backtesting.py's SmaCross(10, 30) on this file: 66 trades (finalized), reproduced through the detector.
    expect(parsed.report.trades).toHaveLength(66);
  });

  it('names bad input: unknown setup, bad sizing, a range without candles', () => {
    let r = ita(['backtest', '--setup', 'nope', ...GOOG]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ita: no setup "nope" (looked for setups/nope.yaml)');
    r = ita(['backtest', '--setup', 'sma_cross', ...GOOG, '--sizing', 'kelly']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--sizing must be risk, fraction, amount or all-in, got "kelly"');
    r = ita(['backtest', '--setup', 'sma_cross', ...GOOG, '--from', '2030-01-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('only 0 1d candle(s) in 2030-01-01T00:00:00.000Z .. end; a backtest needs at least 2');
  });
});
