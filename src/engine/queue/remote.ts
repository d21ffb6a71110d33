/**
 * The coordinator's helpers over the queue: an optimizer evaluator with the worker pool's shape (`evaluate(params)`
 * → statistics, `close()`), and single backtests as jobs. The optimizer asks for a whole generation at once
 * (Promise.all), so the evaluator gathers the calls made in one turn of the event loop and splits them into jobs of
 * `batchSize` parameter sets; each call still gets its own result, so the search sees the same figures in the same
 * order as in-process, wherever and in whatever order the jobs ran.
 */
import type { Setup } from '../setups/index.ts';
import type { MarketSeries, SimulationSettings } from '../backtest/service/run-setup.ts';
import type { JobQueue } from './job-queue.ts';
import type { SeriesInput } from './codec.ts';
import type { Candle } from '../types.ts';
import type { ReportResult } from './tasks.ts';

type Params = Record<string, number>;

/** What the optimizer needs from a place that runs evaluations (WorkerPool has the same shape). */
export interface Evaluator {
  evaluate(params: Params): Promise<object>;
  close(): Promise<void>;
}

/** The parts of JobQueue the coordinator uses (a fake can stand in). */
export type WorkQueue = Pick<JobQueue, 'putSeries' | 'submit' | 'settings'>;

/** Per series object: the walk-forward windows of one run all refer to the one stored copy without re-packing it. */
const stored = new WeakMap<WorkQueue, WeakMap<MarketSeries, Promise<string>>>();

function storeSeries(queue: WorkQueue, series: MarketSeries): Promise<string> {
  let byQueue = stored.get(queue);
  if (!byQueue) stored.set(queue, (byQueue = new WeakMap()));
  let hash = byQueue.get(series);
  if (!hash) {
    const input: SeriesInput = { key: series.key, warmup: series.warmup, candles: series.candles };
    byQueue.set(series, (hash = queue.putSeries(input)));
    hash.catch(() => byQueue.delete(series));
  }
  return hash;
}

export function queueEvaluator(queue: WorkQueue, job: { setup: Setup; market: MarketSeries; settings: SimulationSettings }, signal?: AbortSignal): Evaluator {
  let pending: { params: Params; resolve: (stats: object) => void; reject: (error: unknown) => void }[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const calls = pending;
    pending = [];
    try {
      const series = await storeSeries(queue, job.market);
      const size = queue.settings.batchSize;
      const batches = Array.from({ length: Math.ceil(calls.length / size) }, (_, b) => calls.slice(b * size, (b + 1) * size));
      const results = await queue.submit(
        batches.map((batch) => ({ kind: 'evaluate', setup: job.setup, series, settings: job.settings, params: batch.map((c) => c.params) })),
        signal,
      );
      results.forEach((result, b) =>
        result.then(
          (stats) => batches[b].forEach((call, k) => call.resolve((stats as object[])[k])),
          (error) => batches[b].forEach((call) => call.reject(error)),
        ),
      );
    } catch (error) {
      for (const call of calls) call.reject(error);
    }
  }

  return {
    evaluate(params) {
      return new Promise<object>((resolve, reject) => {
        pending.push({ params, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
    // Jobs still open are cancelled through the run's AbortSignal; nothing is held here.
    close: async () => {},
  };
}

/** One backtest's statistics from a worker; `window` cuts a walk-forward test window out of the series there. */
export async function remoteBacktestStats(
  queue: WorkQueue,
  job: { setup: Setup; market: MarketSeries; settings: SimulationSettings; window?: { start: number; end: number; maxWarmup: number } },
  signal?: AbortSignal,
): Promise<object> {
  const series = await storeSeries(queue, job.market);
  const [result] = await queue.submit([{ kind: 'backtest', setup: job.setup, series, settings: job.settings, window: job.window }], signal);
  return (await result) as object;
}

/** The full backtest (report + offered signals) from a worker: the /backtest run itself. */
export async function remoteReport(
  queue: WorkQueue,
  job: { setup: Setup; market: MarketSeries; settings: SimulationSettings; detail?: Candle[]; describeContext?: boolean; keepSignals: boolean },
  signal?: AbortSignal,
): Promise<ReportResult> {
  const series = await storeSeries(queue, job.market);
  const detail = job.detail ? await queue.putSeries({ key: job.market.key, warmup: [], candles: job.detail }) : undefined;
  const task = { kind: 'report' as const, setup: job.setup, series, settings: job.settings, detail, describeContext: job.describeContext, keepSignals: job.keepSignals };
  const [result] = await queue.submit([task], signal);
  return (await result) as ReportResult;
}
