/** Typed Kysely view of the executor's tables (see ./migrations.ts). Epoch-ms integers, JSON text for lists. */
import type { Generated } from 'kysely';

export interface ExecPositionTable {
  account: string;
  id: string;
  symbol: string;
  side: string;
  status: string;
  requested: number;
  filled: number;
  remaining: number;
  entry_price: number;
  stop: number;
  take_profits: string;
  realized_pnl: number;
  fees: number;
  /** Counter for deterministic clientOrderIds of replacement legs (stop #1, #2, ...). */
  leg_seq: number;
  opened_at: number;
  closed_at: number | null;
  close_reason: string | null;
}

export interface ExecOrderTable {
  account: string;
  id: string;
  venue_id: string | null;
  position_id: string;
  symbol: string;
  side: string;
  role: string;
  type: string;
  amount: number;
  price: number | null;
  stop_price: number | null;
  filled: number;
  cost: number;
  fee_base: number;
  fee_quote: number;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface ExecFillTable {
  seq: Generated<number>;
  account: string;
  order_id: string;
  position_id: string;
  symbol: string;
  side: string;
  role: string;
  price: number;
  amount: number;
  fee: number;
  ts: number;
}

export interface PaperOrderTable {
  account: string;
  client_order_id: string;
  venue_id: string;
  symbol: string;
  side: string;
  type: string;
  amount: number;
  price: number | null;
  stop_price: number | null;
  filled: number;
  cost: number;
  fee: number;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface PaperBalanceTable {
  account: string;
  asset: string;
  free: number;
  used: number;
}

export interface PaperPriceTable {
  account: string;
  symbol: string;
  price: number;
  ts: number;
}

/** The perpetual paper venue's orders (its own table: reduce-only flag and the margin a resting order locks). */
export interface PaperPerpOrderTable extends PaperOrderTable {
  reduce_only: number;
  /** Margin (quote) still locked for the unfilled part; reduce-only orders lock none. */
  locked: number;
}

/** One net position per symbol (one-way mode); `leverage` stays when the position is flat. */
export interface PaperPerpPositionTable {
  account: string;
  symbol: string;
  /** Base amount, signed: > 0 long, < 0 short, 0 flat. */
  amount: number;
  entry_price: number;
  /** Initial margin held for the position (quote). */
  margin: number;
  leverage: number;
}

export interface ExecDatabase {
  exec_positions: ExecPositionTable;
  exec_orders: ExecOrderTable;
  exec_fills: ExecFillTable;
  paper_orders: PaperOrderTable;
  paper_balances: PaperBalanceTable;
  paper_prices: PaperPriceTable;
  paper_perp_orders: PaperPerpOrderTable;
  paper_perp_positions: PaperPerpPositionTable;
}
