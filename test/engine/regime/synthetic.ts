/** Seeded synthetic candles for the regime and learning tests: log-normal steps with a chosen drift and volatility. */
import type { Candle } from '../../../src/engine/types.ts';

import { seededRandom as mulberry32 } from '../../../src/engine/backtest/random.ts';

export { mulberry32 };

export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export interface Segment {
  bars: number;
  /** Mean log return per candle. */
  drift: number;
  /** Standard deviation of the log return per candle. */
  vol: number;
}

export function syntheticCandles(segments: Segment[], seed = 1, start = Date.UTC(2024, 0, 1), stepMs = 3_600_000): Candle[] {
  const rand = mulberry32(seed);
  const out: Candle[] = [];
  let price = 100;
  for (const seg of segments) {
    for (let i = 0; i < seg.bars; i++) {
      const open = price;
      const close = open * Math.exp(seg.drift + seg.vol * gaussian(rand));
      const wick = Math.abs(gaussian(rand)) * seg.vol * 0.5;
      const high = Math.max(open, close) * Math.exp(wick);
      const low = Math.min(open, close) * Math.exp(-Math.abs(gaussian(rand)) * seg.vol * 0.5);
      out.push({ ts: start + out.length * stepMs, open, high, low, close, volume: 1 + rand() });
      price = close;
    }
  }
  return out;
}
