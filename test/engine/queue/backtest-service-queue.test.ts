/**
 * The bot's /backtest service with a job queue: a walk-forward run gives the summary the in-process service gives,
 * with the same progress stages, and Cancel during the optimizer cancels the run's jobs (none left queued or
 * running) and stores nothing. Real PostgreSQL, pg-boss and an `ita worker` process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';
import { openDatabase, type OpenedDatabase } from '../../../src/engine/store/database.ts';
import { upsertCandles } from '../../../src/engine/store/candles.ts';
import { backtestMigrations, BacktestCancelledError, createBacktestService, type BacktestService } from '../../../src/engine/backtest/service/index.ts';
import { JobQueue } from '../../../src/engine/queue/job-queue.ts';
import { createTestDatabase, hasPostgres, skipWithoutPostgres, type TestDatabase } from '../../helpers/postgres.ts';
import { spawnWorker, type SpawnedWorker } from '../../helpers/queue-workers.ts';

const GOOG = { exchange: 'nasdaq', symbol: 'GOOG', timeframe: '1d' as const };
const request = { setupId: 'sma_cross', symbol: 'GOOG', timeframe: '1d' as const };

describe.skipIf(!hasPostgres)(`backtest service on the job queue${skipWithoutPostgres}`, () => {
  let db: TestDatabase;
  let queue: JobQueue;
  let worker: SpawnedWorker;
  let store: OpenedDatabase;
  let local: BacktestService;
  let queued: BacktestService;
  const dirs: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('ita_queue_service');
    queue = await JobQueue.open({ url: db.url, batchSize: 5, expireSeconds: 60, retryLimit: 2, maintenanceSeconds: 1, pollSeconds: 0.5 });
    worker = spawnWorker({ url: db.url, expireSeconds: 60 });
    store = await openDatabase(':memory:', { extraMigrations: { backtest_migration: backtestMigrations } });
    await upsertCandles(store, GOOG, loadSampleCandles('nasdaq_GOOG_1d'));
    const dataDir = () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-bt-queue-'));
      dirs.push(dir);
      return dir;
    };
    // Long windows keep the run short: a handful of walk-forward jobs instead of seventy.
    const walkForward = { trainDays: 400, testDays: 200 };
    local = await createBacktestService({ db: store.db, dataDir: dataDir(), setupsDir: path.join(ROOT, 'setups'), walkForward });
    queued = await createBacktestService({ db: store.db, dataDir: dataDir(), setupsDir: path.join(ROOT, 'setups'), walkForward, queue });
    await worker.waitFor(/waiting for jobs/);
  });

  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await queue?.close();
    await store?.close();
    await db?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a walk-forward /backtest gives the in-process summary', async () => {
    const stagesOf = async (service: BacktestService) => {
      const stages = new Set<string>();
      const result = await service.run({ ...request, walkForward: true }, (p) => stages.add(p.stage), new AbortController().signal);
      return { result, stages: [...stages] };
    };
    const a = await stagesOf(local);
    const b = await stagesOf(queued);
    expect(b.result.summary).toEqual(a.result.summary);
    expect(b.result.tradesCsv.toString()).toBe(a.result.tradesCsv.toString());
    expect(b.stages).toEqual(a.stages);
    expect(worker.log()).toMatch(/full backtest/);
  }, 120_000);

  it('Cancel during the optimizer cancels its jobs and stores nothing', async () => {
    const before = await queued.storedRuns();
    const controller = new AbortController();
    const run = queued.run({ ...request, optimize: true }, (p) => p.stage === 'optimize' && controller.abort(), controller.signal);
    await expect(run).rejects.toThrow(BacktestCancelledError);
    await worker.waitFor(/stopped: job cancelled|waiting for jobs/);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ state: string; n: string }>("SELECT state, count(*) AS n FROM pgboss.job WHERE name = 'ita-work' AND data->>'kind' = 'evaluate' GROUP BY state");
      const states = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
      // Cancelled when the first generation's first job finished: the rest of that generation never completed.
      expect(states.cancelled).toBeGreaterThan(0);
      expect(Object.keys(states).filter((s) => s !== 'cancelled' && s !== 'completed')).toEqual([]);
    } finally {
      await client.end();
    }
    expect(await queue.depth()).toEqual({ queued: 0, active: 0 });
    expect(await queued.storedRuns()).toBe(before);
  }, 120_000);
});
