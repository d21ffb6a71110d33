/**
 * The backtest service over stored candles: markets, a run with progress, cancellation that stores nothing, and
 * the stored history that feeds the detector's scoring.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, type StoreLocation } from '../../../helpers/backends.ts';
import { loadSampleCandles, ROOT } from '../../../helpers/candles.ts';
import { openDatabase, type OpenedDatabase } from '../../../../src/engine/store/database.ts';
import { upsertCandles } from '../../../../src/engine/store/candles.ts';
import { backtestMigrations, BacktestCancelledError, createBacktestService, type BacktestProgress, type BacktestService } from '../../../../src/engine/backtest/service/index.ts';
import { loadSetupFile } from '../../../../src/engine/setups/index.ts';
import { withParams } from '../../../../src/engine/backtest/detector-source.ts';
import { detectSignals } from '../../../../src/engine/signals/detect.ts';

const GOOG = { exchange: 'nasdaq', symbol: 'GOOG', timeframe: '1d' as const };
const request = { setupId: 'sma_cross', symbol: 'GOOG', timeframe: '1d' as const };
const setup = loadSetupFile(path.join(ROOT, 'setups/sma_cross.yaml'));

describeBackends('backtest service', (backend) => {
  let store: OpenedDatabase;
  let service: BacktestService;
  let dataDir: string;
  let location: StoreLocation;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-bt-service-'));
    location = await backend.create();
    store = await openDatabase(location.target, { extraMigrations: { backtest_migration: backtestMigrations } });
    await upsertCandles(store, GOOG, loadSampleCandles('nasdaq_GOOG_1d'));
    service = await createBacktestService({ db: store.db, dataDir, setupsDir: path.join(ROOT, 'setups') });
  });

  afterAll(async () => {
    await store.close();
    await location.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the markets that have stored candles', async () => {
    expect(await service.markets()).toEqual([GOOG]);
  });

  it('a cancelled run rejects with a clear error and stores nothing', async () => {
    const controller = new AbortController();
    const run = service.run(request, (p) => p.stage === 'backtest' && controller.abort(), controller.signal);
    await expect(run).rejects.toThrow(BacktestCancelledError);
    await expect(run).rejects.toThrow('backtest of sma_cross on GOOG 1d cancelled; nothing was stored');

    // Cancelled between walk-forward windows (an abort arriving from outside while the run is under way).
    const second = new AbortController();
    const stages: string[] = [];
    const wf = service.run({ ...request, walkForward: true }, (p) => {
      stages.push(p.stage);
      if (p.stage === 'walk-forward') setImmediate(() => second.abort());
    }, second.signal);
    await expect(wf).rejects.toThrow(/cancelled; nothing was stored/);
    expect(stages.filter((s) => s === 'walk-forward')).toHaveLength(1);

    expect(await service.storedRuns()).toBe(0);
    expect(service.setupHistory(setup.id, setup.version)).toBeUndefined();
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('runs with progress and returns summary lines, an equity PNG and the trades CSV', async () => {
    const progress: BacktestProgress[] = [];
    const result = await service.run({ ...request, monteCarlo: 100 }, (p) => progress.push(p), new AbortController().signal);
    expect(progress.map((p) => p.stage)).toEqual(expect.arrayContaining(['loading candles', 'backtest', 'chart', 'done']));
    const backtest = progress.filter((p) => p.stage === 'backtest');
    expect(backtest.at(-1)).toEqual({ stage: 'backtest', done: 2148, total: 2148 });
    expect(result.equityPng.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(result.summary[0]).toContain(`sma_cross@${setup.version} on nasdaq GOOG 1d: 2148 candles, 2004-08-19 .. 2013-03-01`);
    for (const label of ['Trades', 'Win rate', 'Profit factor', 'Max drawdown', 'Sharpe', 'Monte Carlo']) expect(result.summary.join('\n')).toContain(label);
    const [header, ...rows] = result.tradesCsv.toString('utf8').trim().split('\n');
    expect(header).toBe('id,symbol,setup,side,entry_time,entry_price,exit_time,exit_price,size,fees,r,pnl,return_pct,exit_reason');
    expect(rows.length).toBeGreaterThan(10);
    expect(await service.storedRuns()).toBe(1);
    expect(readdirSync(dataDir)).toEqual(['backtests']);
  });

  it('stores the run per setup version: setupHistory is what the trades CSV says, and the scoring reads it', async () => {
    const result = await service.run(request, () => {}, new AbortController().signal);
    const rows = result.tradesCsv.toString('utf8').trim().split('\n').slice(1).map((r) => r.split(','));
    const pnl = rows.map((r) => Number(r[11]));
    const rs = rows.map((r) => Number(r[10]));
    const history = service.setupHistory(setup.id, setup.version)!;
    // The same market run twice counts once (the latest run replaces the earlier one).
    expect(history.trades).toBe(rows.length);
    expect(history.winRate).toBeCloseTo(pnl.filter((p) => p > 0).length / rows.length, 12);
    expect(history.expectancyR).toBeCloseTo(rs.reduce((a, b) => a + b, 0) / rs.length, 9);
    expect(service.setupHistory(setup.id, 'other-version')).toBeUndefined();

    const reopened = await createBacktestService({ db: store.db, dataDir, setupsDir: path.join(ROOT, 'setups') });
    expect(reopened.setupHistory(setup.id, setup.version)).toEqual(history);

    const candles = loadSampleCandles('nasdaq_GOOG_1d');
    const [signal] = detectSignals(candles, { market: GOOG, setups: [setup], history: service.setupHistory });
    const words = [...signal.reasons.strengths, ...signal.reasons.weaknesses].join('\n');
    expect(words).toContain(`history: ${rows.length} trades, win rate ${(history.winRate * 100).toFixed(0)}%`);
  });

  it('runs and stores the version the bot trades (a /setup edit), not the YAML file', async () => {
    const edited = withParams(setup, { fast: setup.params.fast.value + 2 });
    expect(edited.version).not.toBe(setup.version);
    const bot = await createBacktestService({ db: store.db, dataDir, setupsDir: path.join(ROOT, 'setups'), setupFor: (id) => (id === setup.id ? edited : undefined) });
    const result = await bot.run(request, () => {}, new AbortController().signal);
    expect(result.summary[0]).toContain(`sma_cross@${edited.version} on nasdaq GOOG 1d`);
    expect(bot.setupHistory(setup.id, edited.version)?.trades).toBe(result.tradesCsv.toString('utf8').trim().split('\n').length - 1);
  });

  it('refuses unknown setups and markets with the value named', async () => {
    await expect(service.run({ ...request, setupId: 'nope' }, () => {}, new AbortController().signal)).rejects.toThrow('no setup "nope"');
    await expect(service.run({ ...request, symbol: 'AAPL' }, () => {}, new AbortController().signal)).rejects.toThrow('no stored 1d candles for AAPL');
  });
});
