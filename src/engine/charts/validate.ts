/** Input checks for chart specs: a bad spec fails loudly with the field and value, never as a blank PNG. */
import { InputError } from '../errors.ts';
import type { EquityChartSpec, EquityPoint, SignalChartSpec } from './spec.ts';

const MIN_SIZE = 320;
const MAX_SIZE = 4096;

function fail(chart: string, field: string, value: unknown, why: string): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new InputError(`${chart} chart: ${field} ${why} (got ${shown})`, { field, value });
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function requireNumber(chart: string, field: string, value: unknown): void {
  if (!isFiniteNumber(value)) fail(chart, field, value, 'must be a finite number');
}

function requireText(chart: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') fail(chart, field, value, 'must be a non-empty string');
}

function checkSize(chart: string, width: unknown, height: unknown): void {
  for (const [field, value] of [['width', width], ['height', height]] as const) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || (value as number) < MIN_SIZE || (value as number) > MAX_SIZE) {
      fail(chart, field, value, `must be an integer between ${MIN_SIZE} and ${MAX_SIZE} pixels`);
    }
  }
}

export function validateSignalChartSpec(spec: SignalChartSpec): void {
  const chart = 'signal';
  if (!spec || typeof spec !== 'object') fail(chart, 'spec', spec, 'must be an object');
  if (!spec.title || typeof spec.title !== 'object') fail(chart, 'title', spec.title, 'must be an object');
  requireText(chart, 'title.symbol', spec.title.symbol);
  requireText(chart, 'title.timeframe', spec.title.timeframe);
  requireText(chart, 'title.setup', spec.title.setup);
  if (spec.title.score !== undefined) requireNumber(chart, 'title.score', spec.title.score);
  checkSize(chart, spec.width, spec.height);
  if (!Array.isArray(spec.candles) || spec.candles.length === 0) {
    fail(chart, 'candles', Array.isArray(spec.candles) ? '[]' : spec.candles, 'must be a non-empty array');
  }
  spec.candles.forEach((candle, i) => {
    for (const key of ['ts', 'open', 'high', 'low', 'close'] as const) requireNumber(chart, `candles[${i}].${key}`, candle?.[key]);
    if (candle.high < Math.max(candle.open, candle.close) || candle.low > Math.min(candle.open, candle.close)) {
      fail(chart, `candles[${i}]`, `o=${candle.open} h=${candle.high} l=${candle.low} c=${candle.close}`, 'has high/low outside open/close');
    }
    if (i > 0 && candle.ts <= spec.candles[i - 1].ts) fail(chart, `candles[${i}].ts`, candle.ts, 'must be after the previous candle');
  });
  if (spec.lastCandles !== undefined && (!Number.isInteger(spec.lastCandles) || spec.lastCandles < 2)) {
    fail(chart, 'lastCandles', spec.lastCandles, 'must be an integer of at least 2');
  }
  if (spec.pricePrecision !== undefined && (!Number.isInteger(spec.pricePrecision) || spec.pricePrecision < 0 || spec.pricePrecision > 12)) {
    fail(chart, 'pricePrecision', spec.pricePrecision, 'must be an integer between 0 and 12');
  }
  (spec.lines ?? []).forEach((line, i) => {
    requireText(chart, `lines[${i}].name`, line?.name);
    if (!Array.isArray(line.values) || line.values.length !== spec.candles.length) {
      fail(chart, `lines[${i}].values`, Array.isArray(line.values) ? `${line.values.length} values` : line.values,
        `must have one value per candle (${spec.candles.length})`);
    }
    line.values.forEach((value, j) => {
      if (value !== null) requireNumber(chart, `lines[${i}].values[${j}]`, value);
    });
  });
  (spec.zones ?? []).forEach((zone, i) => {
    requireNumber(chart, `zones[${i}].from`, zone?.from);
    if (zone.to !== undefined) requireNumber(chart, `zones[${i}].to`, zone.to);
    requireNumber(chart, `zones[${i}].top`, zone.top);
    requireNumber(chart, `zones[${i}].bottom`, zone.bottom);
    if (zone.top < zone.bottom) fail(chart, `zones[${i}].top`, zone.top, `must not be below bottom ${zone.bottom}`);
    if (zone.direction !== 'bullish' && zone.direction !== 'bearish') fail(chart, `zones[${i}].direction`, zone.direction, "must be 'bullish' or 'bearish'");
  });
  (spec.levels ?? []).forEach((level, i) => {
    requireNumber(chart, `levels[${i}].price`, level?.price);
    requireNumber(chart, `levels[${i}].from`, level.from);
    if (level.to !== undefined) requireNumber(chart, `levels[${i}].to`, level.to);
    requireText(chart, `levels[${i}].label`, level.label);
  });
  (spec.sessions ?? []).forEach((session, i) => {
    requireText(chart, `sessions[${i}].name`, session?.name);
    requireNumber(chart, `sessions[${i}].from`, session.from);
    requireNumber(chart, `sessions[${i}].to`, session.to);
    if (session.to <= session.from) fail(chart, `sessions[${i}].to`, session.to, `must be after from ${session.from}`);
  });
  if (spec.signal) validateSignal(spec);
}

function validateSignal(spec: SignalChartSpec): void {
  const chart = 'signal';
  const signal = spec.signal!;
  if (signal.side !== 'long' && signal.side !== 'short') fail(chart, 'signal.side', signal.side, "must be 'long' or 'short'");
  requireNumber(chart, 'signal.ts', signal.ts);
  requireNumber(chart, 'signal.entry', signal.entry);
  requireNumber(chart, 'signal.stop', signal.stop);
  if (!Array.isArray(signal.targets)) fail(chart, 'signal.targets', signal.targets, 'must be an array of prices');
  signal.targets.forEach((target, i) => requireNumber(chart, `signal.targets[${i}]`, target));
  if (!spec.candles.some((candle) => candle.ts === signal.ts)) {
    fail(chart, 'signal.ts', signal.ts, 'must be the open time of one of the candles');
  }
  // A long with its stop above entry is a detector bug; drawing it would mislead the trader.
  const long = signal.side === 'long';
  if (long ? signal.stop >= signal.entry : signal.stop <= signal.entry) {
    fail(chart, 'signal.stop', signal.stop, `must be ${long ? 'below' : 'above'} entry ${signal.entry} for a ${signal.side}`);
  }
  signal.targets.forEach((target, i) => {
    if (long ? target <= signal.entry : target >= signal.entry) {
      fail(chart, `signal.targets[${i}]`, target, `must be ${long ? 'above' : 'below'} entry ${signal.entry} for a ${signal.side}`);
    }
  });
}

export function validateEquityChartSpec(spec: EquityChartSpec): void {
  const chart = 'equity';
  if (!spec || typeof spec !== 'object') fail(chart, 'spec', spec, 'must be an object');
  requireText(chart, 'title', spec.title);
  checkSize(chart, spec.width, spec.height);
  checkCurve(chart, 'points', spec.points);
  if (spec.benchmark !== undefined) checkCurve(chart, 'benchmark', spec.benchmark);
}

function checkCurve(chart: string, field: string, points: EquityPoint[]): void {
  if (!Array.isArray(points) || points.length < 2) {
    fail(chart, field, Array.isArray(points) ? `${points.length} points` : points, 'must have at least 2 points');
  }
  points.forEach((point, i) => {
    requireNumber(chart, `${field}[${i}].ts`, point?.ts);
    requireNumber(chart, `${field}[${i}].equity`, point.equity);
    if (point.equity < 0) fail(chart, `${field}[${i}].equity`, point.equity, 'must not be negative');
    if (i > 0 && point.ts <= points[i - 1].ts) fail(chart, `${field}[${i}].ts`, point.ts, 'must be after the previous point');
  });
}
