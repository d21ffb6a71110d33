/**
 * The Broker written once over a Venue (see ./venue.ts): paper and live differ only in the venue.
 *
 * Order of safety: every order row is written BEFORE it is sent (status `pending`), so after a crash or an
 * ambiguous failure the broker asks the venue for that clientOrderId instead of guessing. Fills are derived from
 * the venue's cumulative filled amount and cost, so seeing the same order twice never counts a fill twice.
 *
 * Sides: a spot venue takes longs only (planEntry refuses a short with the reason); a perp venue (venue.account
 * 'perp') takes both, sets the symbol's leverage before its first entry, and sends every non-entry order
 * reduce-only, so a stop or take-profit can never open a position the other way.
 */
import type { Candle } from '../../types.ts';
import { InputError, ItaError, TemporaryError } from '../../errors.ts';
import { silentLogger, type Logger } from '../../../logger.ts';
import type {
  Balances, Broker, BrokerOrder, BrokerPosition, Difference, EntryIntent, Fill, OrderResult, PositionStatus,
} from '../broker.ts';
import type { Books, StoredPosition } from '../store/books.ts';
import { clientOrderId, roundToTick, type MarketRules, type Venue, type VenueOrder } from './venue.ts';
import { planEntry } from './entry-plan.ts';
import { Protection } from './protection.ts';
import { reconcileBooks } from './reconcile.ts';

export interface VenueBrokerOptions {
  /** Below the stop trigger, the limit of an exchange stop-limit order, as a fraction (room to fill in a fast move). */
  stopLimitBuffer?: number;
  /** Perp venues: exchange leverage set on a symbol before its first entry (already clamped to the governance cap). */
  leverage?: number;
  now?: () => number;
  logger?: Logger;
}

const OPEN_STATUSES: BrokerOrder['status'][] = ['pending', 'open'];

export class VenueBroker implements Broker {
  readonly mode: 'paper' | 'live';
  /** The venue is a USDT-M perpetual futures account: both sides, reduce-only protection. */
  readonly perp: boolean;
  readonly leverage: number;
  private readonly leverageSet = new Set<string>();
  private readonly listeners = new Set<(fill: Fill) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private collected: Fill[] | undefined;
  /** The venue failed to answer (TemporaryError): before the next sync, compare first, so nothing it changed meanwhile is applied unreported. */
  private venueDown = false;
  private recovery: Difference[] | undefined;
  private readonly protection: Protection;
  readonly now: () => number;
  readonly logger: Logger;

  constructor(readonly venue: Venue, readonly books: Books, options: VenueBrokerOptions = {}) {
    this.mode = venue.mode;
    this.perp = venue.account === 'perp';
    this.leverage = Math.max(1, options.leverage ?? 1);
    this.now = options.now ?? Date.now;
    this.logger = (options.logger ?? silentLogger).child({ broker: venue.mode });
    this.protection = new Protection(this, options.stopLimitBuffer ?? 0.005);
  }

  placeEntry(intent: EntryIntent): Promise<OrderResult> {
    return this.serial(async () => {
      const existing = await this.books.getPosition(intent.id);
      if (existing) {
        const entryId = clientOrderId(intent.id, 'e');
        const entry = (await this.books.getOrder(entryId))!;
        if (entry.status === 'pending') {
          await this.syncOrder(entry);
          await this.protection.protect(intent.id);
        }
        return { position: publicPosition((await this.books.getPosition(intent.id))!), entry: (await this.books.getOrder(entryId))!, duplicate: true };
      }
      const rules = await this.venue.rules(intent.symbol);
      const plan = planEntry(intent, rules, intent.type === 'market' && intent.price === undefined
        ? await this.venue.referencePrice(intent.symbol) : undefined, this.perp ? 'perp' : 'spot');
      if (this.perp && this.venue.setLeverage && !this.leverageSet.has(intent.symbol)) {
        await this.venue.setLeverage(intent.symbol, this.leverage);
        this.leverageSet.add(intent.symbol);
      }
      const ts = this.now();
      const position: StoredPosition = {
        id: intent.id, symbol: intent.symbol, side: intent.side, status: 'pending', requested: plan.amount, filled: 0,
        remaining: 0, entryPrice: 0, stop: plan.stop, takeProfits: plan.takeProfits, realizedPnl: 0, fees: 0,
        openedAt: ts, legSeq: 0,
      };
      const entry: BrokerOrder = {
        id: clientOrderId(intent.id, 'e'), positionId: intent.id, symbol: intent.symbol, side: intent.side === 'short' ? 'sell' : 'buy', role: 'entry',
        type: intent.type, amount: plan.amount, ...(plan.price !== undefined ? { price: plan.price } : {}),
        filled: 0, cost: 0, fees: { base: 0, quote: 0 }, status: 'pending', createdAt: ts, updatedAt: ts,
      };
      await this.books.savePosition(position);
      await this.books.saveOrder(entry);
      await this.submit(entry);
      await this.protection.protect(intent.id);
      return { position: publicPosition((await this.books.getPosition(intent.id))!), entry: (await this.books.getOrder(entry.id))!, duplicate: false };
    });
  }

  cancel(orderId: string): Promise<BrokerOrder> {
    return this.serial(async () => {
      const order = await this.books.getOrder(orderId);
      if (!order) throw new InputError(`no order "${orderId}"`, { field: 'orderId', value: orderId });
      if (order.role === 'stop') {
        throw new InputError(`order "${orderId}" is the protective stop of position ${order.positionId}; move the stop or close the position instead`,
          { field: 'orderId', value: orderId });
      }
      if (!OPEN_STATUSES.includes(order.status)) return order;
      await this.cancelAtVenue(order);
      const position = (await this.books.getPosition(order.positionId))!;
      if (order.role === 'entry' && position.filled === 0 && position.status === 'pending') {
        await this.books.savePosition({ ...position, status: 'canceled', closedAt: this.now(), closeReason: 'entry cancelled' });
      }
      await this.protection.protect(order.positionId);
      return (await this.books.getOrder(orderId))!;
    });
  }

  moveStop(positionId: string, newStop: number): Promise<BrokerPosition> {
    return this.serial(async () => {
      const position = await this.requirePosition(positionId, ['pending', 'open']);
      const rules = await this.venue.rules(position.symbol);
      const stop = roundToTick(newStop, rules.priceTick);
      if (!(stop > 0)) throw new InputError(`stop must be a positive price, got ${newStop}`, { field: 'stop', value: newStop });
      const long = position.side !== 'short';
      if (long ? stop < position.stop : stop > position.stop) {
        throw new InputError(long
          ? `refusing to move the stop of ${positionId} from ${position.stop} down to ${stop}: that widens it and increases the risk; a long position's stop only moves up`
          : `refusing to move the stop of ${positionId} from ${position.stop} up to ${stop}: that widens it and increases the risk; a short position's stop only moves down`,
        { field: 'stop', value: newStop, current: position.stop });
      }
      if (stop === position.stop) return publicPosition(position);
      // Checked before the old stop is cancelled: the exchange would refuse a stop on the wrong side of the market,
      // and the position would be left with no stop at all.
      const price = await this.venue.referencePrice(position.symbol);
      if (price !== undefined && (long ? stop >= price : stop <= price)) {
        throw new InputError(long
          ? `refusing to move the stop of ${positionId} to ${stop}: it is at or above the current price ${price} and would sell at once; close the position instead`
          : `refusing to move the stop of ${positionId} to ${stop}: it is at or below the current price ${price} and would buy at once; close the position instead`,
        { field: 'stop', value: newStop, price });
      }
      await this.books.savePosition({ ...position, stop });
      await this.protection.protect(positionId);
      return publicPosition((await this.books.getPosition(positionId))!);
    });
  }

  closePosition(positionId: string, reason: string): Promise<BrokerPosition> {
    return this.serial(async () => {
      const position = await this.requirePosition(positionId, ['pending', 'open']);
      for (const order of await this.books.listOrders({ positionId, statuses: OPEN_STATUSES })) await this.cancelAtVenue(order);
      await this.books.savePosition({ ...(await this.books.getPosition(positionId))!, takeProfits: [] });
      await this.protection.sellRemaining(positionId, 'exit', reason);
      const after = (await this.books.getPosition(positionId))!;
      if (after.status === 'pending' || after.status === 'open') {
        const status: PositionStatus = after.filled === 0 ? 'canceled' : 'closed';
        await this.books.savePosition({ ...after, status, closedAt: this.now(), closeReason: reason });
      }
      return publicPosition((await this.books.getPosition(positionId))!);
    });
  }

  onCandle(symbol: string, candle: Candle): Promise<Fill[]> {
    return this.collect(async () => {
      await this.reconcileAfterOutage();
      // Paper simulates the candle itself: a take-profit the candle reaches rests on the simulated book BEFORE it
      // trades, so it fills at its price inside this candle, as the trading session fills it (not on a later candle,
      // and not at all when price only wicked through it). Not when the candle also reaches the stop: stop first.
      if (this.mode === 'paper') await this.protection.takeProfits(symbol, candle, true);
      await this.venue.observe?.(symbol, candle);
      await this.syncSymbol(symbol);
      await this.protection.takeProfits(symbol, candle);
    });
  }

  onTicker(symbol: string, price: number, ts: number): Promise<Fill[]> {
    return this.onCandle(symbol, { ts, open: price, high: price, low: price, close: price, volume: 0 });
  }

  /** Brings every open order up to date with the venue (what onCandle does for one symbol). */
  sync(): Promise<Fill[]> {
    return this.collect(async () => {
      await this.reconcileAfterOutage();
      const symbols = new Set((await this.books.listOrders({ statuses: OPEN_STATUSES })).map((o) => o.symbol));
      for (const p of await this.books.listPositions(['open'])) symbols.add(p.symbol);
      for (const symbol of symbols) await this.syncSymbol(symbol);
    });
  }

  async positions(filter: { status?: PositionStatus[] } = {}): Promise<BrokerPosition[]> {
    return (await this.books.listPositions(filter.status)).map(publicPosition);
  }

  openOrders(): Promise<BrokerOrder[]> {
    return this.books.listOrders({ statuses: OPEN_STATUSES });
  }

  balances(): Promise<Balances> {
    return this.venue.balances();
  }

  reconcile(): Promise<Difference[]> {
    return this.serial(() => reconcileBooks(this.venue, this.books));
  }

  /**
   * What the comparison found when the venue answered again after an outage, BEFORE the broker applied the venue's
   * state of its orders (a stop cancelled meanwhile would otherwise be replaced without anyone hearing of it).
   * Undefined when no outage was seen since the last call.
   */
  takeRecoveryDifferences(): Difference[] | undefined {
    const found = this.recovery;
    this.recovery = undefined;
    return found;
  }

  onFill(listener: (fill: Fill) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- used by Protection --------------------------------------------------------------------------------------

  /** Sends a locally saved order; a refusal marks it rejected, an ambiguous failure leaves it pending. */
  async submit(order: BrokerOrder): Promise<void> {
    try {
      const sent = await this.venue.submit({
        clientOrderId: order.id, symbol: order.symbol, side: order.side, type: order.type, amount: order.amount,
        ...(order.price !== undefined ? { price: order.price } : {}), ...(order.stopPrice !== undefined ? { stopPrice: order.stopPrice } : {}),
        ...(this.perp && order.role !== 'entry' ? { reduceOnly: true } : {}),
      });
      await this.apply(order, sent);
    } catch (error) {
      if (error instanceof TemporaryError) throw error;
      await this.books.saveOrder({ ...order, status: 'rejected', updatedAt: this.now() });
      if (order.role === 'entry') {
        const position = (await this.books.getPosition(order.positionId))!;
        await this.books.savePosition({ ...position, status: 'canceled', closedAt: this.now(), closeReason: `entry rejected: ${messageOf(error)}` });
      }
      throw error;
    }
  }

  /** Applies the venue's view of an order: new fills become Fill records, events and position changes. */
  async apply(local: BrokerOrder, venue: VenueOrder): Promise<void> {
    const current = (await this.books.getOrder(local.id)) ?? local;
    const qty = venue.filled - current.filled;
    const ts = this.now();
    if (qty > 1e-12) {
      const cost = venue.cost - current.cost;
      const price = cost / qty;
      const feeBase = venue.fees.base - current.fees.base;
      const feeQuote = venue.fees.quote - current.fees.quote;
      const fee = feeQuote + feeBase * price;
      const fill: Fill = { orderId: local.id, positionId: local.positionId, symbol: local.symbol, side: local.side, role: local.role, price, amount: qty, fee, ts };
      await this.books.addFill(fill);
      const p = (await this.books.getPosition(local.positionId))!;
      const rules = await this.venue.rules(local.symbol);
      if (local.role === 'entry') {
        const held = qty - feeBase;
        const entryPrice = (p.entryPrice * current.filled + cost) / (current.filled + qty);
        await this.books.savePosition({ ...p, status: p.status === 'pending' ? 'open' : p.status, filled: p.filled + held,
          remaining: p.remaining + held, entryPrice, fees: p.fees + fee, realizedPnl: p.realizedPnl - fee });
      } else {
        const remaining = Math.max(0, p.remaining - qty);
        const done = remaining < (rules.amountStep ?? 1e-12) && !(await this.entryStillOpen(p.id, local.id));
        const gross = (p.side === 'short' ? -1 : 1) * (cost - qty * p.entryPrice);
        await this.books.savePosition({ ...p, remaining, fees: p.fees + fee, realizedPnl: p.realizedPnl + gross - fee,
          ...(done ? { status: 'closed' as const, closedAt: ts, closeReason: p.closeReason ?? reasonOf(local.role) } : {}) });
      }
      for (const listener of this.listeners) listener(fill);
      this.collected?.push(fill);
    }
    await this.books.saveOrder({ ...current, venueId: venue.venueId, filled: venue.filled, cost: venue.cost, fees: venue.fees,
      status: venue.status, updatedAt: ts });
  }

  /** Cancels at the venue; an order still `pending` that the venue never received is simply cancelled here. */
  async cancelAtVenue(order: BrokerOrder): Promise<void> {
    if (order.status === 'pending') {
      const venue = await this.venue.fetch(order.symbol, order.id, order.type);
      if (!venue) {
        await this.books.saveOrder({ ...order, status: 'canceled', updatedAt: this.now() });
        return;
      }
      if (venue.status !== 'open') return this.apply(order, venue);
    }
    await this.apply(order, await this.venue.cancel(order.symbol, order.id, order.type));
  }

  async rules(symbol: string): Promise<MarketRules> {
    return this.venue.rules(symbol);
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private async reconcileAfterOutage(): Promise<void> {
    if (!this.venueDown) return;
    const found = await reconcileBooks(this.venue, this.books);
    this.venueDown = false;
    this.recovery = [...(this.recovery ?? []), ...found];
    for (const difference of found) this.logger.warn('reconcile after the outage: ' + difference.message, { kind: difference.kind });
  }

  private async syncSymbol(symbol: string): Promise<void> {
    for (const order of await this.books.listOrders({ statuses: OPEN_STATUSES })) {
      if (order.symbol === symbol) await this.syncOrder(order);
    }
    for (const p of await this.books.listPositions(['open'])) if (p.symbol === symbol) await this.protection.protect(p.id);
  }

  private async syncOrder(order: BrokerOrder): Promise<void> {
    const venue = await this.venue.fetch(order.symbol, order.id, order.type);
    if (venue) return this.apply(order, venue);
    // Never reached the venue (the send failed before it was accepted): send it now, with the same id.
    if (order.status === 'pending') return this.submit(order);
    this.logger.warn('open order unknown to the venue; see reconcile()', { orderId: order.id });
  }

  private async entryStillOpen(positionId: string, exceptId: string): Promise<boolean> {
    const open = await this.books.listOrders({ positionId, statuses: OPEN_STATUSES });
    return open.some((o) => o.role === 'entry' && o.id !== exceptId);
  }

  private async requirePosition(id: string, statuses: PositionStatus[]): Promise<StoredPosition> {
    const position = await this.books.getPosition(id);
    if (!position) throw new InputError(`no position "${id}"`, { field: 'positionId', value: id });
    if (!statuses.includes(position.status)) {
      throw new InputError(`position ${id} is ${position.status}`, { field: 'positionId', value: id, status: position.status });
    }
    return position;
  }

  private collect(work: () => Promise<void>): Promise<Fill[]> {
    return this.serial(async () => {
      this.collected = [];
      try {
        await work();
        return this.collected;
      } finally {
        this.collected = undefined;
      }
    });
  }

  /** One operation at a time: a candle arriving during a placement must not see half-written books. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch((error) => {
      if (error instanceof TemporaryError) this.venueDown = true;
    });
    return run;
  }
}

export function publicPosition(p: StoredPosition): BrokerPosition {
  const { legSeq: _legSeq, ...rest } = p;
  return rest;
}

function reasonOf(role: BrokerOrder['role']): string {
  return role === 'stop' ? 'stop-loss' : role === 'take-profit' ? 'take-profit' : 'exit';
}

function messageOf(error: unknown): string {
  return error instanceof ItaError || error instanceof Error ? error.message : String(error);
}

