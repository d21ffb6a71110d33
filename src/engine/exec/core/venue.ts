/**
 * A Venue is where orders go: the exchange through the gateway (live) or the SQLite simulator (paper). The broker
 * logic (positions, protective stops, take-profits, idempotency, reconciliation) is written once over it, in
 * ./venue-broker.ts, so paper and live can only differ in how an order fills.
 */
import { createHash } from 'node:crypto';
import type { AccountType, Candle, Side } from '../../types.ts';
import type { Balances, OrderSide, OrderType } from '../broker.ts';

export interface VenueOrderRequest {
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  amount: number;
  price?: number;
  stopPrice?: number;
  /** Perp only: the order may only shrink the position on its symbol (Binance reduceOnly). */
  reduceOnly?: boolean;
}

/** A perp venue's net position on one symbol (one-way mode). */
export interface VenuePosition {
  symbol: string;
  side: Side;
  /** Base amount, positive. */
  amount: number;
  entryPrice: number;
  leverage?: number;
}

export interface VenueOrder {
  venueId: string;
  clientOrderId: string;
  symbol: string;
  filled: number;
  /** Quote amount of the filled part. */
  cost: number;
  /** Cumulative fees of the filled part, by the asset they were taken in. */
  fees: { base: number; quote: number };
  amount: number;
  status: 'open' | 'filled' | 'canceled' | 'rejected';
}

/** Trading rules of one market (from the exchange's loadMarkets for live). */
export interface MarketRules {
  base: string;
  quote: string;
  /** Lot step: amounts are multiples of it. */
  amountStep?: number;
  /** Tick: prices are multiples of it. */
  priceTick?: number;
  minAmount?: number;
  /** Minimum amount x price. */
  minNotional?: number;
}

export interface Venue {
  readonly mode: 'paper' | 'live';
  /** spot (default when absent): long only; perp: USDT-M perpetual, both sides, reduce-only protection. */
  readonly account?: AccountType;
  rules(symbol: string): Promise<MarketRules>;
  /** A current price for checks (minimum notional of a market order); undefined if none is known. */
  referencePrice(symbol: string): Promise<number | undefined>;
  /** Idempotent by clientOrderId. Throws ExchangeRejectedError when the venue refuses the order. */
  submit(request: VenueOrderRequest): Promise<VenueOrder>;
  /**
   * The order with this clientOrderId, or undefined if the venue never received it. `type` is the order's own type
   * (a futures exchange keeps conditional orders such as STOP_MARKET in a separate book).
   */
  fetch(symbol: string, clientOrderId: string, type?: OrderType): Promise<VenueOrder | undefined>;
  /** Cancels what is left of an order; an order that already finished comes back as it is. */
  cancel(symbol: string, clientOrderId: string, type?: OrderType): Promise<VenueOrder>;
  openOrders(): Promise<VenueOrder[]>;
  balances(): Promise<Balances>;
  /** Perp only: sets the symbol's leverage (before its first entry); answers the leverage now in force. */
  setLeverage?(symbol: string, leverage: number): Promise<number>;
  /** Perp only: the venue's open positions, for reconciliation. */
  positions?(): Promise<VenuePosition[]>;
  /** Paper only: a closed candle or a price that may fill resting orders. */
  observe?(symbol: string, candle: Candle): Promise<void>;
}

/**
 * Deterministic clientOrderId for a leg of an intent: the same intent and leg always give the same id, so a
 * retried or restarted placement finds the first one instead of sending a second. Fits Binance's 36-char limit.
 */
export function clientOrderId(intentId: string, leg: string): string {
  const digest = createHash('sha256').update(intentId).digest('base64url').slice(0, 22);
  return `ita${digest}-${leg}`;
}

/** Leverage as the exchange takes it: a whole number from 1 up to the governance cap. */
export function clampLeverage(leverage: number | undefined, cap: number | undefined): number {
  const wanted = Math.min(leverage ?? 1, cap ?? Infinity);
  return Math.max(1, Math.floor(Number.isFinite(wanted) ? wanted : 1));
}

/** Rounds DOWN to the lot step: never trade more than the risk governor sized. */
export function floorToStep(value: number, step: number | undefined): number {
  if (!step || step <= 0) return value;
  return roundClean(Math.floor(value / step + 1e-9) * step, step);
}

export function roundToTick(value: number, tick: number | undefined, mode: 'down' | 'nearest' = 'nearest'): number {
  if (!tick || tick <= 0) return value;
  const units = mode === 'down' ? Math.floor(value / tick + 1e-9) : Math.round(value / tick);
  return roundClean(units * tick, tick);
}

/** Removes binary noise (0.1 + 0.2) so amounts print and compare as the exchange writes them. */
function roundClean(value: number, step: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)) + 2);
  return Number(value.toFixed(Math.min(decimals, 12)));
}
