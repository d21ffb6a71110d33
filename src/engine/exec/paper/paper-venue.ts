/**
 * The paper Venue: a simulated spot exchange whose orders, balances and last prices live in SQLite, filled by the
 * backtester's fill model (../sim/fill-model.ts) so paper and backtest agree on every price:
 *  - market orders (and marketable limits) fill at once at the last known price plus slippage and spread, taker fee;
 *  - resting limits fill inside a later candle at their price, or at a better gap open (maker fee);
 *  - a stop-limit is simulated like the backtester's stop: triggered at the stop (or the worse gap open), filled as a
 *    market order with slippage (taker fee); the limit price an exchange would need is not modelled;
 *  - an order is only filled by candles that OPEN after it was placed (no look-ahead);
 *  - optionally a resting order fills at most `maxVolumeShare` of a candle's volume per candle (partial fills).
 * Fees are charged in the quote asset. Like an exchange, it refuses what the account cannot pay for.
 */
import type { Kysely } from 'kysely';
import type { Candle } from '../../types.ts';
import { ExchangeRejectedError } from '../../errors.ts';
import { feeFor, limitFillPrice, marketFillPrice, stopTriggerPrice, type CostModel } from '../sim/fill-model.ts';
import type { Balances } from '../broker.ts';
import { clean, paperBalances, recordLastPrice, restingQuantity } from './paper-books.ts';
import type { ExecDatabase, PaperOrderTable } from '../store/schema.ts';
import type { MarketRules, Venue, VenueOrder, VenueOrderRequest } from '../core/venue.ts';

export interface PaperVenueOptions {
  db: Kysely<any>;
  account: string;
  costs: CostModel;
  /** Trading rules by symbol (e.g. from the gateway's loadMarkets); others get base/quote from "BASE/QUOTE" only. */
  markets?: Record<string, MarketRules>;
  /** Per-candle cap on a resting order's fill, as a share of the candle's volume; default: no cap. */
  maxVolumeShare?: number;
  now?: () => number;
}

export interface PaperVenue extends Venue {
  /** Changes the volume participation cap (undefined = no cap). */
  setMaxVolumeShare(share: number | undefined): void;
  /** Credits an asset (starting capital, a deposit). */
  deposit(asset: string, amount: number): Promise<void>;
}

export function createPaperVenue(options: PaperVenueOptions): PaperVenue {
  const db = options.db as Kysely<ExecDatabase>;
  const { account, costs } = options;
  const now = options.now ?? Date.now;
  let maxVolumeShare = options.maxVolumeShare;
  // Funds a buy order locks: its notional plus the largest fee it could pay.
  const lockRate = 1 + Math.max(costs.makerFee, costs.takerFee);

  const rules = (symbol: string): MarketRules => {
    const known = options.markets?.[symbol];
    if (known) return known;
    const [base, quote] = symbol.split('/');
    if (!base || !quote) throw new ExchangeRejectedError(`paper: symbol "${symbol}" is not BASE/QUOTE`, { field: 'symbol', value: symbol });
    return { base, quote };
  };
  const lastPrice = (symbol: string) =>
    db.selectFrom('paper_prices').selectAll().where('account', '=', account).where('symbol', '=', symbol).executeTakeFirst();
  const getOrder = (clientOrderId: string) =>
    db.selectFrom('paper_orders').selectAll().where('account', '=', account).where('client_order_id', '=', clientOrderId).executeTakeFirst();
  const saveOrder = (row: PaperOrderTable) =>
    db.updateTable('paper_orders').set(row).where('account', '=', account).where('client_order_id', '=', row.client_order_id).execute();

  const adjust = async (asset: string, freeDelta: number, usedDelta: number): Promise<void> => {
    const row = await db.selectFrom('paper_balances').selectAll().where('account', '=', account).where('asset', '=', asset).executeTakeFirst();
    const free = clean((row?.free ?? 0) + freeDelta);
    const used = clean((row?.used ?? 0) + usedDelta);
    await db.insertInto('paper_balances').values({ account, asset, free, used })
      .onConflict((oc) => oc.columns(['account', 'asset']).doUpdateSet({ free, used })).execute();
  };
  const freeOf = async (asset: string): Promise<number> =>
    (await db.selectFrom('paper_balances').select('free').where('account', '=', account).where('asset', '=', asset).executeTakeFirst())?.free ?? 0;

  /** Books one fill: moves the locked funds, pays the fee, updates the order row. */
  const fill = async (order: PaperOrderTable, qty: number, price: number, feeRate: number, lockPrice: number): Promise<void> => {
    const { base, quote } = rules(order.symbol);
    const notional = qty * price;
    const fee = feeFor(notional, feeRate);
    if (order.side === 'buy') {
      const locked = qty * lockPrice * lockRate;
      await adjust(quote, locked - notional - fee, -locked);
      await adjust(base, qty, 0);
    } else {
      await adjust(base, 0, -qty);
      await adjust(quote, notional - fee, 0);
    }
    order.filled = clean(order.filled + qty);
    order.cost = clean(order.cost + notional);
    order.fee = clean(order.fee + fee);
    order.status = order.filled >= order.amount - 1e-12 ? 'filled' : 'open';
    order.updated_at = now();
    await saveOrder(order);
  };

  const toVenueOrder = (row: PaperOrderTable): VenueOrder => ({
    venueId: row.venue_id, clientOrderId: row.client_order_id, symbol: row.symbol, filled: row.filled, cost: row.cost,
    fees: { base: 0, quote: row.fee }, amount: row.amount, status: row.status as VenueOrder['status'],
  });

  /** Fill price of a resting order inside `candle`, with the fee rate that applies, or undefined. */
  const restingFill = (row: PaperOrderTable, candle: Candle): { price: number; feeRate: number } | undefined => {
    if (row.type === 'stop-limit') {
      const trigger = stopTriggerPrice(row.stop_price!, 'long', candle);
      return Number.isNaN(trigger) ? undefined : { price: marketFillPrice(trigger, -1, false, costs), feeRate: costs.takerFee };
    }
    const price = limitFillPrice(row.price!, row.side === 'buy' ? 1 : -1, candle);
    return Number.isNaN(price) ? undefined : { price, feeRate: costs.makerFee };
  };

  const refuse = (request: VenueOrderRequest, why: string) =>
    new ExchangeRejectedError(`paper: ${request.side} ${request.amount} ${request.symbol} refused: ${why}`, { symbol: request.symbol, clientOrderId: request.clientOrderId });

  return {
    mode: 'paper',
    setMaxVolumeShare: (share) => {
      maxVolumeShare = share;
    },
    deposit: (asset, amount) => adjust(asset, amount, 0),
    rules: async (symbol) => rules(symbol),
    referencePrice: async (symbol) => (await lastPrice(symbol))?.price,

    async submit(request) {
      const existing = await getOrder(request.clientOrderId);
      if (existing) return toVenueOrder(existing);
      const { base, quote } = rules(request.symbol);
      const last = await lastPrice(request.symbol);
      if (!last && request.type !== 'limit') throw refuse(request, 'no price yet; feed a candle or a ticker first');
      const buy = request.side === 'buy' ? 1 : -1;
      const market = last ? marketFillPrice(last.price, buy, request.side === 'buy', costs) : NaN;
      const marketable = request.type === 'market'
        || (request.type === 'limit' && last !== undefined && (buy === 1 ? request.price! >= market : request.price! <= market));
      if (request.type === 'stop-limit' && request.stopPrice! >= last!.price) throw refuse(request, `stop ${request.stopPrice} would trigger immediately (last ${last!.price})`);
      const fillPrice = marketable ? (request.type === 'market' ? market : buy === 1 ? Math.min(request.price!, market) : Math.max(request.price!, market)) : NaN;
      const lockPrice = request.type === 'market' ? fillPrice : request.price!;
      if (buy === 1) {
        const needed = request.amount * lockPrice * lockRate;
        const free = await freeOf(quote);
        if (free < needed - 1e-9) throw refuse(request, `insufficient ${quote}: needs ${clean(needed)}, free ${free}`);
        await adjust(quote, -needed, needed);
      } else {
        const free = await freeOf(base);
        if (free < request.amount - 1e-12) throw refuse(request, `insufficient ${base}: needs ${request.amount}, free ${free}`);
        await adjust(base, -request.amount, request.amount);
      }
      const row: PaperOrderTable = {
        account, client_order_id: request.clientOrderId, venue_id: `paper-${request.clientOrderId}`, symbol: request.symbol,
        side: request.side, type: request.type, amount: request.amount, price: request.price ?? (request.type === 'market' ? fillPrice : null),
        stop_price: request.stopPrice ?? null, filled: 0, cost: 0, fee: 0, status: 'open',
        // The venue's clock is the market's: an order placed now may only fill on candles that open after this.
        created_at: last?.ts ?? Number.NEGATIVE_INFINITY, updated_at: now(),
      };
      if (!Number.isFinite(row.created_at)) row.created_at = -1;
      await db.insertInto('paper_orders').values(row).execute();
      if (marketable) await fill(row, request.amount, fillPrice, costs.takerFee, lockPrice);
      return toVenueOrder(row);
    },

    async fetch(_symbol, clientOrderId) {
      const row = await getOrder(clientOrderId);
      return row ? toVenueOrder(row) : undefined;
    },

    async cancel(_symbol, clientOrderId) {
      const row = await getOrder(clientOrderId);
      if (!row) throw new ExchangeRejectedError(`paper: unknown order ${clientOrderId}`, { field: 'orderId', value: clientOrderId });
      if (row.status !== 'open') return toVenueOrder(row);
      const { base, quote } = rules(row.symbol);
      const left = row.amount - row.filled;
      if (row.side === 'buy') await adjust(quote, left * row.price! * lockRate, -left * row.price! * lockRate);
      else await adjust(base, left, -left);
      row.status = 'canceled';
      row.updated_at = now();
      await saveOrder(row);
      return toVenueOrder(row);
    },

    async openOrders() {
      const rows = await db.selectFrom('paper_orders').selectAll().where('account', '=', account).where('status', '=', 'open').execute();
      return rows.map(toVenueOrder);
    },

    balances: (): Promise<Balances> => paperBalances(db, account),

    async observe(symbol, candle) {
      const rows = await db.selectFrom('paper_orders').selectAll().where('account', '=', account)
        .where('symbol', '=', symbol).where('status', '=', 'open').where('created_at', '<', candle.ts).execute();
      for (const row of rows) {
        const hit = restingFill(row, candle);
        if (!hit) continue;
        const qty = restingQuantity(row.amount - row.filled, candle, { isStop: row.type === 'stop-limit', maxVolumeShare, amountStep: rules(symbol).amountStep });
        if (qty > 0) await fill(row, qty, hit.price, hit.feeRate, row.price!);
      }
      await recordLastPrice(db, account, symbol, candle);
    },
  };
}
