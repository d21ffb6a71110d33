/**
 * Batch indicators on more than one core: a backtest or optimizer run needs many indicators over the same long
 * series, and each indicator is an independent pass. Helper threads read the candles from shared memory (no copies)
 * and write their results into shared memory too. The numbers are exactly the single-threaded ones: every spec still
 * runs the same code over the same inputs.
 *
 * Never slower than one thread, by construction rather than by tuning:
 * - small jobs (estimated below SMALL_JOB_MS of single-thread work) never leave this thread;
 * - the specs are not split up front. This thread and the helpers claim the next spec from one shared counter
 *   (longest first), so a helper that the OS does not schedule (the other core busy with someone else's work) simply
 *   claims nothing, and this thread does the whole set itself; it waits only for specs a helper has actually claimed,
 *   and those are the short ones at the end of the list.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { tsWorkerSource } from '../ts-worker.ts';
import { computeIndicator } from './batch.ts';
import { parseIndicatorSpec } from './spec.ts';
import type { CandleSeries, IndicatorArrays } from './types.ts';

const WORKER_ENTRY = new URL('./parallel-worker.ts', import.meta.url).href;
const BOOTSTRAP = tsWorkerSource(WORKER_ENTRY);

/** Relative cost per candle, measured with `ita bench --only indicators` (rolling quantile dominates). */
const COST: Record<string, number> = {
  quantile: 23, stoch: 8, stochf: 6, donchian: 6, adx: 4, hv: 3.5, bb: 1.2, macd: 1, rsi: 1.6, atr: 1.5, tr: 1, slope: 1.8,
  wma: 1, vz: 1.5, vwap: 1, sma: 0.8, ema: 0.8,
};
/** Single-thread time of one cost unit per candle (≈ an SMA over one candle), in ms; refined by every run. */
const INITIAL_MS_PER_UNIT = 6e-6;
/** Below this much estimated single-thread work, waking a helper costs more than it can save. */
export const SMALL_JOB_MS = 8;

const costOf = (spec: string): number => {
  const parsed = parseIndicatorSpec(spec);
  const window = parsed.name === 'quantile' ? parsed.params[0] / 100 : 1;
  return (COST[parsed.name] ?? 2) * Math.max(0.2, window);
};

/** Copies candle columns into shared memory once, so helper threads read them in place. */
export function shareSeries(series: CandleSeries): CandleSeries {
  const share = (a: Float64Array) => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const shared = new Float64Array(new SharedArrayBuffer(a.byteLength));
    shared.set(a);
    return shared;
  };
  return { ts: share(series.ts), open: share(series.open), high: share(series.high), low: share(series.low), close: share(series.close), volume: share(series.volume) };
}

/** Helper → main: one computed spec, by its index in the job's (sorted) spec list. */
export type HelperMessage = { job: number; index: number; result: IndicatorArrays } | { job: number; index: number; error: string };

interface OpenJob {
  specs: string[];
  out: (IndicatorArrays | undefined)[];
  error?: Error;
  check: () => void;
}

export interface ComputeStats {
  /** Specs computed by helper threads in the last call (0 when the job stayed on this thread). */
  helperSpecs: number;
  /** Why the last call ran as it did. */
  mode: 'small job, this thread only' | 'shared';
}

export class IndicatorThreads {
  private readonly workers: Worker[];
  private nextJob = 1;
  private readonly jobs = new Map<number, OpenJob>();
  private msPerUnit = INITIAL_MS_PER_UNIT;
  private failure?: Error;
  last: ComputeStats = { helperSpecs: 0, mode: 'small job, this thread only' };

  /**
   * `helpers` extra threads beside the calling one (default: one per remaining core); jobs estimated below
   * `smallJobMs` of single-thread work stay on this thread.
   */
  constructor(
    helpers = Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1),
    private readonly smallJobMs = SMALL_JOB_MS,
  ) {
    this.workers = Array.from({ length: helpers }, () => {
      const worker = new Worker(BOOTSTRAP, { eval: true });
      worker.on('message', (msg: HelperMessage) => this.onMessage(msg));
      worker.on('error', (error) => {
        // A dead helper must not leave a backtest waiting: later jobs stay on this thread, open ones redo its specs.
        this.failure = error;
        for (const job of this.jobs.values()) job.check();
      });
      return worker;
    });
  }

  /** Threads that may do work, this one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Computes every spec (outputs keyed by spec, then by output name); `series` must come from shareSeries. */
  async compute(specs: readonly string[], series: CandleSeries): Promise<Record<string, IndicatorArrays>> {
    const order = [...new Set(specs)].sort((a, b) => costOf(b) - costOf(a));
    const units = order.reduce((sum, spec) => sum + costOf(spec), 0) * series.close.length;
    const result: Record<string, IndicatorArrays> = {};
    if (order.length < 2 || units * this.msPerUnit < this.smallJobMs || this.failure) {
      const started = performance.now();
      for (const spec of order) result[spec] = computeIndicator(spec, series);
      this.learn(units, performance.now() - started);
      this.last = { helperSpecs: 0, mode: 'small job, this thread only' };
      return result;
    }

    const id = this.nextJob++;
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const out: (IndicatorArrays | undefined)[] = new Array(order.length);
    let settle!: { resolve: () => void; reject: (e: Error) => void };
    const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    let mainDone = false;
    const job: OpenJob = {
      specs: order, out,
      check: () => {
        if (job.error) return settle.reject(job.error);
        if (!mainDone) return;
        for (let i = 0; i < order.length; i++) {
          if (out[i] !== undefined) continue;
          // A crashed helper's claimed specs are redone here rather than failing the whole job.
          if (this.failure) out[i] = computeIndicator(order[i], series);
          else return;
        }
        settle.resolve();
      },
    };
    this.jobs.set(id, job);
    for (const worker of this.workers) worker.postMessage({ job: id, specs: order, series, counter });

    let mine = 0;
    let mineUnits = 0;
    const started = performance.now();
    for (;;) {
      const index = Atomics.add(counter, 0, 1);
      if (index >= order.length) break;
      out[index] = computeIndicator(order[index], series);
      mine++;
      mineUnits += costOf(order[index]) * series.close.length;
    }
    this.learn(mineUnits, performance.now() - started);
    mainDone = true;
    job.check();
    try {
      await finished;
    } finally {
      this.jobs.delete(id);
    }
    order.forEach((spec, i) => (result[spec] = out[i]!));
    this.last = { helperSpecs: order.length - mine, mode: 'shared' };
    return result;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Keeps the single-thread speed estimate current (it decides what counts as a small job). */
  private learn(units: number, ms: number): void {
    if (units <= 0 || ms <= 0) return;
    this.msPerUnit = 0.7 * this.msPerUnit + 0.3 * (ms / units);
  }

  private onMessage(msg: HelperMessage): void {
    const job = this.jobs.get(msg.job);
    if (!job) return;
    if ('result' in msg) job.out[msg.index] = msg.result;
    else job.error = new Error(`indicator ${job.specs[msg.index]}: ${msg.error}`);
    job.check();
  }
}
