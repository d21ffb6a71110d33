/**
 * `ita worker`: takes one job at a time from the queue and runs it. Backtests are CPU-bound on this thread, so a
 * machine runs one worker per core it wants to give. A worker that dies mid-job leaves its job active; pg-boss
 * fails it once `expireSeconds` have passed and the next worker to ask runs it again from its inputs.
 */
import os from 'node:os';
import type PgBoss from 'pg-boss';
import { decodeValue, encodeValue } from './codec.ts';
import { WORK_QUEUE, type JobQueue } from './job-queue.ts';
import { describeTask, runTask, type Task } from './tasks.ts';

/** Takes jobs until `queue.close({ graceful: true })`; returns the worker's name (host:pid). */
export async function startWorker(queue: JobQueue, log: (line: string) => void): Promise<string> {
  const id = `${os.hostname()}:${process.pid}`;
  await queue.boss.work<{ body: string }>(
    WORK_QUEUE,
    { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: queue.settings.pollSeconds },
    async ([job]: PgBoss.JobWithMetadata<{ body: string }>[]) => {
      const task = decodeValue<Task>(job.data.body);
      const started = Date.now();
      log(`worker ${id}: job ${job.id} started (${describeTask(task)}; attempt ${job.retryCount + 1})`);
      try {
        const result = await runTask(task, { series: (hash) => queue.series(hash), stillWanted: () => queue.isActive(job.id) });
        log(`worker ${id}: job ${job.id} done in ${Date.now() - started} ms`);
        return { body: encodeValue(result) };
      } catch (error) {
        log(`worker ${id}: job ${job.id} stopped: ${(error as Error).message}`);
        throw error;
      }
    },
  );
  log(`worker ${id}: waiting for jobs on ${WORK_QUEUE}`);
  return id;
}
