/**
 * How many base-timeframe candles a detector must see before its signals are the ones a detector that saw all of
 * history would give. Used alike by the live pipeline, the offline replay and backtests, so all three warm up the
 * same way. Warm-up candles must be candles CLOSED before the start they warm up for.
 *
 * STUB (interface fixed; the computation from each setup's indicators and context timeframes is being written).
 */
import type { Timeframe } from '../types.ts';
import type { Setup } from './loader.ts';

export function warmupCandles(setups: readonly Setup[], timeframe: Timeframe): number {
  void setups;
  void timeframe;
  return 1000;
}
