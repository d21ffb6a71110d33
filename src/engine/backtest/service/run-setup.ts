/**
 * One setup over one market's candles through the detector source and the runner: the single path shared by
 * `ita backtest`, the bot's backtest service, walk-forward windows and the optimizer's workers.
 */
import type { AccountType, Candle, MarketKey, Signal, Timeframe } from '../../types.ts';
import type { Governance } from '../../risk/index.ts';
import { warmupCandles } from '../../setups/warmup.ts';
import { InputError } from '../../errors.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import { resampleCandles } from '../../market/resample.ts';
import type { Setup } from '../../setups/index.ts';
import type { DetectorOptions } from '../../signals/detector.ts';
import { backtestingPyMode } from '../compat.ts';
import { runBacktest } from '../runner.ts';
import type { BacktestOptions, BacktestReport, SizingOptions } from '../types.ts';
import { detectorSource } from '../detector-source.ts';
import { candlesOf, lowerBound, sliceColumns, type CandleColumns } from '../../market/columns.ts';

/** Plain data (it crosses into optimizer worker threads as JSON). */
export interface SimulationSettings {
  initialCash: number;
  sizing: SizingOptions;
  /** Fractions of notional (0.001 = 0.1 %). */
  fees: { maker: number; taker: number };
  slippageBps: number;
  /** Run with backtesting.py's order semantics (all-in, no stops/targets, no expiry). */
  compat?: 'backtesting.py';
  /** The market's account type (spot: long only; perp: both sides). Default spot. */
  account?: AccountType;
  /** Exchange leverage on a perp account (clamped to the governance cap). */
  leverage?: number;
  /** The governor's limits; absent = research mode without the governor (said in the assumptions). */
  governance?: Governance;
  /** The signal policy: entries need this score and at most this stopped-trade cost in R. */
  policy?: { minScore: number; maxCostR: number };
}

export const DEFAULT_SIMULATION: SimulationSettings = {
  initialCash: 10_000,
  sizing: { kind: 'risk', riskFraction: 0.008 },
  fees: { maker: 0.001, taker: 0.001 },
  slippageBps: 0,
};

export interface MarketSeries {
  key: MarketKey;
  /** The backtested candles (built on first use when the series was loaded as columns). */
  candles: Candle[];
  /** Earlier candles that only warm the detector up. */
  warmup: Candle[];
  /** The backtested candles as columns, when loaded that way: the session then reads these and never `candles`. */
  columns?: CandleColumns;
}

export function seriesLength(series: MarketSeries): number {
  return series.columns ? series.columns.length : series.candles.length;
}

/** Open time of the series' i-th backtested candle. */
export function seriesTs(series: MarketSeries, i: number): number {
  return series.columns ? series.columns.ts[i] : series.candles[i].ts;
}

export interface SetupRun {
  setup: Setup;
  market: MarketSeries;
  settings: SimulationSettings;
  /** Lower-timeframe candles of the same period, to order stop and target inside a candle. */
  detail?: Candle[];
  history?: DetectorOptions['history'];
  onSignal?: (signal: Signal) => void;
  /** Structure and sessions in every signal's context (default true); trades are the same either way (a test holds them equal). */
  describeContext?: boolean;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export function runSetupBacktest(run: SetupRun): BacktestReport {
  return runBacktest(setupSessionOptions(run));
}

/** The session options of one setup over one market: the SAME for `ita backtest`, the bot, the optimizer and `ita replay`. */
export function setupSessionOptions(run: SetupRun): BacktestOptions {
  const { setup, market, settings } = run;
  const costs = { makerFee: settings.fees.maker, takerFee: settings.fees.taker, slippage: settings.slippageBps / 10_000 };
  const source = detectorSource([{ key: market.key, warmup: market.warmup }], [setup], { compat: settings.compat, history: run.history, onSignal: run.onSignal, costs, describeContext: run.describeContext });
  const base: Omit<BacktestOptions, 'markets' | 'signalSource'> =
    settings.compat === 'backtesting.py'
      ? backtestingPyMode({ cash: settings.initialCash, commission: settings.fees.taker, finalizeTrades: true })
      : {
          initialCash: settings.initialCash,
          sizing: settings.sizing,
          fees: settings.fees,
          slippage: { bps: settings.slippageBps },
        };
  const compat = settings.compat === 'backtesting.py';
  return {
    ...base,
    // backtesting.py's semantics have no governor, no policy and no side rule: its parity is checked through the same session.
    governance: compat ? undefined : settings.governance,
    policy: compat ? undefined : settings.policy,
    leverage: settings.leverage,
    management: { ...base.management, ...source.management },
    markets: [
      {
        key: market.key,
        // Not read by the session when the columns are there; built only if something else asks.
        get candles() {
          return market.candles;
        },
        columns: market.columns,
        warmup: market.warmup,
        detail: run.detail,
        account: compat ? 'perp' : (settings.account ?? 'spot'),
      },
    ],
    signalSource: source,
    warmupBars: source.warmupBars,
    onProgress: run.onProgress,
    signal: run.signal,
  };
}

/**
 * Candles of the setup's timeframe for [from, to): resampled from a lower timeframe when needed (as `ita detect`
 * does); candles before `from` are kept as detector warm-up.
 */
export function seriesForSetup(
  candles: readonly Candle[],
  fileTimeframe: Timeframe,
  setup: Setup,
  key: Omit<MarketKey, 'timeframe'>,
  range: { from?: number; to?: number } = {},
): MarketSeries {
  const tf = setup.timeframe;
  if (timeframeMs(tf) % timeframeMs(fileTimeframe) !== 0) {
    throw new InputError(`setup ${setup.id} runs on ${tf}, which cannot be built from ${fileTimeframe} candles`, { field: 'tf', value: fileTimeframe });
  }
  const series = tf === fileTimeframe ? [...candles] : resampleCandles(candles, fileTimeframe, tf);
  const from = range.from ?? -Infinity;
  const to = range.to ?? Infinity;
  // Warm-up: the same number of candles live, offline and here, all closed before the start.
  const before = series.filter((c) => c.ts + timeframeMs(tf) <= from);
  const warmup = before.slice(Math.max(0, before.length - warmupCandles([setup], tf)));
  const inRange = series.filter((c) => c.ts >= from && c.ts < to);
  if (inRange.length < 2) {
    const span = `${range.from === undefined ? 'start' : new Date(from).toISOString()} .. ${range.to === undefined ? 'end' : new Date(to).toISOString()}`;
    throw new InputError(`only ${inRange.length} ${tf} candle(s) in ${span}; a backtest needs at least 2`, { field: 'from', value: range.from });
  }
  return { key: { ...key, timeframe: tf }, candles: inRange, warmup };
}

/**
 * seriesForSetup over columns (a large candle file read by readCandleColumns): on the file's own timeframe the
 * backtested range is a view of the columns (no copy, no Candle objects) and only the warm-up becomes candles.
 * Another timeframe is resampled from candles, as seriesForSetup does.
 */
export function seriesFromColumns(
  columns: CandleColumns,
  fileTimeframe: Timeframe,
  setup: Setup,
  key: Omit<MarketKey, 'timeframe'>,
  range: { from?: number; to?: number } = {},
): MarketSeries {
  const tf = setup.timeframe;
  if (tf !== fileTimeframe) return seriesForSetup(candlesOf(columns), fileTimeframe, setup, key, range);
  const from = range.from ?? -Infinity;
  const to = range.to ?? Infinity;
  // The same cuts as seriesForSetup: warm-up = candles closed by `from`, range = [from, to).
  const closedBefore = lowerBoundAbove(columns, from - timeframeMs(tf));
  const start = lowerBound(columns, from);
  const end = lowerBound(columns, to);
  if (end - start < 2) return seriesForSetup(candlesOf(columns), fileTimeframe, setup, key, range);
  const warmup = candlesOf(columns, Math.max(0, closedBefore - warmupCandles([setup], tf)), closedBefore);
  const view = sliceColumns(columns, start, end);
  let candles: Candle[] | undefined;
  return {
    key: { ...key, timeframe: tf },
    warmup,
    columns: view,
    get candles() {
      return (candles ??= candlesOf(view));
    },
  };
}

/** First row whose ts is above `ts`. */
function lowerBoundAbove(columns: CandleColumns, ts: number): number {
  let lo = 0;
  let hi = columns.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (columns.ts[mid] <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The sub-range [start, end) of a series; the candles before it (at most `maxWarmup` of them) become warm-up. */
export function sliceSeries(series: MarketSeries, start: number, end: number, maxWarmup = Infinity): MarketSeries {
  const all = [...series.warmup, ...series.candles];
  const before = all.filter((c) => c.ts < start);
  return { key: series.key, warmup: before.slice(Math.max(0, before.length - maxWarmup)), candles: all.filter((c) => c.ts >= start && c.ts < end) };
}
