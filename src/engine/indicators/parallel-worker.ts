/**
 * Worker side of parallel batch computation: claims specs from the job's shared counter until none are left and
 * writes each result straight into shared memory (the main thread reads it without a structured-clone copy).
 */
import { parentPort } from 'node:worker_threads';
import { computeIndicator } from './batch.ts';
import type { HelperMessage } from './parallel.ts';
import type { CandleSeries } from './types.ts';

interface Job {
  job: number;
  specs: string[];
  series: CandleSeries;
  counter: Int32Array;
}

const allocateShared = (length: number) => new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));

parentPort!.on('message', ({ job, specs, series, counter }: Job) => {
  for (;;) {
    const index = Atomics.add(counter, 0, 1);
    if (index >= specs.length) return;
    let message: HelperMessage;
    try {
      message = { job, index, result: computeIndicator(specs[index], series, allocateShared) };
    } catch (error) {
      message = { job, index, error: (error as Error).message };
    }
    parentPort!.postMessage(message);
  }
});
