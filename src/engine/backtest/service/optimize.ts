/**
 * Optimizes a setup's parameters (the `params` ranges of its YAML) on the training part of the data only, on every
 * core through the worker pool, then re-runs the winner once on the held-out part so over-fitting shows.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../errors.ts';
import type { Setup } from '../../setups/index.ts';
import { optimize, type Evaluated, type Objective, type OptimizeResult } from '../optimizer.ts';
import type { CompositeObjective } from '../objective.ts';
import { WorkerPool } from '../worker-pool.ts';
import { paramRanges, withParams } from '../detector-source.ts';
import { runSetupBacktest, sliceSeries, type MarketSeries, type SimulationSettings } from './run-setup.ts';
import { JOB_FILE, type OptimizeJob } from './optimize-job.ts';
import { queueEvaluator, type Evaluator, type WorkQueue } from '../../queue/remote.ts';

export type ObjectiveName = 'sharpe' | 'expectancy' | 'profit_factor' | 'calmar' | 'composite';

export interface OptimizeSetupOptions {
  setup: Setup;
  /** Searched on. */
  train: MarketSeries;
  /** Held out: only the winner runs here. */
  test: MarketSeries;
  settings: SimulationSettings;
  method: 'grid' | 'genetic';
  objective: ObjectiveName;
  /** Weights and minimum trade count of the composite objective (objective 'composite'). */
  composite?: Partial<CompositeObjective>;
  /** Worker threads; 0 = evaluate in this thread (no pool: where threads do not win, e.g. a loaded 2-core machine). */
  workers?: number;
  /** Genetic settings; unset = the specification's 50 × 20, mutation 0.1, crossover 0.8. */
  population?: number;
  generations?: number;
  mutationRate?: number;
  crossoverRate?: number;
  onProgress?: (done: number, total: number) => void;
  /** Stops the search: the next evaluation throws and the workers are terminated (the lab's Cancel button). */
  signal?: AbortSignal;
  /** Evaluations become jobs on this queue (`ita worker` processes run them); `workers` is then ignored. */
  queue?: WorkQueue;
  /** After each genetic generation: its best member. */
  onGeneration?: (generation: number, best: Evaluated) => void;
}

/** The first `fraction` of the candles for training, the rest out of sample (warm-up carries over). */
export function splitSeries(market: MarketSeries, fraction: number): { train: MarketSeries; test: MarketSeries; cut: number } {
  if (!(fraction > 0 && fraction < 1)) throw new InputError(`--train-split must be between 0 and 1, got ${fraction}`, { field: 'train-split', value: fraction });
  const candles = market.candles;
  const cut = candles[Math.min(candles.length - 1, Math.max(1, Math.floor(candles.length * fraction)))].ts;
  return { train: sliceSeries(market, -Infinity, cut), test: sliceSeries(market, cut, Infinity), cut };
}

const JOB_MODULE = new URL('./optimize-job.ts', import.meta.url).href;

/** "fast" and "slow" averages only make sense with fast < slow; other parameters are free. */
function sensible(params: Record<string, number>): boolean {
  return !('fast' in params && 'slow' in params) || params.fast < params.slow;
}

export async function optimizeSetup(o: OptimizeSetupOptions): Promise<OptimizeResult> {
  const ranges = paramRanges(o.setup);
  if (Object.keys(ranges).length === 0) {
    throw new InputError(`setup ${o.setup.id} has no parameter with min, max and step to optimize`, { field: 'params', value: o.setup.id });
  }
  const { train } = o;

  if (o.queue) return optimizeWith(o, ranges, queueEvaluator(o.queue, { setup: o.setup, market: train, settings: o.settings }, o.signal));
  if (o.workers === 0) return optimizeInProcess(o, ranges);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ita-optimize-'));
  try {
    const job: OptimizeJob = { setup: o.setup, market: train, settings: o.settings };
    await writeFile(path.join(dir, JOB_FILE), JSON.stringify(job));
    return await optimizeWith(o, ranges, new WorkerPool<object>(`${JOB_MODULE}?job=${encodeURIComponent(dir)}`, 'evaluateParams', o.workers));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The search with its evaluations sent to `evaluator` (the thread pool or the job queue). */
async function optimizeWith(o: OptimizeSetupOptions, ranges: ReturnType<typeof paramRanges>, evaluator: Evaluator): Promise<OptimizeResult> {
  try {
    return await optimize({
      ...searchOptions(o, ranges),
      evaluate: (params) => {
        o.signal?.throwIfAborted();
        return evaluator.evaluate(params);
      },
    });
  } finally {
    await evaluator.close();
  }
}

/** The same search with every evaluation in this thread; `breathe` lets a Cancel be delivered between evaluations. */
async function optimizeInProcess(o: OptimizeSetupOptions, ranges: ReturnType<typeof paramRanges>): Promise<OptimizeResult> {
  const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
  return optimize({
    ...searchOptions(o, ranges),
    evaluate: async (params) => {
      await breathe();
      o.signal?.throwIfAborted();
      return runSetupBacktest({ setup: withParams(o.setup, params), market: o.train, settings: o.settings, signal: o.signal }).stats;
    },
  });
}

/** What the search is, wherever its evaluations run: ranges, objective, GA settings, and the held-out re-run. */
function searchOptions(o: OptimizeSetupOptions, ranges: ReturnType<typeof paramRanges>) {
  return {
    method: o.method,
    ranges,
    objective: (o.objective === 'composite' && o.composite ? { composite: o.composite } : o.objective) as Objective,
    constraint: sensible,
    population: o.population,
    generations: o.generations,
    mutationRate: o.mutationRate,
    crossoverRate: o.crossoverRate,
    onProgress: o.onProgress,
    onGeneration: o.onGeneration,
    evaluateTest: (params: Record<string, number>) => runSetupBacktest({ setup: withParams(o.setup, params), market: o.test, settings: o.settings }).stats,
  };
}
