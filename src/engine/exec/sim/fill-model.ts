/**
 * The simulated broker's fill rules, as pure functions. Every rule errs against the trader: market orders pay
 * slippage and spread, stops that are gapped through fill at the (worse) open, resting limits fill at their own price
 * or at a better gap open, never better than the candle allows.
 */
import type { Candle, Side } from '../../types.ts';

export interface CostModel {
  /** Adverse slippage on market / stop fills as a fraction of price. */
  slippageFraction: number;
  /** Adverse slippage in absolute price units (e.g. a fraction of ATR). */
  slippageAbsolute: number;
  spreadFraction: number;
  spreadModel: 'cross-both' | 'entry-only';
  makerFee: number;
  takerFee: number;
}

export const NO_COSTS: CostModel = {
  slippageFraction: 0,
  slippageAbsolute: 0,
  spreadFraction: 0,
  spreadModel: 'cross-both',
  makerFee: 0,
  takerFee: 0,
};

/** +1 for a buy, −1 for a sell. */
export function direction(side: Side): 1 | -1 {
  return side === 'long' ? 1 : -1;
}

/**
 * Price actually paid by a market-type order (market entry, triggered stop, time / signal exit).
 * `buy` is +1 when the order buys (long entry or short exit).
 */
export function marketFillPrice(reference: number, buy: 1 | -1, isEntry: boolean, costs: CostModel): number {
  let spread = 0;
  if (costs.spreadModel === 'cross-both') spread = costs.spreadFraction / 2;
  else if (isEntry) spread = costs.spreadFraction;
  const adverse = reference * (costs.slippageFraction + spread) + costs.slippageAbsolute;
  return reference + buy * adverse;
}

/** A resting limit order: price at which it fills inside `candle`, or NaN if the candle never trades through it. */
export function limitFillPrice(limit: number, buy: 1 | -1, candle: Candle): number {
  if (buy === 1) {
    if (candle.open <= limit) return candle.open; // gapped below a buy limit: the open is better
    return candle.low <= limit ? limit : NaN;
  }
  if (candle.open >= limit) return candle.open;
  return candle.high >= limit ? limit : NaN;
}

/** Price reference for a protective stop on a position of `side`, or NaN if not touched. Gap-through fills at the open. */
export function stopTriggerPrice(stop: number, side: Side, candle: Candle): number {
  if (!Number.isFinite(stop)) return NaN;
  if (side === 'long') {
    if (candle.open <= stop) return candle.open;
    return candle.low <= stop ? stop : NaN;
  }
  if (candle.open >= stop) return candle.open;
  return candle.high >= stop ? stop : NaN;
}

/** Price at which a take-profit limit on a position of `side` fills, or NaN. A gap beyond it fills at the open. */
export function targetFillPrice(target: number, side: Side, candle: Candle): number {
  return limitFillPrice(target, side === 'long' ? -1 : 1, candle);
}

export function feeFor(notional: number, rate: number): number {
  return Math.abs(notional) * rate;
}
