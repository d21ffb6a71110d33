/** Number and time formatting plus label placement for charts. Pure functions, no canvas. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Decimals to show for a price when the market's precision is unknown: about six significant digits,
 * which matches how exchanges quote (BTC 57486.4, ETH 3412.55, EURUSD 1.08512, a 0.0234 altcoin 0.0234000).
 */
export function priceDecimals(price: number): number {
  const magnitude = Math.abs(price);
  if (!Number.isFinite(magnitude) || magnitude === 0) return 2;
  const exponent = Math.floor(Math.log10(magnitude));
  return Math.min(8, Math.max(0, 5 - exponent));
}

const formatters = new Map<number, Intl.NumberFormat>();

/** en-US grouping on purpose: the output must not depend on the host's locale (same input, same PNG). */
export function formatPrice(value: number, decimals: number): string {
  let formatter = formatters.get(decimals);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(decimals, formatter);
  }
  return formatter.format(value).replace('-', '−');
}

export function formatPercent(value: number, decimals = 1): string {
  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  return `${sign}${Math.abs(value).toFixed(decimals)}%`;
}

/** Tick spacing candidates: round clock times a trader recognises. */
const TICK_STEPS_MS = [
  60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY,
];

export interface TimeTicks {
  /** Tick times (epoch ms UTC). */
  values: number[];
  /** Spacing in ms, or 'month' for calendar months. */
  step: number | 'month';
}

/** Round-time ticks between `from` and `to` (inclusive), at most `maxTicks` of them. */
export function timeTicks(from: number, to: number, maxTicks = 7): TimeTicks {
  const span = Math.max(1, to - from);
  const step = TICK_STEPS_MS.find((candidate) => span / candidate <= maxTicks);
  if (step === undefined) return { values: monthTicks(from, to, maxTicks), step: 'month' };
  // Weeks start on Monday; epoch day 0 (1970-01-01) was a Thursday, hence the 4-day shift.
  const shift = step >= 7 * DAY ? 4 * DAY : 0;
  const values: number[] = [];
  for (let t = Math.ceil((from - shift) / step) * step + shift; t <= to; t += step) values.push(t);
  return { values, step };
}

function monthTicks(from: number, to: number, maxTicks: number): number[] {
  const start = new Date(from);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  if (Date.UTC(year, month, 1) < from) month += 1;
  const months: number[] = [];
  for (let t = Date.UTC(year, month, 1); t <= to; t = Date.UTC(year, ++month, 1)) months.push(t);
  const every = Math.max(1, Math.ceil(months.length / maxTicks));
  return months.filter((_, i) => i % every === 0);
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** "14:00" inside a day, "12 Jul" at midnight or for day steps, "Jul 2024" for month steps. Always UTC. */
export function formatTickTime(ts: number, step: number | 'month'): string {
  const date = new Date(ts);
  if (step === 'month') return `${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  const midnight = ts % DAY === 0;
  if (step >= DAY || midnight) return `${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]}`;
  return `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}`;
}

/** "12 Jul 2024 14:00 UTC": the signal candle's open time in the subtitle. */
export function formatTimestamp(ts: number): string {
  const date = new Date(ts);
  return `${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())} UTC`;
}

/**
 * Moves label centres apart so boxes of `height` never overlap, keeping each as close to its wanted position as
 * possible and inside [min, max]. Returns new centres in the input order.
 */
export function spreadLabels(wanted: number[], height: number, min: number, max: number): number[] {
  const order = wanted.map((y, index) => ({ y, index })).sort((a, b) => a.y - b.y || a.index - b.index);
  const placed = order.map((item) => Math.min(max - height / 2, Math.max(min + height / 2, item.y)));
  for (let i = 1; i < placed.length; i++) placed[i] = Math.max(placed[i], placed[i - 1] + height);
  const overflow = placed.length ? placed[placed.length - 1] - (max - height / 2) : 0;
  if (overflow > 0) {
    placed[placed.length - 1] -= overflow;
    for (let i = placed.length - 2; i >= 0; i--) placed[i] = Math.min(placed[i], placed[i + 1] - height);
  }
  const result = new Array<number>(wanted.length);
  order.forEach((item, i) => { result[item.index] = placed[i]; });
  return result;
}

export interface Box { left: number; width: number; y: number; height: number }

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && Math.abs(a.y - b.y) < (a.height + b.height) / 2;
}

/**
 * Places label boxes (y = centre) in input order, earlier ones winning: each moves the smallest distance up or
 * down that clears the boxes already placed, staying within [min, max]. Returns the new centres in input order.
 */
export function placeBoxes(boxes: Box[], min: number, max: number): number[] {
  const placed: Box[] = [];
  return boxes.map((box) => {
    const clamp = (y: number) => Math.min(max - box.height / 2, Math.max(min + box.height / 2, y));
    const candidates = [clamp(box.y)];
    for (const other of placed) {
      const gap = (box.height + other.height) / 2 + 1;
      candidates.push(clamp(other.y - gap), clamp(other.y + gap));
    }
    candidates.sort((a, b) => Math.abs(a - box.y) - Math.abs(b - box.y) || a - b);
    const y = candidates.find((candidate) => !placed.some((other) => overlaps({ ...box, y: candidate }, other))) ?? candidates[0];
    placed.push({ ...box, y });
    return y;
  });
}

export interface XY { x: number; y: number }

/**
 * Keeps the lowest and highest point of each of `buckets` equal x-spans (in x order), plus the first and last
 * points. A line through them has the same envelope as the full series at that width, so peaks and the worst
 * drawdown survive while a year of 1m equity draws as fast as a week.
 */
export function downsampleMinMax(points: XY[], buckets: number): XY[] {
  if (points.length <= buckets * 2 + 2) return points;
  const first = points[0].x;
  const span = points[points.length - 1].x - first || 1;
  const kept: XY[] = [points[0]];
  let bucket = -1;
  let low: XY | undefined;
  let high: XY | undefined;
  const flush = () => {
    if (!low || !high) return;
    if (low === high) kept.push(low);
    else kept.push(...(low.x < high.x ? [low, high] : [high, low]));
  };
  for (let i = 1; i < points.length - 1; i++) {
    const point = points[i];
    const index = Math.min(buckets - 1, Math.floor(((point.x - first) / span) * buckets));
    if (index !== bucket) {
      flush();
      bucket = index;
      low = high = point;
    } else {
      if (point.y < low!.y) low = point;
      if (point.y > high!.y) high = point;
    }
  }
  flush();
  kept.push(points[points.length - 1]);
  return kept;
}

/** Min and max without spreading into Math.min (which overflows the call stack on year-long 1m backtests). */
export function extent(values: Iterable<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}
