/**
 * Batch indicators on more than one core: a backtest or optimizer run needs many indicators over the same long
 * series, and each indicator is an independent pass. The specs are split by estimated cost between this thread and
 * helper threads that read the candles from shared memory (no copies) and return results the same way. The numbers
 * are exactly the single-threaded ones: every spec still runs the same kernel over the same inputs.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { computeIndicator } from './batch.ts';
import { parseIndicatorSpec } from './spec.ts';
import type { CandleSeries, IndicatorArrays } from './types.ts';

const WORKER_ENTRY = new URL('./parallel-worker.ts', import.meta.url).href;
const TSX_API = import.meta.resolve('tsx/esm/api');
// Node 20 ignores `--import tsx` in a worker's execArgv: the entry registers tsx itself, then loads the .ts worker.
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_ENTRY)}); });`;

/** Relative cost per candle, measured with `ita bench --only indicators` (rolling quantile dominates). */
const COST: Record<string, number> = {
  quantile: 23, stoch: 8, stochf: 6, donchian: 6, adx: 4, hv: 3.5, bb: 3, macd: 2.5, rsi: 2.2, atr: 1.8, tr: 1, slope: 1.8,
  wma: 1.6, vz: 1.5, vwap: 1, sma: 0.8, ema: 0.6,
};

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

export class IndicatorThreads {
  private readonly workers: Worker[];
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: IndicatorArrays[]) => void; reject: (e: Error) => void }>();

  /** `helpers` extra threads beside the calling one; default: one per remaining core. */
  constructor(helpers = Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1)) {
    this.workers = Array.from({ length: helpers }, () => {
      const worker = new Worker(BOOTSTRAP, { eval: true });
      worker.on('message', (msg: { id: number; results?: IndicatorArrays[]; error?: string }) => {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error !== undefined) p?.reject(new Error(msg.error));
        else p?.resolve(msg.results!);
      });
      worker.on('error', (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      return worker;
    });
  }

  /** Threads doing work, this one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Computes every spec (outputs keyed by spec, then by output name); `series` must come from shareSeries. */
  async compute(specs: readonly string[], series: CandleSeries): Promise<Record<string, IndicatorArrays>> {
    // Longest job first onto the least-loaded thread (thread 0 is this one).
    const loads = new Array(this.workers.length + 1).fill(0);
    const groups: string[][] = loads.map(() => []);
    for (const spec of [...specs].sort((a, b) => costOf(b) - costOf(a))) {
      const lightest = loads.indexOf(Math.min(...loads));
      loads[lightest] += costOf(spec);
      groups[lightest].push(spec);
    }
    const remote = groups.slice(1).map((group, i) => (group.length ? this.send(this.workers[i], group, series) : Promise.resolve([])));
    const local = groups[0].map((spec) => computeIndicator(spec, series));
    const out: Record<string, IndicatorArrays> = {};
    groups[0].forEach((spec, i) => (out[spec] = local[i]));
    const results = await Promise.all(remote);
    groups.slice(1).forEach((group, g) => group.forEach((spec, i) => (out[spec] = results[g][i])));
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private send(worker: Worker, specs: string[], series: CandleSeries): Promise<IndicatorArrays[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, specs, series });
    });
  }
}
