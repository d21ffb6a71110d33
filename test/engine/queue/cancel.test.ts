/**
 * Cancel (the bot's Cancel button aborts the run's signal): the optimizer run rejects with the abort reason, every
 * job of the run ends 'cancelled' in pg-boss's table (the queued one never runs), and the worker busy with one stops
 * at its next evaluation instead of finishing the batch. Real PostgreSQL, pg-boss and an `ita worker` process.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIMULATION, seriesForSetup } from '../../../src/engine/backtest/service/run-setup.ts';
import { optimizeSetup, splitSeries } from '../../../src/engine/backtest/service/optimize.ts';
import { parseSetup } from '../../../src/engine/setups/index.ts';
import { JobQueue } from '../../../src/engine/queue/job-queue.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { createTestDatabase, hasPostgres, skipWithoutPostgres, type TestDatabase } from '../../helpers/postgres.ts';
import { spawnWorker, type SpawnedWorker } from '../../helpers/queue-workers.ts';

const setup = parseSetup(
  JSON.stringify({
    id: 'ema_cancel', name: 'EMA cross', description: 'EMA cross.', rationale: 'Test.', timeframe: '4h',
    params: { fast: { value: 10, min: 5, max: 40, step: 1 }, slow: { value: 50, min: 41, max: 120, step: 1 } },
    indicators: { fast: 'ema:$fast', slow: 'ema:$slow', atr: 'atr:14' },
    rules: { long: { crosses_above: ['fast', 'slow'] } },
    stop: { type: 'atr', mult: 2 }, targets: [{ r: 2 }],
  }),
  'ema_cancel.yaml',
);
const { train, test } = splitSeries(seriesForSetup(loadSampleCandles('binance_BTCUSDT_4h'), '4h', setup, { exchange: 'binance', symbol: 'BTCUSDT' }), 0.7);

describe.skipIf(!hasPostgres)(`cancelling a run on the job queue${skipWithoutPostgres}`, () => {
  let db: TestDatabase;
  let queue: JobQueue;
  let worker: SpawnedWorker;

  beforeAll(async () => {
    db = await createTestDatabase('ita_queue_cancel');
    queue = await JobQueue.open({ url: db.url, batchSize: 12, expireSeconds: 60, retryLimit: 2, maintenanceSeconds: 1, pollSeconds: 0.5 });
    worker = spawnWorker({ url: db.url, expireSeconds: 60 });
    await worker.waitFor(/waiting for jobs/);
  });

  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await queue?.close();
    await db?.drop();
  });

  it('cancels the queued and the running job, and the worker stops mid-batch', async () => {
    const controller = new AbortController();
    const started = worker.waitFor(/job ([0-9a-f-]{36}) started/).then((m) => {
      controller.abort(new Error('cancelled by the trader'));
      return m[1];
    });
    // 24 distinct parameter sets in the first generation → two jobs of 12; one worker takes the first.
    const run = optimizeSetup({ setup, train, test, settings: DEFAULT_SIMULATION, method: 'genetic', objective: 'composite', population: 24, generations: 2, queue, signal: controller.signal });
    await expect(run).rejects.toThrow('cancelled by the trader');
    const runningJob = await started;
    await worker.waitFor(new RegExp(`job ${runningJob} stopped: job cancelled`), 60_000);
    expect(worker.log()).not.toMatch(new RegExp(`job ${runningJob} done`));

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; state: string }>("SELECT id, state FROM pgboss.job WHERE name = 'ita-work' ORDER BY created_on");
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.map((r) => r.state)).toEqual(rows.map(() => 'cancelled'));
      expect(rows.map((r) => r.id)).toContain(runningJob);
    } finally {
      await client.end();
    }
    expect(await queue.depth()).toEqual({ queued: 0, active: 0 });
  }, 120_000);
});
