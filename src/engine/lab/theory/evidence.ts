/**
 * Evidence for a drafted setup: on each chosen market, the stored candles are replayed through the one setup path
 * (runSetupBacktest: detector → policy → governor → simulated broker, the same as /backtest) in walk-forward test
 * windows with fixed parameters (the training windows only warm the detector up: a setup drafted from a text has
 * nothing to fit). The test windows' trades are pooled across markets and judged by `theoryVerdict`.
 */
import type { Candle, MarketKey, Timeframe } from '../../types.ts';
import type { Setup } from '../../setups/index.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import { runSetupBacktest, seriesForSetup, sliceSeries, type SimulationSettings } from '../../backtest/service/run-setup.ts';
import { trainTestSplit, walkForwardWindows } from '../../backtest/walk-forward.ts';
import { theoryVerdict, type VerdictNumbers } from './verdict.ts';

export interface MarketEvidence {
  market: string;
  /** 'walk-forward' windows, or 'holdout' (the last 30 %) when the data is shorter than one window. */
  method: 'walk-forward' | 'holdout';
  windows: number;
  positiveWindows: number;
  trades: number;
  expectancyR: number;
  netPnl: number;
  /** Signals the policy or the governor refused, by rule (a refused signal is no trade and no evidence). */
  refused: Record<string, number>;
}

export interface TheoryEvidence extends VerdictNumbers {
  markets: MarketEvidence[];
  trainDays: number;
  testDays: number;
  fees: SimulationSettings['fees'];
  slippageBps: number;
}

export interface EvidenceOptions {
  setup: Setup;
  markets: MarketKey[];
  candlesOf: (market: MarketKey) => Promise<Candle[]>;
  settings: SimulationSettings;
  walkForward?: { trainDays: number; testDays: number };
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function gatherEvidence(o: EvidenceOptions): Promise<TheoryEvidence> {
  const { trainDays, testDays } = o.walkForward ?? { trainDays: 60, testDays: 30 };
  const pooled: number[] = [];
  const markets: MarketEvidence[] = [];
  let done = 0;
  for (const key of o.markets) {
    o.signal?.throwIfAborted();
    const candles = await o.candlesOf(key);
    const series = seriesForSetup(candles, key.timeframe as Timeframe, o.setup, { exchange: key.exchange, symbol: key.symbol });
    const last = series.candles[series.candles.length - 1];
    const range = { start: series.candles[0].ts, end: last.ts + timeframeMs(o.setup.timeframe) };
    let windows = walkForwardWindows(range, trainDays, testDays).map((w) => w.test);
    const method = windows.length > 0 ? 'walk-forward' : 'holdout';
    if (windows.length === 0) windows = [trainTestSplit(range).test];
    const mine: number[] = [];
    let positive = 0;
    let netPnl = 0;
    const refused: Record<string, number> = {};
    for (const test of windows) {
      await breathe();
      o.signal?.throwIfAborted();
      const report = runSetupBacktest({ setup: o.setup, market: sliceSeries(series, test.start, test.end, 1000), settings: o.settings, signal: o.signal });
      const pnl = report.trades.reduce((a, t) => a + t.pnl, 0);
      if (pnl > 0) positive++;
      netPnl += pnl;
      for (const t of report.trades) if (Number.isFinite(t.rMultiple)) mine.push(t.rMultiple);
      for (const skip of report.skipped ?? []) refused[skip.rule] = (refused[skip.rule] ?? 0) + 1;
    }
    pooled.push(...mine);
    markets.push({
      market: `${key.exchange} ${key.symbol} ${key.timeframe}`,
      method,
      windows: windows.length,
      positiveWindows: positive,
      trades: mine.length,
      expectancyR: mine.length ? mine.reduce((a, r) => a + r, 0) / mine.length : NaN,
      netPnl,
      refused,
    });
    o.onProgress?.(++done, o.markets.length);
  }
  return { ...theoryVerdict(pooled), markets, trainDays, testDays, fees: o.settings.fees, slippageBps: o.settings.slippageBps };
}
