/**
 * Worker entry for the optimizer pool: imports the evaluation module named by the parent (once) and runs its
 * exported function on each serializable parameter set it is sent.
 */
import { parentPort } from 'node:worker_threads';

interface Job {
  id: number;
  modulePath: string;
  exportName: string;
  params: Record<string, number>;
}

type Evaluate = (params: Record<string, number>) => unknown;
const loaded = new Map<string, Promise<Record<string, unknown>>>();

parentPort?.on('message', async (job: Job) => {
  try {
    let mod = loaded.get(job.modulePath);
    if (!mod) loaded.set(job.modulePath, (mod = import(job.modulePath)));
    const fn = (await mod)[job.exportName] as Evaluate;
    if (typeof fn !== 'function') throw new Error(`${job.modulePath} does not export a function "${job.exportName}"`);
    parentPort?.postMessage({ id: job.id, result: await fn(job.params) });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
