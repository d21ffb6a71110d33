/**
 * The broker's own books (positions, orders, fills) for one account, as repository functions over Kysely.
 * Rows are replaced whole on save: a broker holds the single writer for its account.
 */
import type { Kysely } from 'kysely';
import type { BrokerOrder, BrokerPosition, Fill, OrderRole, OrderSide, OrderStatus, OrderType, PositionStatus } from '../broker.ts';
import type { ExecDatabase, ExecOrderTable, ExecPositionTable } from './schema.ts';

export interface StoredPosition extends BrokerPosition {
  legSeq: number;
}

export interface Books {
  getPosition(id: string): Promise<StoredPosition | undefined>;
  listPositions(statuses?: string[]): Promise<StoredPosition[]>;
  savePosition(position: StoredPosition): Promise<void>;
  getOrder(id: string): Promise<BrokerOrder | undefined>;
  listOrders(filter: { positionId?: string; statuses?: OrderStatus[] }): Promise<BrokerOrder[]>;
  saveOrder(order: BrokerOrder): Promise<void>;
  addFill(fill: Fill): Promise<void>;
  listFills(positionId?: string): Promise<Fill[]>;
}

export function openBooks(anyDb: Kysely<any>, account: string): Books {
  const db = anyDb as Kysely<ExecDatabase>;
  return {
    async getPosition(id) {
      const row = await db.selectFrom('exec_positions').selectAll().where('account', '=', account).where('id', '=', id).executeTakeFirst();
      return row ? toPosition(row) : undefined;
    },
    async listPositions(statuses) {
      let query = db.selectFrom('exec_positions').selectAll().where('account', '=', account);
      if (statuses && statuses.length) query = query.where('status', 'in', statuses);
      return (await query.orderBy('opened_at').orderBy('id').execute()).map(toPosition);
    },
    async savePosition(p) {
      const row: ExecPositionTable = {
        account, id: p.id, symbol: p.symbol, side: p.side, status: p.status, requested: p.requested, filled: p.filled,
        remaining: p.remaining, entry_price: p.entryPrice, stop: p.stop, take_profits: JSON.stringify(p.takeProfits),
        realized_pnl: p.realizedPnl, fees: p.fees, leg_seq: p.legSeq, opened_at: p.openedAt,
        closed_at: p.closedAt ?? null, close_reason: p.closeReason ?? null,
      };
      await db.insertInto('exec_positions').values(row)
        .onConflict((oc) => oc.columns(['account', 'id']).doUpdateSet({ ...row })).execute();
    },
    async getOrder(id) {
      const row = await db.selectFrom('exec_orders').selectAll().where('account', '=', account).where('id', '=', id).executeTakeFirst();
      return row ? toOrder(row) : undefined;
    },
    async listOrders({ positionId, statuses }) {
      let query = db.selectFrom('exec_orders').selectAll().where('account', '=', account);
      if (positionId !== undefined) query = query.where('position_id', '=', positionId);
      if (statuses && statuses.length) query = query.where('status', 'in', statuses);
      return (await query.orderBy('created_at').orderBy('id').execute()).map(toOrder);
    },
    async saveOrder(o) {
      const row: ExecOrderTable = {
        account, id: o.id, venue_id: o.venueId ?? null, position_id: o.positionId, symbol: o.symbol, side: o.side,
        role: o.role, type: o.type, amount: o.amount, price: o.price ?? null, stop_price: o.stopPrice ?? null,
        filled: o.filled, cost: o.cost, fee_base: o.fees.base, fee_quote: o.fees.quote, status: o.status, created_at: o.createdAt, updated_at: o.updatedAt,
      };
      await db.insertInto('exec_orders').values(row)
        .onConflict((oc) => oc.columns(['account', 'id']).doUpdateSet({ ...row })).execute();
    },
    async addFill(f) {
      await db.insertInto('exec_fills').values({
        account, order_id: f.orderId, position_id: f.positionId, symbol: f.symbol, side: f.side, role: f.role,
        price: f.price, amount: f.amount, fee: f.fee, ts: f.ts,
      }).execute();
    },
    async listFills(positionId) {
      let query = db.selectFrom('exec_fills').selectAll().where('account', '=', account);
      if (positionId !== undefined) query = query.where('position_id', '=', positionId);
      const rows = await query.orderBy('seq').execute();
      return rows.map((r) => ({
        orderId: r.order_id, positionId: r.position_id, symbol: r.symbol, side: r.side as OrderSide,
        role: r.role as OrderRole, price: r.price, amount: r.amount, fee: r.fee, ts: r.ts,
      }));
    },
  };
}

function toPosition(r: ExecPositionTable): StoredPosition {
  return {
    id: r.id, symbol: r.symbol, side: r.side as BrokerPosition['side'], status: r.status as PositionStatus,
    requested: r.requested, filled: r.filled, remaining: r.remaining, entryPrice: r.entry_price, stop: r.stop,
    takeProfits: JSON.parse(r.take_profits) as BrokerPosition['takeProfits'], realizedPnl: r.realized_pnl, fees: r.fees,
    legSeq: r.leg_seq, openedAt: r.opened_at,
    ...(r.closed_at !== null ? { closedAt: r.closed_at } : {}),
    ...(r.close_reason !== null ? { closeReason: r.close_reason } : {}),
  };
}

function toOrder(r: ExecOrderTable): BrokerOrder {
  return {
    id: r.id, positionId: r.position_id, symbol: r.symbol, side: r.side as OrderSide, role: r.role as OrderRole,
    type: r.type as OrderType, amount: r.amount, filled: r.filled, cost: r.cost, fees: { base: r.fee_base, quote: r.fee_quote },
    status: r.status as OrderStatus,
    createdAt: r.created_at, updatedAt: r.updated_at,
    ...(r.venue_id !== null ? { venueId: r.venue_id } : {}),
    ...(r.price !== null ? { price: r.price } : {}),
    ...(r.stop_price !== null ? { stopPrice: r.stop_price } : {}),
  };
}
