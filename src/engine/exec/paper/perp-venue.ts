/**
 * The perpetual paper Venue: a simulated USDT-M futures account (Binance's one-way mode) whose orders, positions and
 * wallet live in SQLite, filled by the same fill model as the trading session (../sim/fill-model.ts):
 *  - one net position per symbol, long or short; a fill on the other side reduces it first (realised PnL goes into
 *    the wallet), a non-reduce-only order may then open the other side;
 *  - leverage per symbol (1..maxLeverage, whole numbers, as Binance); initial margin = notional / leverage, locked
 *    from the USDT wallet while the position (or a resting opening order) exists, released in proportion on reduce;
 *  - fees in USDT on the notional (maker for resting limits, taker for market and triggered stops);
 *  - STOP_MARKET stops trigger at the stop or at the worse gap open, then fill as a market order with slippage;
 *  - reduce-only orders can only shrink the position: refused when there is nothing to reduce, and a reduce-only
 *    fill never goes past flat (the rest expires, as on Binance);
 *  - funding is NOT charged (nor liquidation modelled): a protective stop always sits inside the margin here;
 *  - orders fill only on candles that OPEN after they were placed (no look-ahead).
 * Refusals carry Binance futures' own codes and texts (-2019 "Margin is insufficient.", -2021 "Order would
 * immediately trigger.", -2022 "ReduceOnly Order is rejected.", -4028 leverage not valid).
 */
import type { Kysely } from 'kysely';
import type { Candle } from '../../types.ts';
import { ExchangeRejectedError } from '../../errors.ts';
import { feeFor, limitFillPrice, marketFillPrice, stopTriggerPrice, type CostModel } from '../sim/fill-model.ts';
import type { Balances } from '../broker.ts';
import { clean, paperBalances, recordLastPrice, restingQuantity } from './paper-books.ts';
import type { ExecDatabase, PaperPerpOrderTable, PaperPerpPositionTable } from '../store/schema.ts';
import type { MarketRules, Venue, VenueOrder, VenueOrderRequest, VenuePosition } from '../core/venue.ts';

export interface PerpPaperVenueOptions {
  db: Kysely<any>;
  account: string;
  costs: CostModel;
  markets?: Record<string, MarketRules>;
  maxVolumeShare?: number;
  /** The exchange's own leverage limit (Binance BTCUSDT: 125). */
  maxLeverage?: number;
  now?: () => number;
}

export interface PerpPaperVenue extends Venue {
  readonly account: 'perp';
  setMaxVolumeShare(share: number | undefined): void;
  deposit(asset: string, amount: number): Promise<void>;
  setLeverage(symbol: string, leverage: number): Promise<number>;
  positions(): Promise<VenuePosition[]>;
}

/** Binance's default leverage of a symbol nobody has set yet. */
const DEFAULT_LEVERAGE = 20;

export function createPerpPaperVenue(options: PerpPaperVenueOptions): PerpPaperVenue {
  const db = options.db as Kysely<ExecDatabase>;
  const { account, costs } = options;
  const now = options.now ?? Date.now;
  const maxLeverage = options.maxLeverage ?? 125;
  let maxVolumeShare = options.maxVolumeShare;

  const rules = (symbol: string): MarketRules => {
    const known = options.markets?.[symbol];
    if (known) return known;
    const [base, quote] = symbol.split(':')[0].split('/');
    if (!base || !quote) throw new ExchangeRejectedError(`paper perp: symbol "${symbol}" is not BASE/QUOTE`, { field: 'symbol', value: symbol });
    return { base, quote };
  };
  const lastPrice = (symbol: string) =>
    db.selectFrom('paper_prices').selectAll().where('account', '=', account).where('symbol', '=', symbol).executeTakeFirst();
  const getOrder = (id: string) =>
    db.selectFrom('paper_perp_orders').selectAll().where('account', '=', account).where('client_order_id', '=', id).executeTakeFirst();
  const saveOrder = (row: PaperPerpOrderTable) =>
    db.updateTable('paper_perp_orders').set(row).where('account', '=', account).where('client_order_id', '=', row.client_order_id).execute();
  const getPosition = async (symbol: string): Promise<PaperPerpPositionTable> =>
    (await db.selectFrom('paper_perp_positions').selectAll().where('account', '=', account).where('symbol', '=', symbol).executeTakeFirst())
    ?? { account, symbol, amount: 0, entry_price: 0, margin: 0, leverage: DEFAULT_LEVERAGE };
  const savePosition = (row: PaperPerpPositionTable) =>
    db.insertInto('paper_perp_positions').values(row)
      .onConflict((oc) => oc.columns(['account', 'symbol']).doUpdateSet({ amount: row.amount, entry_price: row.entry_price, margin: row.margin, leverage: row.leverage })).execute();

  const adjust = async (asset: string, freeDelta: number, usedDelta: number): Promise<void> => {
    const row = await db.selectFrom('paper_balances').selectAll().where('account', '=', account).where('asset', '=', asset).executeTakeFirst();
    const free = clean((row?.free ?? 0) + freeDelta);
    const used = clean((row?.used ?? 0) + usedDelta);
    await db.insertInto('paper_balances').values({ account, asset, free, used })
      .onConflict((oc) => oc.columns(['account', 'asset']).doUpdateSet({ free, used })).execute();
  };
  const freeOf = async (asset: string): Promise<number> =>
    (await db.selectFrom('paper_balances').select('free').where('account', '=', account).where('asset', '=', asset).executeTakeFirst())?.free ?? 0;

  const refuse = (request: Pick<VenueOrderRequest, 'side' | 'amount' | 'symbol' | 'clientOrderId'>, code: number, text: string, detail = '') =>
    new ExchangeRejectedError(`paper perp: ${request.side} ${request.amount} ${request.symbol} refused: ${text} (code ${code}${detail ? `; ${detail}` : ''})`,
      { symbol: request.symbol, clientOrderId: request.clientOrderId, code });

  const toVenueOrder = (row: PaperPerpOrderTable): VenueOrder => ({
    venueId: row.venue_id, clientOrderId: row.client_order_id, symbol: row.symbol, filled: row.filled, cost: row.cost,
    fees: { base: 0, quote: row.fee }, amount: row.amount, status: row.status as VenueOrder['status'],
  });

  /** Books one fill of `qty` at `price`: the order's locked margin is released, the position and the wallet move. */
  const fill = async (order: PaperPerpOrderTable, qty: number, price: number, feeRate: number): Promise<void> => {
    const { quote } = rules(order.symbol);
    const left = order.amount - order.filled;
    const unlock = left > 0 ? order.locked * Math.min(1, qty / left) : order.locked;
    order.locked = clean(order.locked - unlock);
    await adjust(quote, unlock, -unlock);
    const p = await getPosition(order.symbol);
    const signedQty = order.side === 'buy' ? qty : -qty;
    let opening = qty;
    let walletDelta = 0;
    let marginDelta = 0;
    if (p.amount !== 0 && Math.sign(p.amount) !== Math.sign(signedQty)) {
      const closing = Math.min(qty, Math.abs(p.amount));
      const released = p.margin * (closing / Math.abs(p.amount));
      walletDelta += Math.sign(p.amount) * (price - p.entry_price) * closing;
      marginDelta -= released;
      p.margin = clean(p.margin - released);
      p.amount = clean(p.amount + Math.sign(signedQty) * closing);
      if (p.amount === 0) p.entry_price = 0;
      opening = order.reduce_only ? 0 : clean(qty - closing);
    }
    if (opening > 0) {
      const margin = (opening * price) / p.leverage;
      const held = Math.abs(p.amount);
      p.entry_price = (p.entry_price * held + price * opening) / (held + opening);
      p.amount = clean(p.amount + Math.sign(signedQty) * opening);
      p.margin = clean(p.margin + margin);
      marginDelta += margin;
    }
    await savePosition(p);
    const fee = feeFor(qty * price, feeRate);
    await adjust(quote, walletDelta - fee - marginDelta, marginDelta);
    order.filled = clean(order.filled + qty);
    order.cost = clean(order.cost + qty * price);
    order.fee = clean(order.fee + fee);
    order.status = order.filled >= order.amount - 1e-12 ? 'filled' : 'open';
    order.updated_at = now();
    await saveOrder(order);
  };

  /** A reduce-only order may fill only what the position still has on the other side; the rest expires. */
  const reducible = async (order: PaperPerpOrderTable, qty: number): Promise<number> => {
    if (!order.reduce_only) return qty;
    const p = await getPosition(order.symbol);
    const against = order.side === 'buy' ? p.amount < 0 : p.amount > 0;
    return against ? Math.min(qty, Math.abs(p.amount)) : 0;
  };

  const expire = async (order: PaperPerpOrderTable): Promise<void> => {
    await adjust(rules(order.symbol).quote, order.locked, -order.locked);
    order.locked = 0;
    order.status = 'canceled';
    order.updated_at = now();
    await saveOrder(order);
  };

  /** Fills what a reduce-only order still may, then ends it if it can never fill the rest. */
  const fillBounded = async (order: PaperPerpOrderTable, qty: number, price: number, feeRate: number): Promise<void> => {
    const allowed = clean(await reducible(order, qty));
    if (allowed > 0) await fill(order, allowed, price, feeRate);
    if (order.reduce_only && order.status === 'open' && (await reducible(order, order.amount - order.filled)) <= 0) await expire(order);
  };

  const restingFill = (row: PaperPerpOrderTable, candle: Candle): { price: number; feeRate: number } | undefined => {
    const buy = row.side === 'buy' ? 1 : -1;
    if (row.type === 'stop-market') {
      // A sell stop protects a long, a buy stop a short: the session's stop rule for that position side.
      const trigger = stopTriggerPrice(row.stop_price!, buy === 1 ? 'short' : 'long', candle);
      return Number.isNaN(trigger) ? undefined : { price: marketFillPrice(trigger, buy, false, costs), feeRate: costs.takerFee };
    }
    const price = limitFillPrice(row.price!, buy, candle);
    return Number.isNaN(price) ? undefined : { price, feeRate: costs.makerFee };
  };

  return {
    mode: 'paper',
    account: 'perp',
    setMaxVolumeShare: (share) => {
      maxVolumeShare = share;
    },
    deposit: (asset, amount) => adjust(asset, amount, 0),
    rules: async (symbol) => rules(symbol),
    referencePrice: async (symbol) => (await lastPrice(symbol))?.price,

    async setLeverage(symbol, leverage) {
      if (!Number.isInteger(leverage) || leverage < 1 || leverage > maxLeverage) {
        throw refuse({ side: 'buy', amount: 0, symbol, clientOrderId: '' }, -4028, `Leverage ${leverage} is not valid`, `1..${maxLeverage} on ${symbol}`);
      }
      const p = await getPosition(symbol);
      await savePosition({ ...p, leverage });
      return leverage;
    },

    async positions() {
      const rows = await db.selectFrom('paper_perp_positions').selectAll().where('account', '=', account).where('amount', '!=', 0).orderBy('symbol').execute();
      return rows.map((r) => ({ symbol: r.symbol, side: r.amount > 0 ? 'long' as const : 'short' as const, amount: Math.abs(r.amount), entryPrice: r.entry_price, leverage: r.leverage }));
    },

    async submit(request) {
      const existing = await getOrder(request.clientOrderId);
      if (existing) return toVenueOrder(existing);
      const { quote } = rules(request.symbol);
      if (request.type === 'stop-limit') throw refuse(request, -1116, 'Invalid orderType.', 'the paper perp venue takes MARKET, LIMIT and STOP_MARKET');
      const last = await lastPrice(request.symbol);
      if (!last && request.type !== 'limit') throw refuse(request, -1121, 'no price yet', 'feed a candle or a ticker first');
      const buy = request.side === 'buy' ? 1 : -1;
      const p = await getPosition(request.symbol);
      const reduces = p.amount !== 0 && Math.sign(p.amount) !== buy;
      if (request.reduceOnly && !reduces) throw refuse(request, -2022, 'ReduceOnly Order is rejected.', `position ${p.amount}`);
      if (request.type === 'stop-market' && (buy === 1 ? request.stopPrice! <= last!.price : request.stopPrice! >= last!.price)) {
        throw refuse(request, -2021, 'Order would immediately trigger.', `stop ${request.stopPrice}, last ${last!.price}`);
      }
      const market = last ? marketFillPrice(last.price, buy, !request.reduceOnly, costs) : NaN;
      const marketable = request.type === 'market'
        || (request.type === 'limit' && last !== undefined && (buy === 1 ? request.price! >= market : request.price! <= market));
      const fillPrice = marketable ? (request.type === 'market' ? market : buy === 1 ? Math.min(request.price!, market) : Math.max(request.price!, market)) : NaN;
      // What the order can open beyond closing the current position needs initial margin (and its fee) now.
      const opens = request.reduceOnly ? 0 : Math.max(0, request.amount - (reduces ? Math.abs(p.amount) : 0));
      const lockPrice = request.type === 'stop-market' ? request.stopPrice! : marketable ? fillPrice : request.price!;
      const margin = (opens * lockPrice) / p.leverage;
      const needed = margin + feeFor(opens * lockPrice, Math.max(costs.makerFee, costs.takerFee));
      const free = await freeOf(quote);
      if (free < needed - 1e-9) throw refuse(request, -2019, 'Margin is insufficient.', `needs ${clean(needed)} ${quote} at ${p.leverage}x, available ${free}`);
      await adjust(quote, -margin, margin);
      const row: PaperPerpOrderTable = {
        account, client_order_id: request.clientOrderId, venue_id: `paper-perp-${request.clientOrderId}`, symbol: request.symbol,
        side: request.side, type: request.type, amount: request.amount, price: request.price ?? (request.type === 'market' ? fillPrice : null),
        stop_price: request.stopPrice ?? null, filled: 0, cost: 0, fee: 0, status: 'open',
        created_at: last?.ts ?? -1, updated_at: now(), reduce_only: request.reduceOnly ? 1 : 0, locked: clean(margin),
      };
      await db.insertInto('paper_perp_orders').values(row).execute();
      if (marketable) await fillBounded(row, request.amount, fillPrice, costs.takerFee);
      return toVenueOrder(row);
    },

    async fetch(_symbol, clientOrderId) {
      const row = await getOrder(clientOrderId);
      return row ? toVenueOrder(row) : undefined;
    },

    async cancel(_symbol, clientOrderId) {
      const row = await getOrder(clientOrderId);
      if (!row) throw new ExchangeRejectedError(`paper perp: unknown order ${clientOrderId} (code -2011, Unknown order sent.)`, { field: 'orderId', value: clientOrderId });
      if (row.status !== 'open') return toVenueOrder(row);
      await expire(row);
      return toVenueOrder(row);
    },

    async openOrders() {
      const rows = await db.selectFrom('paper_perp_orders').selectAll().where('account', '=', account).where('status', '=', 'open').execute();
      return rows.map(toVenueOrder);
    },

    balances: (): Promise<Balances> => paperBalances(db, account),

    async observe(symbol, candle) {
      const rows = await db.selectFrom('paper_perp_orders').selectAll().where('account', '=', account)
        .where('symbol', '=', symbol).where('status', '=', 'open').where('created_at', '<', candle.ts).execute();
      for (const row of rows) {
        const hit = restingFill(row, candle);
        if (!hit) continue;
        const qty = restingQuantity(row.amount - row.filled, candle, { isStop: row.type === 'stop-market', maxVolumeShare, amountStep: rules(symbol).amountStep });
        if (qty > 0) await fillBounded(row, qty, hit.price, hit.feeRate);
      }
      await recordLastPrice(db, account, symbol, candle);
    },
  };
}
