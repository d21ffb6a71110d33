/**
 * The Broker: the one thing that differs between paper and live execution (house style rule 4). The decision path
 * hands it an approved, risk-sized EntryIntent; the broker places the entry, puts an exchange-side stop behind every
 * filled unit, manages take-profits, trails the stop (never wider) and reports fills as events.
 *
 * Contract (run against every implementation by test/engine/exec/brokers/contract.ts):
 *  - `placeEntry` is idempotent by intent id: the same intent twice returns the first result, `duplicate: true`.
 *  - Every order carries a deterministic clientOrderId derived from the intent id and the leg, so a retry or a
 *    restart never doubles an order.
 *  - The protective stop always covers exactly the filled, not-yet-exited amount (rounded DOWN to the lot step).
 *  - `moveStop` only tightens; a wider stop is refused with an InputError naming the old and new prices.
 *  - State lives in SQLite: a new broker on the same database (and exchange) sees the same positions and orders.
 *  - `reconcile` compares local state with the venue and REPORTS differences; it never overwrites either side.
 *  - Spot venues take long positions only: a short intent is refused (spot cannot sell what it does not hold).
 *    Perpetual-futures venues (USDT-M, one-way mode) take both sides; there every protective order (stop,
 *    take-profit, exit) is reduce-only, so it can only shrink the position, never open the opposite one.
 * Errors follow src/engine/errors.ts: TemporaryError = try again later, InputError / ExchangeRejectedError = this
 * request will never succeed as is, AuthenticationError / ConfigError = stop and tell the human.
 */
import type { Candle, Side } from '../types.ts';

export type OrderSide = 'buy' | 'sell';
/** What an order is for inside a position. */
export type OrderRole = 'entry' | 'stop' | 'take-profit' | 'exit';
/** stop-limit: the spot stop (Binance STOP_LOSS_LIMIT); stop-market: the futures stop (STOP_MARKET, reduce-only). */
export type OrderType = 'market' | 'limit' | 'stop-limit' | 'stop-market';
/** `pending` = written locally, not yet acknowledged by the venue (a crash here is resolved by clientOrderId lookup). */
export type OrderStatus = 'pending' | 'open' | 'filled' | 'canceled' | 'rejected';
export type PositionStatus = 'pending' | 'open' | 'closed' | 'canceled';

export interface TakeProfitLeg {
  price: number;
  /** Base-currency amount closed at this price. */
  amount: number;
}

export interface EntryIntent {
  /** Caller's id for this decision (e.g. the approved signal's id); the position gets the same id. */
  id: string;
  symbol: string;
  side: Side;
  type: 'market' | 'limit';
  /** Base-currency amount, as sized by the risk governor; rounded DOWN to the market's lot step. */
  amount: number;
  /** Limit price; for market entries an optional reference used for the minimum-notional check. */
  price?: number;
  stop: number;
  takeProfits?: TakeProfitLeg[];
}

export interface BrokerOrder {
  /** The clientOrderId: deterministic, also the local primary key. */
  id: string;
  /** The venue's own order id, once known. */
  venueId?: string;
  positionId: string;
  symbol: string;
  side: OrderSide;
  role: OrderRole;
  type: OrderType;
  amount: number;
  price?: number;
  stopPrice?: number;
  filled: number;
  /** Quote currency spent or received for the filled part. */
  cost: number;
  /** Fees of the filled part so far, by the asset they were taken in. */
  fees: { base: number; quote: number };
  status: OrderStatus;
  createdAt: number;
  updatedAt: number;
}

export interface Fill {
  orderId: string;
  positionId: string;
  symbol: string;
  side: OrderSide;
  role: OrderRole;
  price: number;
  amount: number;
  /** Fee in quote currency (a fee the venue took in base is converted at the fill price). */
  fee: number;
  ts: number;
}

export interface BrokerPosition {
  id: string;
  symbol: string;
  side: Side;
  status: PositionStatus;
  /** Amount the intent asked for (after lot rounding). */
  requested: number;
  /** Base amount acquired by entry fills, net of fees taken in base. */
  filled: number;
  /** Base amount still held (filled minus exits). */
  remaining: number;
  /** Volume-weighted entry price. */
  entryPrice: number;
  stop: number;
  /** Take-profit legs not yet triggered, nearest first. */
  takeProfits: TakeProfitLeg[];
  realizedPnl: number;
  fees: number;
  openedAt: number;
  closedAt?: number;
  closeReason?: string;
}

export interface OrderResult {
  position: BrokerPosition;
  entry: BrokerOrder;
  /** True when this intent id had already been placed: nothing new was sent. */
  duplicate: boolean;
}

export interface AssetBalance {
  free: number;
  used: number;
  total: number;
}
export type Balances = Record<string, AssetBalance>;

export type DifferenceKind =
  | 'order-missing-on-venue'
  | 'order-unknown-locally'
  | 'order-state'
  | 'balance-short'
  /** An open position holds an amount the venue would accept a stop for, but no stop of ITA's is open there. */
  | 'position-unprotected'
  /** Perp only: the venue's position on a symbol differs from what ITA's open positions add up to. */
  | 'position-differs'
  /** Start-up only: applying the venue's state or re-placing a protective order failed (see message). */
  | 'sync-failed';

/** One mismatch between ITA's books and the venue, for a human to decide about. */
export interface Difference {
  kind: DifferenceKind;
  /** Order id, asset or position id the difference is about. */
  subject: string;
  message: string;
  local?: unknown;
  venue?: unknown;
}

export interface Broker {
  readonly mode: 'paper' | 'live';
  /** Perp brokers: the leverage set on a symbol before its first entry (margin = notional / leverage). */
  readonly leverage?: number;
  placeEntry(intent: EntryIntent): Promise<OrderResult>;
  /** Cancels an open order by its id (clientOrderId). Cancelling an entry cancels the unfilled rest only. */
  cancel(orderId: string): Promise<BrokerOrder>;
  /** Moves the protective stop; refuses (InputError) a stop that increases risk. */
  moveStop(positionId: string, newStop: number): Promise<BrokerPosition>;
  /** Cancels the position's open orders and sells what is held at market. */
  closePosition(positionId: string, reason: string): Promise<BrokerPosition>;
  /** A closed candle: paper fills resting orders on it; both check protective orders and take-profits. */
  onCandle(symbol: string, candle: Candle): Promise<Fill[]>;
  /** A last-trade price: same as a one-price candle. */
  onTicker(symbol: string, price: number, ts: number): Promise<Fill[]>;
  positions(filter?: { status?: PositionStatus[] }): Promise<BrokerPosition[]>;
  openOrders(): Promise<BrokerOrder[]>;
  balances(): Promise<Balances>;
  reconcile(): Promise<Difference[]>;
  /** Brings every open order up to date with the venue; after a failed venue call it compares first (reconcile). */
  sync?(): Promise<Fill[]>;
  /** Subscribes to fills; returns the unsubscribe function. */
  onFill(listener: (fill: Fill) => void): () => void;
}
