/** A bench figure beside its same-run baseline: medians, ratio, the spread of both, the load average. */
import { loadavg } from 'node:os';
import { median, type BenchLine } from './timing.ts';

export function spread(values: number[]): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const digits = hi < 10 ? 1 : 0;
  return `${lo.toFixed(digits)}–${hi.toFixed(digits)}`;
}

/** `values` and `baseline` are milliseconds from interleaved runs; the ratio is ITA ÷ baseline (below 1 = faster). */
export function compared(
  name: string,
  values: number[],
  baseline: number[],
  baselineName: string,
  options: { target?: string; extra?: string; unit?: string } = {},
): BenchLine {
  const value = median(values);
  const base = median(baseline);
  const digits = base < 10 ? 1 : 0;
  return {
    name,
    value,
    unit: options.unit ?? 'ms',
    target: options.target,
    note:
      `baseline ${baselineName} ${base.toFixed(digits)} ms; ratio ${(value / base).toFixed(2)}×; ` +
      `median of ${values.length}, spread ${spread(values)} vs ${spread(baseline)}; load avg ${loadavg()[0].toFixed(1)}` +
      (options.extra ? `; ${options.extra}` : ''),
  };
}
