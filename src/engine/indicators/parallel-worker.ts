/** Worker side of parallel batch computation: computes the specs it is sent over shared candle arrays. */
import { parentPort } from 'node:worker_threads';
import { computeIndicator } from './batch.ts';
import type { CandleSeries } from './types.ts';

interface Job {
  id: number;
  specs: string[];
  series: CandleSeries;
}

parentPort!.on('message', (job: Job) => {
  try {
    const results = job.specs.map((spec) => {
      const arrays = computeIndicator(spec, job.series);
      // Results travel back in shared memory: the main thread gets them without a structured-clone copy.
      return Object.fromEntries(
        Object.entries(arrays).map(([name, values]) => {
          const shared = new Float64Array(new SharedArrayBuffer(values.byteLength));
          shared.set(values);
          return [name, shared];
        }),
      );
    });
    parentPort!.postMessage({ id: job.id, results });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: (error as Error).message });
  }
});
