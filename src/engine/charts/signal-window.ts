/**
 * Turns a SignalChartSpec into what is drawn: the visible candle window, annotations mapped to candle-index
 * x coordinates (the x axis is the candle index, so gaps like weekends take no space), and the price range.
 */
import type { Candle } from '../types.ts';
import { InputError } from '../errors.ts';
import { extent, priceDecimals } from './format.ts';
import { SIGNAL_HEIGHT, SIGNAL_LAST_CANDLES, SIGNAL_WIDTH } from './spec.ts';
import { PHONE_FONT_SIZE, type FontSizes } from './theme.ts';
import type { ChartLevel, ChartSignal, ChartZone, SignalChartSpec } from './spec.ts';

export interface WindowZone { zone: ChartZone; x1: number; x2: number }
export interface WindowLevel { level: ChartLevel; x1: number; x2: number }
export interface WindowSession { name: string; x1: number; x2: number }
export interface WindowLine { name: string; color?: string; values: (number | null)[] }

export interface SignalWindow {
  width: number;
  height: number;
  fonts: FontSizes;
  decimals: number;
  candles: Candle[];
  lines: WindowLine[];
  zones: WindowZone[];
  levels: WindowLevel[];
  sessions: WindowSession[];
  signal?: ChartSignal & { index: number };
  /** x axis range in candle-index units; the right part past the last candle is room for price labels. */
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Empty space right of the last candle, as a share of the visible candles: where entry/stop/target labels sit. */
const RIGHT_ROOM = 0.28;
/** Zones and levels further than this share of the candles' range from the candles do not stretch the y axis. */
const FAR_AWAY = 0.5;

/** Index of the last candle opening at or before `ts`, or -1 when `ts` precedes the window. */
function indexAtOrBefore(timestamps: number[], ts: number): number {
  let lo = 0;
  let hi = timestamps.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (timestamps[mid] <= ts) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

export function buildSignalWindow(spec: SignalChartSpec): SignalWindow {
  const count = Math.min(spec.candles.length, spec.lastCandles ?? SIGNAL_LAST_CANDLES);
  const offset = spec.candles.length - count;
  const candles = spec.candles.slice(offset);
  const timestamps = candles.map((candle) => candle.ts);
  const last = candles.length - 1;
  const xMax = last + Math.max(4, Math.ceil(candles.length * RIGHT_ROOM));

  let signal: SignalWindow['signal'];
  if (spec.signal) {
    const index = timestamps.indexOf(spec.signal.ts);
    if (index < 0) {
      throw new InputError(`signal chart: signal.ts ${spec.signal.ts} is outside the last ${count} candles shown; raise lastCandles`,
        { field: 'signal.ts', value: spec.signal.ts });
    }
    signal = { ...spec.signal, index };
  }

  const zones: WindowZone[] = [];
  for (const zone of spec.zones ?? []) {
    const end = zone.to === undefined ? xMax : indexAtOrBefore(timestamps, zone.to) + 0.5;
    if (end < 0) continue;
    zones.push({ zone, x1: Math.max(0, indexAtOrBefore(timestamps, zone.from)) - 0.5, x2: end });
  }
  const levels: WindowLevel[] = [];
  for (const level of spec.levels ?? []) {
    const end = level.to === undefined ? last : indexAtOrBefore(timestamps, level.to);
    if (end < 0) continue;
    levels.push({ level, x1: Math.max(0, indexAtOrBefore(timestamps, level.from)), x2: Math.max(end, 0) });
  }
  const sessions: WindowSession[] = [];
  for (const session of spec.sessions ?? []) {
    const first = timestamps.findIndex((ts) => ts >= session.from);
    const lastInside = indexAtOrBefore(timestamps, session.to - 1);
    if (first < 0 || lastInside < first) continue;
    sessions.push({ name: session.name, x1: first - 0.5, x2: lastInside + 0.5 });
  }
  const lines = (spec.lines ?? []).map((line) => ({ name: line.name, color: line.color, values: line.values.slice(offset) }));

  const { yMin, yMax } = priceRange(candles, lines, zones, levels, signal);
  const typical = candles[last].close;
  return {
    width: spec.width ?? SIGNAL_WIDTH,
    height: spec.height ?? SIGNAL_HEIGHT,
    fonts: PHONE_FONT_SIZE,
    decimals: spec.pricePrecision ?? priceDecimals(typical),
    candles, lines, zones, levels, sessions, signal,
    xMin: -1,
    xMax,
    yMin,
    yMax,
  };
}

function priceRange(candles: Candle[], lines: WindowLine[], zones: WindowZone[], levels: WindowLevel[], signal?: ChartSignal): { yMin: number; yMax: number } {
  let low = extent(candles.map((candle) => candle.low)).min;
  let high = extent(candles.map((candle) => candle.high)).max;
  const reach = (high - low || Math.abs(high) * 0.01 || 1) * FAR_AWAY;
  const include = (price: number, always: boolean): void => {
    if (!always && (price < low - reach || price > high + reach)) return;
    low = Math.min(low, price);
    high = Math.max(high, price);
  };
  for (const line of lines) for (const value of line.values) if (value !== null) include(value, false);
  for (const { zone } of zones) { include(zone.top, false); include(zone.bottom, false); }
  for (const { level } of levels) include(level.price, false);
  // The trade plan is always fully visible: a chart that hides the stop would mislead.
  if (signal) for (const price of [signal.entry, signal.stop, ...signal.targets]) include(price, true);
  const span = high - low || Math.abs(high) * 0.01 || 1;
  // Extra room below and above keeps the signal arrow and the highest/lowest labels off the plot edges.
  return { yMin: low - span * 0.1, yMax: high + span * 0.1 };
}
