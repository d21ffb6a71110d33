/**
 * Core types shared by every part of the engine. Keep them few.
 * Times are epoch milliseconds UTC; a candle's ts is the time its period OPENS; only closed candles exist here.
 */

export interface Candle {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Timeframes ITA understands, in the spelling ccxt and Binance use. */
export const TIMEFRAMES = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '1w'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/** One market feed: a symbol on an exchange at a timeframe. */
export interface MarketKey {
  exchange: string;
  symbol: string;
  timeframe: Timeframe;
}

export type Side = 'long' | 'short';
