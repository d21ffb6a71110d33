/** Inputs of the chart renderers. The signal detector and the backtester fill these; charts never fetch data. */
import type { Candle, Side } from '../types.ts';

export interface ChartTitle {
  symbol: string;
  timeframe: string;
  /** Setup name as the trader wrote it (any language; Cyrillic renders). */
  setup: string;
  score?: number;
}

/** An indicator series aligned index-for-index with `candles` (null where it is still warming up). */
export interface ChartLine {
  name: string;
  values: (number | null)[];
  color?: string;
}

export type ZoneKind = 'fvg' | 'ob' | 'breaker' | 'imbalance' | 'range';

/** A price band drawn from the candle that created it to its mitigation (`to`) or to the right edge. */
export interface ChartZone {
  kind: ZoneKind;
  from: number;
  to?: number;
  top: number;
  bottom: number;
  direction: 'bullish' | 'bearish';
  label?: string;
}

/** A short horizontal price line: swing high/low, liquidity pool, previous day high... */
export interface ChartLevel {
  price: number;
  from: number;
  /** Where the level ends (swept); when absent it runs to the last candle. */
  to?: number;
  label: string;
  kind: string;
}

/** A trading session span, e.g. London 07:00-16:00 UTC; `to` is exclusive. */
export interface ChartSession {
  name: string;
  from: number;
  to: number;
}

export interface ChartSignal {
  /** Open time of the candle the signal fired on. */
  ts: number;
  side: Side;
  entry: number;
  stop: number;
  targets: number[];
}

export interface SignalChartSpec {
  title: ChartTitle;
  candles: Candle[];
  lines?: ChartLine[];
  zones?: ChartZone[];
  levels?: ChartLevel[];
  sessions?: ChartSession[];
  signal?: ChartSignal;
  /** Decimals for prices; derived from the price magnitude when absent. */
  pricePrecision?: number;
  /** How many of the most recent candles to show (default 120). */
  lastCandles?: number;
  width?: number;
  height?: number;
}

export interface EquityPoint {
  ts: number;
  equity: number;
}

export interface EquityChartSpec {
  /** Run name, e.g. "London breakout · BTC/USDT 1h · 2024-07". */
  title: string;
  points: EquityPoint[];
  /** Buy-and-hold value of the same starting capital, for comparison. */
  benchmark?: EquityPoint[];
  /** Quote currency of the equity values, e.g. "USDT". */
  currency?: string;
  /** Extra key figures shown under the title, e.g. ["Trades 42", "Win rate 55%", "PF 1.6"]. */
  stats?: string[];
  width?: number;
  height?: number;
}

export const DEFAULT_WIDTH = 1280;
export const DEFAULT_HEIGHT = 720;
export const DEFAULT_LAST_CANDLES = 120;
/** The signal card: portrait (5:6) so it fills a phone's chat bubble; about 64 candles stay wide enough to read. */
export const SIGNAL_WIDTH = 800;
export const SIGNAL_HEIGHT = 960;
export const SIGNAL_LAST_CANDLES = 64;
