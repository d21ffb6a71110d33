/**
 * Single- and two-candle patterns on the candle that just closed. Shape rules (fractions of the candle's range):
 *  - doji: body <= 10% of range;
 *  - hammer: body <= 35%, lower wick >= 2x body, upper wick <= 15% (bullish); shooting star mirrors it (bearish);
 *  - pin bar: one wick >= 2/3 of range and body <= 1/3 (direction of the rejection);
 *  - engulfing: body opposite to the previous candle's and covering it, and larger (direction of the new body);
 *  - inside bar: high <= previous high and low >= previous low, with a smaller range.
 * Trend context (a hammer "after a decline") is left to the setup, which can combine it with structure.
 */
import type { Candle } from '../../types.ts';
import type { Direction } from './events.ts';

export type CandlePatternName = 'doji' | 'hammer' | 'shooting-star' | 'pin-bar' | 'engulfing' | 'inside-bar';

export interface CandlePatternMatch {
  name: CandlePatternName;
  direction?: Direction;
}

export function detectCandlePatterns(current: Candle, previous: Candle | undefined): CandlePatternMatch[] {
  const found: CandlePatternMatch[] = [];
  const range = current.high - current.low;
  if (range > 0) {
    const body = Math.abs(current.close - current.open);
    const upperWick = current.high - Math.max(current.open, current.close);
    const lowerWick = Math.min(current.open, current.close) - current.low;
    if (body <= 0.1 * range) found.push({ name: 'doji' });
    if (body <= 0.35 * range && lowerWick >= 2 * body && upperWick <= 0.15 * range) {
      found.push({ name: 'hammer', direction: 'bullish' });
    }
    if (body <= 0.35 * range && upperWick >= 2 * body && lowerWick <= 0.15 * range) {
      found.push({ name: 'shooting-star', direction: 'bearish' });
    }
    if (body <= range / 3) {
      if (lowerWick >= (2 / 3) * range) found.push({ name: 'pin-bar', direction: 'bullish' });
      else if (upperWick >= (2 / 3) * range) found.push({ name: 'pin-bar', direction: 'bearish' });
    }
  }
  if (previous) {
    const previousBody = Math.abs(previous.close - previous.open);
    const body = Math.abs(current.close - current.open);
    const bullish = previous.close < previous.open && current.close > current.open;
    const bearish = previous.close > previous.open && current.close < current.open;
    if (bullish && current.open <= previous.close && current.close >= previous.open && body > previousBody) {
      found.push({ name: 'engulfing', direction: 'bullish' });
    }
    if (bearish && current.open >= previous.close && current.close <= previous.open && body > previousBody) {
      found.push({ name: 'engulfing', direction: 'bearish' });
    }
    if (current.high <= previous.high && current.low >= previous.low && range < previous.high - previous.low) {
      found.push({ name: 'inside-bar' });
    }
  }
  return found;
}
