/** Timing helpers for `ita bench`: medians over several runs, because the machines are noisy. */

export interface BenchLine {
  /** What was measured, e.g. "indicators: full set over 1,000,000 candles". */
  name: string;
  value: number;
  unit: string;
  /** Target, printed beside the figure, e.g. "< 500 ms". */
  target?: string;
  note?: string;
}

export interface BenchSection {
  title: string;
  run(options: { quick: boolean; log: (message: string) => void }): Promise<BenchLine[]>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Runs `fn` `runs` times (after one warm-up) and returns the median wall time in milliseconds. */
export async function medianMs(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}
