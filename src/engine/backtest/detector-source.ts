/**
 * The live detector as the backtester's signal source: one MarketDetector per market, fed the candles in the order
 * the runner replays them, so a backtest trades exactly the signals ITA would have pushed. Each setup's
 * `management` block travels to the runner inside `signal.context` (per-signal plan overrides).
 */
import type { Candle, MarketKey, Signal } from '../types.ts';
import { InputError } from '../errors.ts';
import type { DetectorOptions } from '../signals/detector.ts';
import { rankSignals } from '../signals/scoring.ts';
import { marketDetectorFor } from '../regime/gate.ts';
import { createIndicator, parseIndicatorSpec } from '../indicators/index.ts';
import { substituteParams } from '../setups/operand.ts';
import { versionOf, type Setup } from '../setups/index.ts';
import type { ManagementOptions, SignalSource } from './types.ts';

export interface DetectorMarket {
  key: MarketKey;
  /** Candles before the backtested range: they only warm the detector up (no signals, no trades). */
  warmup?: readonly Candle[];
}

export interface DetectorSourceOptions {
  /**
   * 'backtesting.py': signals become that library's plain orders — no stop, no targets, no expiry — so positions end
   * only on an opposite signal or at the end, as in its SmaCross (a validity in wall-clock time would also expire
   * a Friday signal before Monday's open on stock data).
   */
  compat?: 'backtesting.py';
  history?: DetectorOptions['history'];
  /** The account's cost model, for the signals' costs in R (the detector sets signal.costs from it). */
  costs?: DetectorOptions['costs'];
  /** Sees every signal handed to the runner (e.g. to draw the chart of a trade later). */
  onSignal?: (signal: Signal) => void;
  /** See DetectorOptions.describeContext (default true): false skips the pattern engine for setups that never read it. */
  describeContext?: boolean;
  /** See DetectorOptions.prefilter (default true). */
  prefilter?: boolean;
}

export interface DetectorSource extends SignalSource {
  /** Candles before the first one on which every setup's indicators are defined (buy-and-hold starts there). */
  warmupBars: number;
  /** What an opposite signal does, from the setups' `exit_on_opposite`. */
  management: Pick<ManagementOptions, 'oppositeSignal'>;
  /** Signals the detector produced (before the runner accepted or skipped them). */
  emitted: number;
}

const NONE: readonly Signal[] = [];

export function detectorSource(markets: readonly DetectorMarket[], setups: readonly Setup[], options: DetectorSourceOptions = {}): DetectorSource {
  const protective = options.compat !== 'backtesting.py';
  const bySetup = new Map(setups.map((s) => [s.id, s]));
  const detectors = markets.map((market) => {
    // Behind the regime gate, as live (live/pipeline.ts), only when a setup reads the regime: plain backtests keep their speed.
    const detector = marketDetectorFor({ market: market.key, setups: [...setups], history: options.history, costs: options.costs, describeContext: options.describeContext, prefilter: options.prefilter });
    for (const candle of market.warmup ?? []) detector.update(candle);
    return detector;
  });
  const source: DetectorSource = {
    warmupBars: setups.reduce((max, s) => Math.max(max, setupWarmupBars(s, markets[0]?.warmup?.length ?? 0)), 0),
    management: { oppositeSignal: oppositeSignalMode(setups) },
    emitted: 0,
    onCandle(marketIndex, _candleIndex, candle) {
      const signals = detectors[marketIndex].update(candle);
      if (signals.length === 0) return NONE;
      source.emitted += signals.length;
      // Simultaneous signals compete for one position per market: the best-ranked one is offered first.
      const ranked = signals.length > 1 ? rankSignals(signals) : signals;
      for (const signal of ranked) {
        applyManagement(signal, bySetup.get(signal.setupId), protective);
        options.onSignal?.(signal);
      }
      return ranked;
    },
  };
  return source;
}

function applyManagement(signal: Signal, setup: Setup | undefined, protective: boolean): void {
  if (!protective) {
    signal.stop = NaN;
    signal.targets = [];
    signal.rr = NaN;
    signal.validUntil = Infinity;
    return;
  }
  const m = setup?.management;
  if (!m) return;
  if (m.break_even_r !== undefined) signal.context.breakEvenAtR = m.break_even_r;
  if (m.trail_atr !== undefined) signal.context.trailAtrMultiple = m.trail_atr;
  if (m.time_stop_bars !== undefined) signal.context.timeStopBars = m.time_stop_bars;
}

/**
 * The runner has one opposite-signal rule per run. Setups that all exit on an opposite signal get exit-and-reverse;
 * otherwise an opposite signal is ignored while a position is open (a setup that did not ask for it keeps its trade).
 */
export function oppositeSignalMode(setups: readonly Setup[]): ManagementOptions['oppositeSignal'] {
  return setups.length > 0 && setups.every((s) => s.management.exit_on_opposite) ? 'exit-and-reverse' : 'ignore';
}

/** Index of the first candle on which all of the setup's own indicators have a value (backtesting.py's warm-up). */
export function setupWarmupBars(setup: Setup, alreadySeen = 0): number {
  const params = currentParams(setup);
  let warmup = 0;
  for (const raw of Object.values(setup.indicators)) {
    warmup = Math.max(warmup, createIndicator(parseIndicatorSpec(substituteParams(raw, params)).text).warmup);
  }
  return Math.max(0, warmup - alreadySeen);
}

export function currentParams(setup: Setup): Record<string, number> {
  return Object.fromEntries(Object.entries(setup.params).map(([k, p]) => [k, p.value]));
}

/**
 * The setup with some parameter values replaced: a new definition, hence a new version (its statistics must not
 * mix with the original's). Unknown names are refused so a typo cannot silently optimize nothing.
 */
export function withParams(setup: Setup, values: Record<string, number>): Setup {
  const params = { ...setup.params };
  for (const [name, value] of Object.entries(values)) {
    const param = params[name];
    if (!param) {
      throw new InputError(`setup ${setup.id} has no parameter "${name}" (it has: ${Object.keys(params).join(', ') || 'none'})`, { field: 'params', value: name });
    }
    if (!Number.isFinite(value)) throw new InputError(`parameter ${name} must be a number, got ${value}`, { field: `params.${name}`, value });
    params[name] = { ...param, value };
  }
  const { version: _version, source, ...definition } = setup;
  const next = { ...definition, params };
  return { ...next, version: versionOf(next), source };
}

/** The setup's optimizer ranges (params with min, max and step). */
export function paramRanges(setup: Setup): Record<string, { min: number; max: number; step: number }> {
  const ranges: Record<string, { min: number; max: number; step: number }> = {};
  for (const [name, p] of Object.entries(setup.params)) {
    if (p.min !== undefined && p.max !== undefined && p.step !== undefined) ranges[name] = { min: p.min, max: p.max, step: p.step };
  }
  return ranges;
}
