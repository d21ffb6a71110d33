/**
 * Pure candle handling for the gateway: validate what the exchange sent, sort, de-duplicate, drop the still-forming
 * candle. A candle is closed when its open + timeframe is at or before `now`; anything later is still moving and
 * must never reach a detector (no decisions on a candle that can still change).
 */
import type { Candle, Timeframe } from '../../types.ts';
import { timeframeMs } from '../timeframes.ts';
import { BadExchangeDataError } from './bad-data.ts';

/** Turns ccxt OHLCV rows into Candles, rejecting anything that is not six finite numbers. */
export function toCandles(rows: unknown): Candle[] {
  if (!Array.isArray(rows)) throw new BadExchangeDataError(`expected a list of candles, got ${typeof rows}`);
  return rows.map((row, index) => {
    if (!Array.isArray(row) || row.length < 6) {
      throw new BadExchangeDataError(`candle #${index} is not [ts, open, high, low, close, volume]: ${JSON.stringify(row)}`);
    }
    const [ts, open, high, low, close, volume] = row.slice(0, 6) as unknown[];
    const values = [ts, open, high, low, close, volume];
    if (!values.every((v) => typeof v === 'number' && Number.isFinite(v)) || !Number.isInteger(ts)) {
      throw new BadExchangeDataError(`candle #${index} has a missing or non-numeric value: ${JSON.stringify(row)}`);
    }
    return { ts, open, high, low, close, volume } as Candle;
  });
}

/** Ascending by open time; of two candles with the same open time the later-fetched one wins (fresher data). */
export function sortUnique(candles: Candle[]): Candle[] {
  const byTs = new Map<number, Candle>();
  for (const candle of candles) byTs.set(candle.ts, candle);
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}

export function isClosed(candle: Candle, tf: Timeframe, now: number): boolean {
  return candle.ts + timeframeMs(tf) <= now;
}

export function closedOnly(candles: Candle[], tf: Timeframe, now: number): Candle[] {
  return candles.filter((c) => isClosed(c, tf, now));
}
