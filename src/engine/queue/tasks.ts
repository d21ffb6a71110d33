/**
 * The work a job carries, self-contained so any machine can run it: the setup and simulation settings as values,
 * the candles by content hash (codec.ts). Each kind runs the one setup path (runSetupBacktest), so a result from a
 * worker is the result this process would have computed.
 */
import type { Setup } from '../setups/index.ts';
import type { Signal } from '../types.ts';
import type { BacktestReport } from '../backtest/types.ts';
import { withParams } from '../backtest/detector-source.ts';
import { runSetupBacktest, sliceSeries, type MarketSeries, type SimulationSettings } from '../backtest/service/run-setup.ts';
import type { SeriesInput } from './codec.ts';

type Params = Record<string, number>;

export type Task =
  /** Optimizer: the setup with each parameter set over the series; the statistics, in the order given. */
  | { kind: 'evaluate'; setup: Setup; series: string; settings: SimulationSettings; params: Params[] }
  /** One backtest's statistics, optionally over a window of the series (a walk-forward test window). */
  | { kind: 'backtest'; setup: Setup; series: string; settings: SimulationSettings; window?: { start: number; end: number; maxWarmup: number } }
  /** A full backtest (the /backtest run): the report, and the signals offered to the session when asked for (trade charts). */
  | { kind: 'report'; setup: Setup; series: string; settings: SimulationSettings; detail?: string; describeContext?: boolean; keepSignals: boolean };

export interface ReportResult {
  report: BacktestReport;
  signals: Signal[];
}

export interface TaskContext {
  series(hash: string): Promise<SeriesInput>;
  /** False once the job was cancelled: a batch stops at its next evaluation. */
  stillWanted(): Promise<boolean>;
}

/** The job is no longer wanted (cancelled by the coordinator); nothing is reported. */
export class JobCancelledError extends Error {}

export async function runTask(task: Task, ctx: TaskContext): Promise<unknown> {
  const market: MarketSeries = await ctx.series(task.series);
  if (task.kind === 'evaluate') {
    const results: object[] = [];
    for (const params of task.params) {
      if (!(await ctx.stillWanted())) throw new JobCancelledError('job cancelled');
      results.push(runSetupBacktest({ setup: withParams(task.setup, params), market, settings: task.settings }).stats);
    }
    return results;
  }
  if (task.kind === 'report') {
    const signals: Signal[] = [];
    const detail = task.detail ? (await ctx.series(task.detail)).candles : undefined;
    const report = runSetupBacktest({ setup: task.setup, market, settings: task.settings, detail, describeContext: task.describeContext, onSignal: task.keepSignals ? (s) => signals.push(s) : undefined });
    return { report, signals } satisfies ReportResult;
  }
  const w = task.window;
  const slice = w ? sliceSeries(market, w.start, w.end, w.maxWarmup) : market;
  return runSetupBacktest({ setup: task.setup, market: slice, settings: task.settings }).stats;
}

export function describeTask(task: Task): string {
  if (task.kind === 'evaluate') return `${task.setup.id}: ${task.params.length} parameter set(s)`;
  if (task.kind === 'report') return `${task.setup.id}: full backtest on ${task.series.slice(0, 12)}…`;
  return `${task.setup.id}: backtest${task.window ? ` ${new Date(task.window.start).toISOString().slice(0, 10)}..${new Date(task.window.end).toISOString().slice(0, 10)}` : ''}`;
}
