/**
 * The candles of a backtest market as columns: the market's own `columns` when the caller loaded them that way
 * (`ita backtest` on a large file), otherwise built once from its Candle array and cached for the run.
 */
import { columnsOf, type CandleColumns } from '../market/columns.ts';
import type { MarketInput } from './types.ts';

const cache = new WeakMap<object, CandleColumns>();

export function marketColumns(market: MarketInput): CandleColumns {
  if (market.columns) return market.columns;
  let columns = cache.get(market.candles);
  if (!columns) cache.set(market.candles, (columns = columnsOf(market.candles)));
  return columns;
}

export function marketLength(market: MarketInput): number {
  return market.columns ? market.columns.length : market.candles.length;
}
