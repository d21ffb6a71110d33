/**
 * The optimizer on the job queue with real PostgreSQL, real pg-boss and real `ita worker` processes: two workers,
 * one SIGKILLed in the middle of a job, and the genetic search still ends with exactly what the in-process search
 * finds (best parameters, objective value, every generation's best, the held-out re-run). The reference is the
 * existing in-process path (workers: 0), which shares no queue, codec or worker code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIMULATION, seriesForSetup } from '../../../src/engine/backtest/service/run-setup.ts';
import { optimizeSetup, splitSeries } from '../../../src/engine/backtest/service/optimize.ts';
import { JobQueue, type QueueSettings } from '../../../src/engine/queue/job-queue.ts';
import type { Evaluated } from '../../../src/engine/backtest/optimizer.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { rsiBounceSetup } from '../../helpers/rsi-setup.ts';
import { createTestDatabase, hasPostgres, skipWithoutPostgres, type TestDatabase } from '../../helpers/postgres.ts';
import { spawnWorker, type SpawnedWorker } from '../../helpers/queue-workers.ts';

const setup = rsiBounceSetup('rsi_queue');
const { train, test } = splitSeries(seriesForSetup(loadSampleCandles('nasdaq_GOOG_1d'), '1d', setup, { exchange: 'nasdaq', symbol: 'GOOG' }), 0.7);
const options = { setup, train, test, settings: DEFAULT_SIMULATION, method: 'genetic' as const, objective: 'composite' as const, population: 8, generations: 3 };

/** Short expiry so the killed worker's job comes back within seconds; long enough for a 2-evaluation job under load. */
const EXPIRE_SECONDS = 8;

function settingsFor(url: string): QueueSettings {
  return { url, batchSize: 2, expireSeconds: EXPIRE_SECONDS, retryLimit: 5, maintenanceSeconds: 1, pollSeconds: 0.5 };
}

async function inProcessReference() {
  const generations: Evaluated[] = [];
  const result = await optimizeSetup({ ...options, workers: 0, onGeneration: (_g, best) => generations.push(best) });
  return { result, generations };
}

describe.skipIf(!hasPostgres)(`optimizer on the job queue${skipWithoutPostgres}`, () => {
  let db: TestDatabase;
  let queue: JobQueue;
  const workers: SpawnedWorker[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('ita_queue');
    queue = await JobQueue.open(settingsFor(db.url));
  });

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await queue?.close();
    await db?.drop();
  });

  it('two workers, one killed mid-job: the run completes with the in-process result', async () => {
    const [a, b] = [spawnWorker({ url: db.url, expireSeconds: EXPIRE_SECONDS }), spawnWorker({ url: db.url, expireSeconds: EXPIRE_SECONDS })];
    workers.push(a, b);
    // The reference runs while the workers start (tsx transpiles for a few seconds).
    const reference = await inProcessReference();
    await Promise.all([a.waitFor(/waiting for jobs/), b.waitFor(/waiting for jobs/)]);

    // Worker A dies the moment it starts its first job: the job is active and unfinished.
    const killed = a.waitFor(/job ([0-9a-f-]{36}) started/).then((m) => {
      a.child.kill('SIGKILL');
      return m[1];
    });
    const generations: Evaluated[] = [];
    const progress: number[] = [];
    let progressTotal = 0;
    const result = await optimizeSetup({ ...options, queue, onGeneration: (_g, best) => generations.push(best), onProgress: (done, total) => { progress.push(done); progressTotal = total; } });
    const killedJob = await killed;
    expect((await a.exited).signal).toBe('SIGKILL');
    expect(a.log()).not.toMatch(new RegExp(`job ${killedJob} done`));
    // Retried once expired, and finished by the survivor.
    expect((await queue.retries()).get(killedJob)).toBeGreaterThanOrEqual(1);
    expect(b.log()).toMatch(new RegExp(`job ${killedJob} started \\(.*attempt [2-9]\\)`));
    expect(b.log()).toMatch(new RegExp(`job ${killedJob} done`));

    expect(result.best.params).toEqual(reference.result.best.params);
    expect(result.best.score).toBe(reference.result.best.score);
    expect(result.best.stats).toEqual(reference.result.best.stats);
    expect(generations.map((g) => [g.params, g.score])).toEqual(reference.generations.map((g) => [g.params, g.score]));
    expect(result.evaluations).toBe(reference.result.evaluations);
    expect(result.top.map((e) => [e.params, e.score])).toEqual(reference.result.top.map((e) => [e.params, e.score]));
    expect(result.outOfSample.stats).toEqual(reference.result.outOfSample.stats);
    // Progress counted finished jobs (repeated points as their generation's work): it only grows and reaches its total.
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(progress.at(-1)).toBe(progressTotal);
    expect(progressTotal).toBeGreaterThanOrEqual(result.evaluations);
    expect(await queue.depth()).toEqual({ queued: 0, active: 0 });
  }, 120_000);
});
