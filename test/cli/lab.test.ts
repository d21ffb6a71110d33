/**
 * `ita lab generate` end to end: the real CLI process, its LLM configured by environment to a local
 * OpenAI-compatible fake, GOOG daily candles; one proposal survives and is saved disabled, one is refused.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleCandles, ROOT } from '../helpers/candles.ts';
import { openDatabase } from '../../src/engine/store/database.ts';
import { agentRecords, labMigrations, listLabRuns, testedTheories } from '../../src/engine/lab/store.ts';
import { upsertCandles } from '../../src/engine/store/candles.ts';
import { openKnowledgeBase } from '../../src/knowledge/index.ts';
import { startOpenAiFake, type OpenAiFake } from '../helpers/openai-fake.ts';
import { storeArea } from '../helpers/store-area.ts';

const ENTRY = path.join(ROOT, 'bin/ita.js');

/** Asynchronous: the fake answers from this process while the CLI waits for it. */
function ita(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const sma = {
  id: 'lab_sma_cross',
  name: 'SMA 10/30 cross',
  description: 'Long on the SMA 10/30 cross up, short on the cross down.',
  rationale: 'Trend following.',
  timeframe: '1d',
  indicators: { sma_fast: 'sma:10', sma_slow: 'sma:30', atr: 'atr:14' },
  rules: { long: { crosses_above: ['sma_fast', 'sma_slow'] }, short: { crosses_below: ['sma_fast', 'sma_slow'] } },
  stop: { type: 'atr', mult: 3 },
  targets: [{ r: 3 }],
  management: { exit_on_opposite: true },
};

describe('ita lab generate', () => {
  let fake: OpenAiFake;
  let dir: string;
  beforeAll(async () => {
    fake = await startOpenAiFake();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-lab-cli-'));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks the LLM, grades the proposals out of sample and saves survivors disabled', async () => {
    const bad = { ...sma, id: 'lab_bad', targets: [{ r: 2, close: 0.8 }, { r: 3, close: 0.8 }] };
    fake.script(
      { content: JSON.stringify({ proposals: [{ setup: sma, why: 'trend' }, { setup: bad }] }) },
      { content: JSON.stringify({ proposals: [{ setup: bad }] }) },
    );
    const setups = path.join(dir, 'setups');
    // The shipped limits with GOOG (labelled GOOG/USD, the allowlist takes exchange symbols) allowed: the lab trades under the bot's governor, whose allowlist is crypto only.
    const governance = path.join(dir, 'governance.yaml');
    writeFileSync(governance, readFileSync(path.join(ROOT, 'governance.yaml'), 'utf8').replace('allowlist: [BTC/USDT,', 'allowlist: [GOOG/USD, BTC/USDT,'));
    const r = await ita(['lab', 'generate', '--csv', 'data/samples/nasdaq_GOOG_1d.csv', '--exchange', 'nasdaq', '--symbol', 'GOOG/USD', '--n', '2', '--train-split', '0.05', '--optimize', 'none', '--keep', 'acceptable', '--walk-forward', '--train-days', '365', '--test-days', '365'], {
      ITA_LLM_BASE_URL: fake.baseUrl,
      ITA_LLM_MODEL: 'fake-model',
      ITA_LLM_API_KEY: 'test-key',
      ITA_DATA_DIR: dir,
      ITA_SETUPS_DIR: setups,
      // The lab judges under the bot's /backtest settings; this crossover scores below the default minimum of 7.
      ITA_MIN_SCORE: '0',
      ITA_PAPER_FEE_PCT: '0.05',
      ITA_GOVERNANCE: governance,
    });
    expect(r.stderr).not.toMatch(/^ita:/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Simulated as: spot ×1, equity 10,000, fees 0\.05 % per fill, slippage 0 bps, risk 0\.8 % per trade, min score 0, max cost 0\.25 R, risk governor on$/m);
    // SMA 10/30 on the last 95 % of GOOG daily, through the one trading path (governor on, net-1R sizing), has the
    // 30+ trades a grade needs and grades at least "acceptable".
    expect(r.stdout).toMatch(/^Lab: 1 agent\(s\), 1 distinct candidate\(s\), 1 saved \(disabled\); LLM cost/m);
    expect(r.stdout).toMatch(/^ {4}rejected proposal 1 \(lab_bad\): targets: target close fractions add up to 1\.6/m);
    expect(r.stdout).toMatch(/^ {2}lab_sma_cross — by env, agreement 100 %: grade \w+/m);
    expect(r.stdout).toMatch(/^Trials: 1 variant\(s\) tried/m);
    // GOOG daily 2004-08 .. 2013-03: 365-day test windows after a 365-day warm-up.
    expect(r.stdout).toMatch(/^ {4}Walk-forward: [78] window\(s\), \d+ % positive, compounded [+-]\d+\.\d\d %, consistency \d\.\d\d$/m);
    expect(r.stdout).toMatch(/^ {4}Monte Carlo \(bootstrap\): return [+-]\d+\.\d\d % \/ [+-]\d+\.\d\d % \/ [+-]\d+\.\d\d % \(5\/50\/95\), ruin \(30 % drawdown\) \d+\.\d %$/m);
    // The run is stored in the database, not as a JSON file.
    const db = await openDatabase(path.join(dir, 'ita.sqlite'), { extraMigrations: { lab_migration: labMigrations } });
    const [stored] = await listLabRuns(storeArea(db.db));
    const records = await agentRecords(storeArea(db.db));
    await db.close();
    expect(stored).toMatchObject({ status: 'done', source: 'cli', mode: 'single', models: ['env'] });
    expect(r.stdout).toContain(`as ${stored.id}`);
    const transcripts = stored.transcripts as { turns: { prompt: string }[] }[];
    expect(transcripts[0].turns).toHaveLength(2);
    expect(transcripts[0].turns[0].prompt).toContain('Propose 2 distinct trading setup(s) for GOOG/USD on 1d candles.');
    expect(records).toEqual({ env: { proposed: 1, survived: stored.saved.length } });
    expect(readdirSync(setups)).toEqual(['lab_sma_cross.yaml']);
    expect(stored.saved).toEqual([path.join(setups, 'lab_sma_cross.yaml')]);
    expect(readFileSync(stored.saved[0], 'utf8')).toMatch(/^enabled: false$/m);
    expect(r.stdout).toContain(`saved to ${stored.saved[0]} (enabled: false)`);
  }, 60_000);

  it('from-doc drafts a setup from a stored passage, tests it walk-forward on a stored market and records the verdict', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'ita-lab-doc-'));
    try {
      const dbFile = path.join(home, 'ita.sqlite');
      const kb = await openKnowledgeBase({ dataDir: home, dbFile, embedding: { kind: 'local' } });
      await kb.ingestBuffer('ma.md', Buffer.from('# Crossovers\n\nWhen the 5-day simple moving average crosses above the 20-day one, buy with a stop three ATR away and a target at three times the risk.\n'));
      await kb.close();
      const candles = await openDatabase(dbFile);
      // A market on the governance allowlist (a stock would be refused by the governor, as it would be live).
      await upsertCandles(candles, { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1d' }, loadSampleCandles('binance_BTCUSDT_1d'));
      await candles.close();
      const drafted = { ...sma, id: 'ma_cross_5_20', indicators: { sma_fast: 'sma:5', sma_slow: 'sma:20', atr: 'atr:14' } };
      fake.script({ content: JSON.stringify({ setup: drafted, rationale: 'Buy on the 5/20 cross, stop 3 ATR, target 3R.' }) });
      const r = await ita(['lab', 'from-doc', 'ma.md', '--markets', 'BTC/USDT:1d'], { ITA_LLM_BASE_URL: fake.baseUrl, ITA_LLM_MODEL: 'fake-model', ITA_DATA_DIR: home, ITA_SETUPS_DIR: path.join(home, 'setups') });
      expect(r.stderr).not.toMatch(/^ita:/m);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('When the 5-day simple moving average crosses above');
      expect(r.stdout).toMatch(/^id: ma_cross_5_20$/m);
      expect(r.stdout).toMatch(/^Verdict: (supported|not supported|inconclusive) \([a-z-]+\) — \d+ out-of-sample trades, expectancy [+-]\d\.\d{3}R per trade, 95 % CI [+-]\d\.\d{3}…[+-]\d\.\d{3}R$/m);
      expect(r.stdout).toMatch(/^ {2}binance BTC\/USDT 1d: [1-9]\d* trades, [+-]\d\.\d{3}R, \d+\/\d+ windows positive \(walk-forward\)$/m);
      const db = await openDatabase(dbFile, { extraMigrations: { lab_migration: labMigrations } });
      const [test] = await testedTheories(storeArea(db.db));
      await db.close();
      expect(test).toMatchObject({ setupId: 'ma_cross_5_20', passage: { document: 'ma.md' }, markets: ['binance BTC/USDT 1d'] });
      // The spot account cannot short: the short signals are refused, and said so.
      expect(r.stdout).toMatch(/^ {4}refused signals \(no trade\): .*side ×\d+/m);
      expect(r.stdout).toContain(`Verdict: ${test.verdict} `);
      expect(r.stdout).toContain(`— ${test.trades} out-of-sample trades`);
      // The passages come from the knowledge base's API: an unknown document or page is named with what exists.
      const env = { ITA_DATA_DIR: home, ITA_SETUPS_DIR: path.join(home, 'setups') };
      expect((await ita(['lab', 'from-doc', 'missing.md'], env)).stderr).toContain('no stored document "missing.md"; stored: 1 ma.md');
      expect((await ita(['lab', 'from-doc', '1', '--page', '2'], env)).stderr).toContain('document "ma.md" has no passage on page 2');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('imports runs written as JSON files by earlier versions', async () => {
    const old = mkdtempSync(path.join(os.tmpdir(), 'ita-lab-json-'));
    try {
      mkdirSync(path.join(old, 'lab'));
      writeFileSync(path.join(old, 'lab', 'run-2026-11-30T10-00-00-000Z.json'), JSON.stringify({ brief: { n: 1 }, transcripts: [{ agent: 'env', turns: [] }], candidates: [], saved: ['x.yaml'], costUsd: 0.25 }));
      writeFileSync(path.join(old, 'lab', 'agents.json'), JSON.stringify({ env: { proposed: 4, survived: 1 } }));
      const db = await openDatabase(':memory:', { extraMigrations: { lab_migration: labMigrations } });
      const { importJsonRuns } = await import('../../src/engine/lab/store.ts');
      expect(await importJsonRuns(storeArea(db.db), path.join(old, 'lab'))).toBe(1);
      expect(await importJsonRuns(storeArea(db.db), path.join(old, 'lab'))).toBe(0);
      const [run] = await listLabRuns(storeArea(db.db));
      expect(run).toMatchObject({ id: 'run-2026-11-30T10-00-00-000Z', startedAt: Date.UTC(2026, 10, 30, 10), source: 'json', costUsd: 0.25, saved: ['x.yaml'], models: ['env'] });
      expect(await agentRecords(storeArea(db.db))).toEqual({ env: { proposed: 4, survived: 1 } });
      await db.close();
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });
});
