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

// Shared, frozen matches: most candles match nothing and the rest share these, so detection allocates little.
const DOJI: CandlePatternMatch = Object.freeze({ name: 'doji' });
const HAMMER: CandlePatternMatch = Object.freeze({ name: 'hammer', direction: 'bullish' });
const SHOOTING_STAR: CandlePatternMatch = Object.freeze({ name: 'shooting-star', direction: 'bearish' });
const BULLISH_PIN_BAR: CandlePatternMatch = Object.freeze({ name: 'pin-bar', direction: 'bullish' });
const BEARISH_PIN_BAR: CandlePatternMatch = Object.freeze({ name: 'pin-bar', direction: 'bearish' });
const BULLISH_ENGULFING: CandlePatternMatch = Object.freeze({ name: 'engulfing', direction: 'bullish' });
const BEARISH_ENGULFING: CandlePatternMatch = Object.freeze({ name: 'engulfing', direction: 'bearish' });
const INSIDE_BAR: CandlePatternMatch = Object.freeze({ name: 'inside-bar' });
const NONE: readonly CandlePatternMatch[] = Object.freeze([]);

export function detectCandlePatterns(current: Candle, previous: Candle | undefined): readonly CandlePatternMatch[] {
  let found: CandlePatternMatch[] | undefined;
  const range = current.high - current.low;
  if (range > 0) {
    const body = Math.abs(current.close - current.open);
    const upperWick = current.high - Math.max(current.open, current.close);
    const lowerWick = Math.min(current.open, current.close) - current.low;
    if (body <= 0.1 * range) (found ??= []).push(DOJI);
    if (body <= 0.35 * range && lowerWick >= 2 * body && upperWick <= 0.15 * range) (found ??= []).push(HAMMER);
    if (body <= 0.35 * range && upperWick >= 2 * body && lowerWick <= 0.15 * range) (found ??= []).push(SHOOTING_STAR);
    if (body <= range / 3) {
      if (lowerWick >= (2 / 3) * range) (found ??= []).push(BULLISH_PIN_BAR);
      else if (upperWick >= (2 / 3) * range) (found ??= []).push(BEARISH_PIN_BAR);
    }
  }
  if (previous) {
    const previousBody = Math.abs(previous.close - previous.open);
    const body = Math.abs(current.close - current.open);
    const bullish = previous.close < previous.open && current.close > current.open;
    const bearish = previous.close > previous.open && current.close < current.open;
    if (bullish && current.open <= previous.close && current.close >= previous.open && body > previousBody) (found ??= []).push(BULLISH_ENGULFING);
    if (bearish && current.open >= previous.close && current.close <= previous.open && body > previousBody) (found ??= []).push(BEARISH_ENGULFING);
    if (current.high <= previous.high && current.low >= previous.low && range < previous.high - previous.low) (found ??= []).push(INSIDE_BAR);
  }
  return found ?? NONE;
}
