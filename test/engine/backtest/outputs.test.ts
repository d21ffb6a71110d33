/** report.json and trades.csv for a hand-computed single trade. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/backtest/runner.ts';
import { writeBacktestOutputs } from '../../../src/engine/backtest/outputs.ts';
import { bars, KEY, PLAIN, scripted, signal } from './helpers.ts';

describe('backtest outputs', () => {
  it('writes report.json and trades.csv (and the equity chart through the given renderer)', async () => {
    const sig = signal({ side: 'long', entry: 100, stop: 95, targets: [{ price: 110, r: 2, closeFraction: 1 }] });
    const candles = bars([[99, 100, 98, 100], [100, 105, 99, 104], [104, 111, 103, 110]]);
    const report = runBacktest({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [sig] }), management: PLAIN, initialCash: 10_000, sizing: { kind: 'risk', riskFraction: 0.01 } });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-bt-'));
    let rendered = '';
    const files = await writeBacktestOutputs(report, dir, async (_eq, file) => void (rendered = file));
    expect(files.map((f) => path.basename(f))).toEqual(['report.json', 'trades.csv', 'equity.png']);
    expect(rendered).toBe(path.join(dir, 'equity.png'));
    const csv = readFileSync(files[1], 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id,symbol,setup,side,entry_time,entry_price,exit_time,exit_price,size,fees,r,pnl,return_pct,exit_reason');
    expect(csv[1]).toBe('1,TEST/USDT,hand@v1,long,1970-01-01T01:00:00.000Z,100,1970-01-01T02:00:00.000Z,110,20,0,2,200,10,target');
    const json = JSON.parse(readFileSync(files[0], 'utf8'));
    expect(json.equity).toEqual([[0, 10_000], [3_600_000, 10_080], [7_200_000, 10_200]]); // 20 units marked at the 104 close
    expect(json.assumptions.intrabar).toMatch(/stop first/);
    expect(json.stats.trades).toBe(1);
  });
});
