/**
 * The typed Kysely view of the engine's tables. Epoch-ms integers for times, 0/1 for booleans.
 * Each migration that adds a table adds its interface here.
 */

export interface CandleTable {
  exchange: string;
  symbol: string;
  timeframe: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface Database {
  candles: CandleTable;
}
