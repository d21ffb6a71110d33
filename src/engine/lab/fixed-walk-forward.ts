/**
 * The lab's walk-forward check of a candidate: its parameters fixed, each test window replayed after 1,000 warm-up
 * candles (the training part only warms up). On a job queue each window is a job (`ita worker` cuts it out of the
 * one stored series); otherwise it runs here. The bot's lab and `ita lab generate` both judge through it.
 */
import type { Setup } from '../setups/index.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { walkForward, type WalkForwardResult } from '../backtest/walk-forward.ts';
import { runSetupBacktest, sliceSeries, type MarketSeries, type SimulationSettings } from '../backtest/service/run-setup.ts';
import { remoteBacktestStats, type WorkQueue } from '../queue/remote.ts';

const WARMUP = 1000;

export function fixedParamsWalkForward(
  setup: Setup,
  market: MarketSeries,
  settings: SimulationSettings,
  o: { trainDays: number; testDays: number; queue?: WorkQueue; signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
): Promise<WalkForwardResult> {
  const last = market.candles[market.candles.length - 1];
  const range = { start: market.candles[0].ts, end: last.ts + timeframeMs(market.key.timeframe) };
  const { queue, signal } = o;
  return walkForward(range, async (w) => {
    signal?.throwIfAborted();
    if (queue) return (await remoteBacktestStats(queue, { setup, market, settings, window: { start: w.test.start, end: w.test.end, maxWarmup: WARMUP } }, signal)) as ReturnType<typeof runSetupBacktest>['stats'];
    return runSetupBacktest({ setup, market: sliceSeries(market, w.test.start, w.test.end, WARMUP), settings, signal });
  }, { trainDays: o.trainDays, testDays: o.testDays, onProgress: o.onProgress, concurrent: queue !== undefined });
}
