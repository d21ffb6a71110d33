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

/**
 * The kind of account a market trades on. Spot can only buy what it pays for (long only); a USDT-margined perpetual
 * takes both sides with leverage within the governance cap.
 */
export type AccountType = 'spot' | 'perp';

/**
 * What a trade costs, per side, as fractions of notional: maker fee for resting limit orders, taker fee for market
 * and stop orders, and slippage applied adversely to market and stop fills.
 */
export interface CostModel {
  makerFee: number;
  takerFee: number;
  slippage: number;
}

/** A signal's costs at its account's CostModel (see signals/costs.ts for the exact definitions). */
export interface SignalCosts {
  model: CostModel;
  /** Fees + slippage of a trade stopped out at its stop, in units of the gross risk |entry − stop|. */
  stopCostR: number;
  /** Net reward-to-risk of the furthest target: (gross reward − costs at target) / (gross risk + costs at stop). */
  netRR: number;
  /** Net R of each target, same order as Signal.targets, in units of the net risk (gross risk + costs at stop). */
  netTargetR: number[];
}

export interface SignalTarget {
  price: number;
  /** Distance from entry in multiples of the initial risk (entry − stop). */
  r: number;
  /** Fraction of the position closed at this target (0–1]. */
  closeFraction: number;
}

/**
 * A setup's advice at one closed candle. Deterministic id: the same rule on the same data gives the same signal.
 * Every signal records its setup id AND version, so statistics stay per version when the trader edits a setup.
 */
export interface Signal {
  id: string;
  setupId: string;
  setupVersion: string;
  setupName: string;
  exchange: string;
  symbol: string;
  timeframe: Timeframe;
  side: Side;
  /** Open time of the candle the signal was detected on; it is known at `ts + timeframe`. */
  ts: number;
  entryType: 'market' | 'limit';
  entry: number;
  stop: number;
  targets: SignalTarget[];
  /** Reward-to-risk of the furthest target. */
  rr: number;
  /** 0–10; see signals/scoring. */
  score: number;
  /** Order among signals of the same candle close, 1 = best. */
  rank: number;
  reasons: { strengths: string[]; weaknesses: string[] };
  /** Values the decision was based on (indicator readings, zone, session), for the journal and for "Similar". */
  context: Record<string, number | string | boolean>;
  /** Epoch ms after which the signal must not be acted upon. */
  validUntil: number;
  /** Costs at the account's fees and slippage; set by the detector (signals/costs.ts). */
  costs?: SignalCosts;
}
