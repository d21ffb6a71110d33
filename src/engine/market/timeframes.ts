import { TIMEFRAMES, type Timeframe } from '../types.ts';
import { InputError } from '../errors.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export function isTimeframe(value: string): value is Timeframe {
  return (TIMEFRAMES as readonly string[]).includes(value);
}

export function parseTimeframe(value: string): Timeframe {
  if (!isTimeframe(value)) {
    throw new InputError(`unknown timeframe "${value}"; allowed: ${TIMEFRAMES.join(', ')}`, { field: 'timeframe', value });
  }
  return value;
}

export function timeframeMs(tf: Timeframe): number {
  const unit = tf.slice(-1) as keyof typeof UNIT_MS;
  return Number(tf.slice(0, -1)) * UNIT_MS[unit];
}

/**
 * Start of the period containing `ts`. Weekly candles open on Monday 00:00 UTC (Binance's convention),
 * and epoch 0 was a Thursday, hence the 4-day shift.
 */
export function periodStart(ts: number, tf: Timeframe): number {
  const ms = timeframeMs(tf);
  if (tf === '1w') {
    const shift = 4 * UNIT_MS.d;
    return Math.floor((ts - shift) / ms) * ms + shift;
  }
  return Math.floor(ts / ms) * ms;
}

export function isAligned(ts: number, tf: Timeframe): boolean {
  return periodStart(ts, tf) === ts;
}

/** The timeframe whose length is the most common step between consecutive candles (gaps do not fool it). */
export function inferTimeframe(candles: readonly { ts: number }[]): Timeframe | undefined {
  const counts = new Map<number, number>();
  for (let i = 1; i < Math.min(candles.length, 2000); i++) {
    const step = candles[i].ts - candles[i - 1].ts;
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [step, count] of counts) if (count > bestCount) [best, bestCount] = [step, count];
  return TIMEFRAMES.find((tf) => timeframeMs(tf) === best);
}
