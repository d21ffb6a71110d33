/**
 * Builds the annotated chart of a signal from the candles up to (and including) its candle: the setup's price-scale
 * indicator lines, the fair value gaps and order blocks still open, the swing / liquidity / previous-day levels and
 * the main sessions — what the detector saw when it fired, and nothing from after.
 */
import type { Candle, MarketKey, Signal } from '../types.ts';
import type { ChartLevel, ChartLine, ChartSession, ChartZone, SignalChartSpec } from '../charts/spec.ts';
import { PatternEngine, type PatternEvent } from '../patterns/index.ts';
import { computeIndicator } from '../indicators/index.ts';
import { parseIndicatorSpec } from '../indicators/spec.ts';
import { toSeries } from '../indicators/types.ts';
import type { Setup } from '../setups/loader.ts';
import { keepAnnotationsOfSetup, type SetupWords } from '../charts/annotation-filter.ts';
import { substituteParams } from '../setups/operand.ts';
import { timeframeMs } from '../market/timeframes.ts';

const VISIBLE = 120;
/** Candles replayed before the visible window so swings, gaps and indicators exist at its left edge. */
const LEAD_IN = 400;
/** Indicators drawn on the price panel; oscillators (RSI, ADX, ...) would need a panel of their own. */
const PRICE_SCALE = new Set(['sma', 'ema', 'wma', 'bb', 'donchian', 'vwap']);
const SESSIONS_DRAWN = new Set(['Asia', 'London', 'New York']);
const MAX_ZONES = 6;
/** Session boxes only help on intraday charts; on 4h and above every day would be shaded. */
const MAX_SESSION_TF_MS = 3_600_000;

/** What a signal's chart reads of its setup: indicator lines, swing length, and the words that pick its annotations. */
export type ChartSetup = Pick<Setup, 'indicators' | 'params' | 'patterns'> & SetupWords;
/** What a signal's chart reads of the signal. */
export type ChartedSignal = Pick<Signal, 'ts' | 'side' | 'entry' | 'stop' | 'targets' | 'symbol' | 'timeframe' | 'setupName' | 'score'>;

/**
 * Everything a signal card is drawn from, as plain data: the card's spec is built where it renders (a render-pool
 * thread), since replaying 520 candles through the pattern engine cost ~23 ms of CPU per signal on the thread that
 * also polls, detects and sends.
 */
export interface SignalCardInput {
  signal: ChartedSignal;
  /** The candles up to and including the signal's (the lead-in and the visible window). */
  candles: Candle[];
  setup?: ChartSetup;
}

export function signalCardInput(signal: ChartedSignal, candles: Candle[], setup?: ChartSetup): SignalCardInput {
  const { ts, side, entry, stop, targets, symbol, timeframe, setupName, score } = signal;
  const picked = setup && { indicators: setup.indicators, params: setup.params, patterns: setup.patterns, rules: setup.rules, filters: setup.filters, entry: setup.entry, stop: setup.stop, targets: setup.targets, score: setup.score, context: setup.context };
  return { signal: { ts, side, entry, stop, targets, symbol, timeframe, setupName, score }, candles, setup: picked };
}

/** The signal card's spec: the annotated chart, keeping only the annotations its setup reads. */
export function signalCardSpec(input: SignalCardInput): SignalChartSpec {
  return keepAnnotationsOfSetup(buildSignalChartSpec(input.signal, input.candles, input.setup), input.setup);
}

export function buildSignalChartSpec(signal: ChartedSignal, candles: readonly Candle[], setup?: ChartSetup): SignalChartSpec {
  const spec = annotate(candles, signal.ts, signal.entry, timeframeMs(signal.timeframe), setup);
  return {
    ...spec,
    title: { symbol: signal.symbol, timeframe: signal.timeframe, setup: signal.setupName, score: signal.score },
    signal: { ts: signal.ts, side: signal.side, entry: signal.entry, stop: signal.stop, targets: signal.targets.map((t) => t.price) },
  };
}

/** A market "now": the latest candles with zones, levels and sessions, and no trade plan. */
export function buildMarketChartSpec(market: MarketKey, candles: readonly Candle[]): SignalChartSpec {
  const last = candles[candles.length - 1];
  const spec = annotate(candles, last.ts, last.close, timeframeMs(market.timeframe));
  return { ...spec, title: { symbol: market.symbol, timeframe: market.timeframe, setup: 'market now' } };
}

function annotate(candles: readonly Candle[], atTs: number, price: number, tfMs: number, setup?: ChartSetup): Omit<SignalChartSpec, 'title'> {
  const signal = { ts: atTs, entry: price };
  const end = upperBound(candles, signal.ts);
  const start = Math.max(0, end - VISIBLE - LEAD_IN);
  const window = candles.slice(start, end);
  const visible = window.slice(-VISIBLE);
  const firstVisibleTs = visible[0]?.ts ?? signal.ts;

  const engine = new PatternEngine({ swings: { left: setup?.patterns.swing_length ?? 5, right: setup?.patterns.swing_length ?? 5 } });
  const sessions: ChartSession[] = [];
  const open = new Map<string, number>();
  let before = engine.state();
  for (let i = 0; i < window.length; i++) {
    if (i === window.length - 1) before = engine.state();
    for (const event of engine.update(window[i])) collectSession(event, open, sessions);
  }
  const lastTs = window[window.length - 1]?.ts ?? signal.ts;
  for (const [name, from] of open) sessions.push({ name, from, to: lastTs + (lastTs - (window[window.length - 2]?.ts ?? lastTs)) });
  const state = engine.state();

  // Zones open before the signal candle (the touched gap may have been mitigated by that very candle), nearest first.
  const zoneEvents = new Map<string, PatternEvent>();
  for (const z of [...before.activeFvgs, ...before.activeOrderBlocks, ...state.activeFvgs, ...state.activeOrderBlocks]) zoneEvents.set(`${z.kind}:${z.index}`, z);
  const zones: ChartZone[] = [...zoneEvents.values()]
    .sort((a, b) => distance(a, signal.entry) - distance(b, signal.entry))
    .slice(0, MAX_ZONES)
    .map((z) => ({
      kind: z.kind === 'fvg' ? 'fvg' : 'ob',
      from: Math.max(z.ts, firstVisibleTs),
      top: Math.max(z.top!, z.bottom!),
      bottom: Math.min(z.top!, z.bottom!),
      direction: z.direction ?? 'bullish',
      label: z.kind === 'fvg' ? 'FVG' : 'OB',
    }));

  const levels: ChartLevel[] = [];
  if (state.lastSwingHigh) levels.push({ price: state.lastSwingHigh.level!, from: Math.max(state.lastSwingHigh.ts, firstVisibleTs), label: 'swing high', kind: 'swing' });
  if (state.lastSwingLow) levels.push({ price: state.lastSwingLow.level!, from: Math.max(state.lastSwingLow.ts, firstVisibleTs), label: 'swing low', kind: 'swing' });
  for (const pool of state.liquidityPools.slice(-4)) {
    levels.push({ price: pool.level, from: Math.max(pool.ts, firstVisibleTs), label: pool.direction === 'bullish' ? 'equal highs' : 'equal lows', kind: 'liquidity' });
  }
  const day = state.previousRanges.find((r) => r.timeframe === '1d');
  if (day) {
    levels.push({ price: day.high, from: firstVisibleTs, label: 'PDH', kind: 'previous' });
    levels.push({ price: day.low, from: firstVisibleTs, label: 'PDL', kind: 'previous' });
  }

  return {
    candles: visible,
    lines: setup ? indicatorLines(setup, window).map((line) => ({ ...line, values: line.values.slice(-visible.length) })) : [],
    zones,
    levels: levels.filter((l) => Number.isFinite(l.price)),
    sessions: tfMs > MAX_SESSION_TF_MS ? [] : sessions.filter((s) => s.to > firstVisibleTs).map((s) => ({ ...s, from: Math.max(s.from, firstVisibleTs) })),
  };
}

function indicatorLines(setup: ChartSetup, candles: readonly Candle[]): ChartLine[] {
  const params = Object.fromEntries(Object.entries(setup.params).map(([k, p]) => [k, p.value]));
  const series = toSeries(candles);
  const lines: ChartLine[] = [];
  for (const [alias, raw] of Object.entries(setup.indicators)) {
    const spec = parseIndicatorSpec(substituteParams(raw, params));
    if (!PRICE_SCALE.has(spec.name)) continue;
    for (const [output, values] of Object.entries(computeIndicator(spec, series))) {
      // Channel middles add clutter without information the bands do not already show.
      if (output.endsWith('.middle')) continue;
      const suffix = output === spec.text ? '' : output.slice(spec.text.length);
      lines.push({ name: `${alias}${suffix}`, values: Array.from(values, (v) => (Number.isNaN(v) ? null : v)) });
    }
  }
  return lines;
}

function collectSession(event: PatternEvent, open: Map<string, number>, out: ChartSession[]): void {
  const name = event.label ?? '';
  if (!SESSIONS_DRAWN.has(name)) return;
  if (event.kind === 'session-start') open.set(name, event.ts);
  if (event.kind === 'session-end' && open.has(name)) {
    out.push({ name, from: open.get(name)!, to: event.confirmedTs });
    open.delete(name);
  }
}

function distance(zone: PatternEvent, price: number): number {
  const top = Math.max(zone.top!, zone.bottom!);
  const bottom = Math.min(zone.top!, zone.bottom!);
  return price > top ? price - top : price < bottom ? bottom - price : 0;
}

/** Index one past the last candle with ts <= target. */
function upperBound(candles: readonly Candle[], target: number): number {
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (candles[mid].ts <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
