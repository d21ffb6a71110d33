/**
 * Validation splits. Walk-forward rolls a train window followed by a test window across the data; the caller's
 * `run` (typically: optimize on train, then backtest the winner on test) reports each test window, and the
 * aggregate tells whether the edge holds up window after window or came from one lucky stretch.
 */
import { mean, variance } from './periodic.ts';
import { minOf } from './metrics.ts';

const DAY = 86_400_000;

export interface TimeRange {
  start: number;
  /** Exclusive. */
  end: number;
}

export interface WalkForwardWindow {
  index: number;
  train: TimeRange;
  test: TimeRange;
}

/** The figures walk-forward aggregates (a BacktestStatistics fits). */
export interface WindowStats {
  returnPct: number;
  sharpe: number;
  maxDrawdownPct: number;
  trades: number;
  winRatePct: number;
  profitFactor: number;
}

export interface WalkForwardResult {
  windows: { window: WalkForwardWindow; stats: WindowStats }[];
  aggregate: {
    windows: number;
    positiveShare: number;
    compoundedReturnPct: number;
    meanSharpe: number;
    sharpeStd: number;
    worstDrawdownPct: number;
    trades: number;
    /** positiveShare / (1 + Sharpe dispersion): 1 = every window positive with identical Sharpe. */
    consistency: number;
  };
}

/** First `trainFraction` of the range for training, the rest held out. */
export function trainTestSplit(range: TimeRange, trainFraction = 0.7): { train: TimeRange; test: TimeRange } {
  const cut = range.start + Math.floor((range.end - range.start) * trainFraction);
  return { train: { start: range.start, end: cut }, test: { start: cut, end: range.end } };
}

export function walkForwardWindows(range: TimeRange, trainDays = 60, testDays = 30, stepDays = testDays): WalkForwardWindow[] {
  const windows: WalkForwardWindow[] = [];
  for (let start = range.start, index = 0; start + (trainDays + testDays) * DAY <= range.end; start += stepDays * DAY, index++) {
    const trainEnd = start + trainDays * DAY;
    windows.push({ index, train: { start, end: trainEnd }, test: { start: trainEnd, end: trainEnd + testDays * DAY } });
  }
  return windows;
}

export function aggregateWindows(windows: { window: WalkForwardWindow; stats: WindowStats }[]): WalkForwardResult['aggregate'] {
  const rets = windows.map((w) => w.stats.returnPct);
  const sharpes = windows.map((w) => w.stats.sharpe).filter((s) => Number.isFinite(s));
  const positiveShare = windows.length ? rets.filter((r) => r > 0).length / windows.length : NaN;
  const sharpeStd = sharpes.length > 1 ? Math.sqrt(variance(sharpes, 1)) : 0;
  return {
    windows: windows.length,
    positiveShare,
    compoundedReturnPct: (rets.reduce((acc, r) => acc * (1 + r / 100), 1) - 1) * 100,
    meanSharpe: mean(sharpes),
    sharpeStd,
    worstDrawdownPct: minOf(windows.map((w) => w.stats.maxDrawdownPct)),
    trades: windows.reduce((a, w) => a + w.stats.trades, 0),
    consistency: positiveShare / (1 + sharpeStd),
  };
}

/** What `run` may return: a backtest report (its `stats` are used) or the statistics themselves. */
export type WindowResult = WindowStats | { stats: WindowStats };

export async function walkForward(
  range: TimeRange,
  run: (window: WalkForwardWindow) => WindowResult | Promise<WindowResult>,
  o: {
    trainDays?: number;
    testDays?: number;
    stepDays?: number;
    onProgress?: (done: number, total: number) => void;
    /** Start every window at once (they are jobs on a queue); the windows are still reported in time order. */
    concurrent?: boolean;
  } = {},
): Promise<WalkForwardResult> {
  const plan = walkForwardWindows(range, o.trainDays, o.testDays, o.stepDays);
  const statsOf = (result: WindowResult): WindowStats => ('stats' in result ? result.stats : result);
  const windows: WalkForwardResult['windows'] = [];
  if (o.concurrent) {
    let done = 0;
    const results = await Promise.all(plan.map(async (window) => {
      const result = await run(window);
      o.onProgress?.(++done, plan.length);
      return result;
    }));
    plan.forEach((window, i) => windows.push({ window, stats: statsOf(results[i]) }));
  } else {
    for (const window of plan) {
      windows.push({ window, stats: statsOf(await run(window)) });
      o.onProgress?.(windows.length, plan.length);
    }
  }
  return { windows, aggregate: aggregateWindows(windows) };
}
