/**
 * Walk-forward windows (fixed parameters, and optimized per window) as jobs on the queue give the walk-forward of
 * the in-process analysis, window by window; jobs waiting for a worker show in ita_queue_depth. Real PostgreSQL,
 * pg-boss and an `ita worker` process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIMULATION, runSetupBacktest, seriesForSetup, sliceSeries } from '../../../src/engine/backtest/service/run-setup.ts';
import { analyzeSetup } from '../../../src/engine/backtest/service/analysis.ts';
import { JobQueue } from '../../../src/engine/queue/job-queue.ts';
import { remoteBacktestStats } from '../../../src/engine/queue/remote.ts';
import { createMetrics } from '../../../src/ops/metrics.ts';
import { scrapeQueue } from '../../../src/app/queue-wiring.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { rsiBounceSetup } from '../../helpers/rsi-setup.ts';
import { createTestDatabase, hasPostgres, skipWithoutPostgres, type TestDatabase } from '../../helpers/postgres.ts';
import { spawnWorker, type SpawnedWorker } from '../../helpers/queue-workers.ts';

const setup = rsiBounceSetup('rsi_wf');
const market = seriesForSetup(loadSampleCandles('nasdaq_GOOG_1d'), '1d', setup, { exchange: 'nasdaq', symbol: 'GOOG' });
const request = { setup, market, settings: DEFAULT_SIMULATION, walkForward: { trainDays: 400, testDays: 200 }, keepSignals: false };

describe.skipIf(!hasPostgres)(`walk-forward on the job queue${skipWithoutPostgres}`, () => {
  let db: TestDatabase;
  let queue: JobQueue;
  let worker: SpawnedWorker | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('ita_queue_wf');
    queue = await JobQueue.open({ url: db.url, batchSize: 3, expireSeconds: 60, retryLimit: 2, maintenanceSeconds: 1, pollSeconds: 0.5 });
  });

  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await queue?.close();
    await db?.drop();
  });

  it('counts waiting jobs in ita_queue_depth, and a worker returns what a local backtest gives', async () => {
    const metrics = createMetrics({ processMetrics: false });
    scrapeQueue(metrics, queue);
    const windows = [0, 1, 2].map((i) => ({ start: market.candles[300 * i].ts, end: market.candles[300 * i + 250].ts, maxWarmup: 500 }));
    const pending = windows.map((window) => remoteBacktestStats(queue, { setup, market, settings: DEFAULT_SIMULATION, window }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const text = await metrics.text();
    expect(text).toMatch(/ita_queue_depth\{queue="jobs_queued"\} 3\b/);
    expect(text).toMatch(/ita_queue_depth\{queue="jobs_active"\} 0\b/);

    worker = spawnWorker({ url: db.url, expireSeconds: 60 });
    const stats = await Promise.all(pending);
    windows.forEach((w, i) => expect(stats[i]).toEqual(runSetupBacktest({ setup, market: sliceSeries(market, w.start, w.end, w.maxWarmup), settings: DEFAULT_SIMULATION }).stats));
    expect(await metrics.text()).toMatch(/ita_queue_depth\{queue="jobs_queued"\} 0\b/);
  }, 120_000);

  it('fixed-parameter windows: the same walk-forward as in-process', async () => {
    const local = await analyzeSetup(request);
    const progress: number[] = [];
    const remote = await analyzeSetup({ ...request, queue, onProgress: (p) => p.stage === 'walk-forward' && progress.push(p.done) });
    expect(local.walkForward!.windows.length).toBeGreaterThanOrEqual(3);
    expect(remote.walkForward).toEqual(local.walkForward);
    expect(progress.at(-1)).toBe(local.walkForward!.windows.length);
    expect(remote.summary).toEqual(local.summary);
  }, 120_000);

  it('the full backtest as a job: the same report and offered signals as in-process', async () => {
    const full = { setup, market, settings: DEFAULT_SIMULATION };
    const local = await analyzeSetup(full);
    const remote = await analyzeSetup({ ...full, queue });
    expect(local.report.trades.length).toBeGreaterThan(0);
    expect(remote.report.equity.equity).toBeInstanceOf(Float64Array);
    expect(remote.report).toEqual(local.report);
    expect([...remote.signals.keys()]).toEqual([...local.signals.keys()]);
    expect([...remote.signals.values()]).toEqual([...local.signals.values()]);
  }, 120_000);

  it('windows optimized on their training part: the same walk-forward as in-process', async () => {
    const optimize = { method: 'genetic' as const, objective: 'composite' as const, trainSplit: 0.7, population: 4, generations: 2, workers: 0 };
    const local = await analyzeSetup({ ...request, optimize });
    const remote = await analyzeSetup({ ...request, optimize, queue });
    expect(remote.walkForward).toEqual(local.walkForward);
  }, 180_000);

  it('a job that fails on every attempt rejects the run with the worker\'s error and the attempts made', async () => {
    const [result] = await queue.submit([{ kind: 'backtest', setup, series: 'f'.repeat(64), settings: DEFAULT_SIMULATION }]);
    // retryLimit 2: the first attempt and two retries.
    await expect(result).rejects.toThrow(/failed after 3 attempt\(s\): queue input ffffffffffff… is not in ita_queue_input/);
  }, 60_000);
});
