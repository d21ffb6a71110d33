/**
 * The edit loop of issue #10 item 6: the bot's optimizer runs the version the bot trades and offers its parameters;
 * applying them is a draft of THAT version (refused once the setup changed since) and becomes a new version that the
 * next backtest runs. Real registry, real backtest service, real stored candles (GOOG daily, the bundled sample).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { createSetupRegistry } from '../../../src/engine/journal/setup-registry.ts';
import { createSetupsService } from '../../../src/engine/services/setups.ts';
import { loadSetupsDir } from '../../../src/engine/setups/index.ts';
import { upsertCandles } from '../../../src/engine/store/candles.ts';
import { backtestMigrations, createBacktestService } from '../../../src/engine/backtest/service/index.ts';
import { openDatabase, type OpenedDatabase } from '../../../src/engine/store/database.ts';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';

const GOOG = { exchange: 'nasdaq', symbol: 'GOOG', timeframe: '1d' as const };
let store: OpenedDatabase | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  store = dir = undefined;
});

async function start() {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ita-optimize-apply-'));
  cpSync(path.join(ROOT, 'setups'), path.join(dir, 'setups'), { recursive: true });
  store = await openDatabase(':memory:', { extraMigrations: { backtest_migration: backtestMigrations } });
  await upsertCandles(store, GOOG, loadSampleCandles('nasdaq_GOOG_1d'));
  const registry = await createSetupRegistry({ db: store.db, setups: loadSetupsDir(path.join(dir, 'setups')).setups });
  const setups = createSetupsService({ registry });
  const backtest = await createBacktestService({
    db: store.db, dataDir: dir, setupsDir: path.join(dir, 'setups'), setupFor: (id) => registry.get(id)?.setup, optimizerWorkers: 1,
  });
  return { registry, setups, backtest };
}

const never = new AbortController().signal;

describe('optimizer result → apply these parameters', () => {
  it('optimizes the version the bot trades, applies the winner as a new version, and refuses a stale offer', async () => {
    const { registry, setups, backtest } = await start();
    // The trader has edited the setup in the chat: the optimizer must start from THIS version, not the YAML shipped.
    await setups.apply(await setups.draft('sma_cross', { kind: 'set', path: 'stop.mult', value: '2.5' }));
    const traded = registry.get('sma_cross')!.setup;
    const result = await backtest.run({ setupId: 'sma_cross', symbol: 'GOOG', timeframe: '1d', optimize: true }, () => {}, never);
    const o = result.optimized!;
    expect(o.setupId).toBe('sma_cross');
    expect(o.version).toBe(traded.version);
    expect(o.current).toEqual({ fast: 10, slow: 30 });
    // Inside the YAML's ranges and on their steps (fast 5..30 step 5, slow 20..100 step 10).
    expect([5, 10, 15, 20, 25, 30]).toContain(o.best.fast);
    expect([20, 30, 40, 50, 60, 70, 80, 90, 100]).toContain(o.best.slow);
    expect(o.outOfSample.trades).toBeGreaterThan(0);
    expect(result.summary.some((line) => line.startsWith('Optimize (genetic)'))).toBe(true);
    // The specification's GA settings, the out-of-sample re-run and the correction for the variants tried.
    expect(result.summary).toContainEqual(expect.stringMatching(/^ {2}Search +population 50, generations 20, mutationRate 0\.1, crossoverRate 0\.8$/));
    expect(result.summary).toContainEqual(expect.stringMatching(/^ {2}Sharpe +\S+ +in sample \| \S+ out of sample$/));
    expect(result.summary).toContainEqual(expect.stringMatching(/^ {2}Deflated Sharpe +\d+\.\d % probability that the in-sample winner's true Sharpe is above 0/));
    expect(result.summary.some((line) => line.includes(`sma_cross@${traded.version}`))).toBe(true);

    // A value the optimizer might not change is still a valid draft; force a visible change to check the YAML edit.
    const values = { fast: 15, slow: 60 };
    const draft = await setups.draft('sma_cross', { kind: 'params', values, expectedVersion: o.version });
    expect(draft.baseVersion).toBe(traded.version);
    const applied = await setups.apply(draft);
    expect(applied.version).not.toBe(traded.version);
    const file = parseDocument(readFileSync(path.join(dir!, 'setups', 'sma_cross.yaml'), 'utf8')).toJS();
    expect(file.params).toEqual({ fast: { value: 15, min: 5, max: 30, step: 5 }, slow: { value: 60, min: 20, max: 100, step: 10 } });
    expect(file.stop).toMatchObject({ mult: 2.5 }); // the earlier chat edit is kept

    // The same offer pressed again: the setup has changed since, so nothing is drafted.
    await expect(setups.draft('sma_cross', { kind: 'params', values, expectedVersion: o.version })).rejects.toThrow(/changed since these parameters were found/);
    // The next backtest runs the applied version.
    const after = await backtest.run({ setupId: 'sma_cross', symbol: 'GOOG', timeframe: '1d' }, () => {}, never);
    expect(after.summary[0]).toContain(`sma_cross@${applied.version}`);
    expect(after.optimized).toBeUndefined();
  }, 120_000);

  it('a draft shown before another edit landed is refused on Confirm instead of undoing that edit', async () => {
    const { registry, setups } = await start();
    const first = await setups.draft('sma_cross', { kind: 'params', values: { fast: 20 } });
    await setups.apply(await setups.draft('sma_cross', { kind: 'set', path: 'stop.mult', value: '2' }));
    const edited = registry.get('sma_cross')!.setup.version;
    await expect(setups.apply(first)).rejects.toThrow(/changed since this draft/);
    expect(registry.get('sma_cross')!.setup.version).toBe(edited);
    expect(registry.get('sma_cross')!.setup.stop).toMatchObject({ mult: 2 });
    await expect(setups.draft('sma_cross', { kind: 'params', values: { fastest: 3 } })).rejects.toThrow('setup sma_cross has no parameter "fastest" (it has: fast, slow)');
  });
});
