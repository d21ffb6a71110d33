/**
 * Protective orders of a position: one exchange-side stop covering exactly what is held and not already offered by a
 * resting take-profit, re-placed (cancel, then place) whenever the amount or the price changes.
 *
 * Why cancel-then-place: on spot, an open sell order locks its base amount, so a second stop (or a take-profit next
 * to the stop) would be refused for insufficient balance. The same lock is why take-profits are NOT resting on the
 * exchange: the broker watches them (onCandle / onTicker) and, when price reaches one, frees the base from the stop
 * and sends a limit sell at the take-profit price, then re-places the stop for what is left. Binance's OCO would
 * rest both, but pairs one target with one stop only; several targets would need several OCOs and a stop per leg.
 */
import { AuthenticationError, ItaError, TemporaryError } from '../../errors.ts';
import type { Candle } from '../../types.ts';
import type { BrokerOrder, OrderSide } from '../broker.ts';
import type { StoredPosition } from '../store/books.ts';
import { clientOrderId, floorToStep, roundToTick } from './venue.ts';
import { stopRefusedReason } from './close-reasons.ts';
import type { VenueBroker } from './venue-broker.ts';

const OPEN: BrokerOrder['status'][] = ['pending', 'open'];

export class Protection {
  constructor(private readonly broker: VenueBroker, private readonly stopLimitBuffer: number) {}

  /** Makes the position's protective orders match its state. */
  async protect(positionId: string): Promise<void> {
    const { books } = this.broker;
    let p = (await books.getPosition(positionId))!;
    const open = await books.listOrders({ positionId, statuses: OPEN });
    const stops = open.filter((o) => o.role === 'stop');
    if (p.status !== 'open') {
      for (const order of [...stops, ...open.filter((o) => o.role === 'take-profit')]) await this.cancel(order);
      return;
    }
    const rules = await this.broker.rules(p.symbol);
    const wanted = (position: StoredPosition, resting: BrokerOrder[]) =>
      floorToStep(position.remaining - resting.filter((o) => o.role === 'take-profit').reduce((s, o) => s + o.amount - o.filled, 0), rules.amountStep);
    const desired = wanted(p, open);
    const [stop] = stops;
    if (stops.length === 1 && stop.stopPrice === p.stop && Math.abs(stop.amount - stop.filled - desired) < 1e-12) return;
    for (const order of stops) await this.cancel(order);

    p = (await books.getPosition(positionId))!;
    if (p.status !== 'open') return;
    const amount = wanted(p, await books.listOrders({ positionId, statuses: OPEN }));
    if (!(amount > 0) || (rules.minAmount !== undefined && amount < rules.minAmount)
      || (this.minNotional(rules) !== undefined && amount * p.stop < this.minNotional(rules)!)) {
      if (amount > 0) this.broker.logger.warn('held amount is below the market minimum; no exchange stop for it', { positionId, amount });
      return;
    }
    try {
      // Perp: a reduce-only STOP_MARKET; spot: a stop-limit a buffer below the trigger.
      if (this.broker.perp) await this.place(p, 's', { role: 'stop', type: 'stop-market', amount, stopPrice: p.stop });
      else await this.place(p, 's', { role: 'stop', type: 'stop-limit', amount, price: roundToTick(p.stop * (1 - this.stopLimitBuffer), rules.priceTick, 'down'), stopPrice: p.stop });
    } catch (error) {
      // Retry later (unreachable) or stop and tell the human (keys): neither says the stop itself is impossible.
      if (!(error instanceof ItaError) || error instanceof TemporaryError || error instanceof AuthenticationError) throw error;
      await this.exitUnprotectable(positionId, stopRefusedReason(p.stop, error.message));
    }
  }

  /**
   * The venue refused the stop itself (price already at or beyond it: "would trigger immediately"). Holding the fill
   * without a stop is never allowed, so what is held is sold at market now and the rest of the entry is cancelled:
   * the signal's premise (price above the stop) no longer holds. The reason stays on the position for the trader.
   */
  private async exitUnprotectable(positionId: string, reason: string): Promise<void> {
    const { books } = this.broker;
    this.broker.logger.warn('protective stop refused by the venue; exiting the fill at market', { positionId, reason });
    for (const order of await books.listOrders({ positionId, statuses: OPEN })) await this.cancel(order);
    await books.savePosition({ ...(await books.getPosition(positionId))!, takeProfits: [], closeReason: reason });
    await this.sellRemaining(positionId, 'exit', reason);
    const after = (await books.getPosition(positionId))!;
    if (after.status === 'open' || after.status === 'pending') {
      // Nothing (or less than a lot) left to sell, and no entry rests any more: the position is over.
      await books.savePosition({ ...after, status: after.filled > 0 ? 'closed' : 'canceled', closedAt: this.broker.now(), closeReason: reason });
    }
  }

  /**
   * Take-profit legs reached inside `candle`: free the amount from the stop, send the leg as a limit exit, re-protect.
   * With `stopFirst` (a paper candle about to be simulated), positions whose stop that candle also reaches are left
   * alone: the stop comes first, as in the trading session.
   */
  async takeProfits(symbol: string, candle: Candle, stopFirst = false): Promise<void> {
    const { books } = this.broker;
    for (const candidate of await books.listPositions(['open'])) {
      const short = candidate.side === 'short';
      const hit = (price: number) => (short ? price >= candle.low : price <= candle.high);
      if (candidate.symbol !== symbol || !candidate.takeProfits.some((tp) => hit(tp.price))) continue;
      if (stopFirst && (short ? candle.high >= candidate.stop : candle.low <= candidate.stop)) continue;
      const rules = await this.broker.rules(symbol);
      for (const order of await books.listOrders({ positionId: candidate.id, statuses: OPEN })) {
        if (order.role === 'stop') await this.cancel(order);
      }
      let p = (await books.getPosition(candidate.id))!;
      const reached = p.takeProfits.filter((tp) => hit(tp.price));
      await books.savePosition({ ...p, takeProfits: p.takeProfits.filter((tp) => !hit(tp.price)) });
      for (const leg of reached) {
        p = (await books.getPosition(candidate.id))!;
        if (p.status !== 'open') break;
        const resting = (await books.listOrders({ positionId: p.id, statuses: OPEN }))
          .filter((o) => o.role === 'take-profit').reduce((s, o) => s + o.amount - o.filled, 0);
        const amount = floorToStep(Math.min(leg.amount, p.remaining - resting), rules.amountStep);
        if (!(amount > 0) || (this.minNotional(rules) !== undefined && amount * leg.price < this.minNotional(rules)!)) continue;
        await this.place(p, 't', { role: 'take-profit', type: 'limit', amount, price: leg.price });
      }
      await this.protect(candidate.id);
    }
  }

  /** Exits what the position holds at market (rounded down to the lot step): a sell for a long, a buy for a short. */
  async sellRemaining(positionId: string, role: 'exit', reason: string): Promise<void> {
    const p = (await this.broker.books.getPosition(positionId))!;
    const rules = await this.broker.rules(p.symbol);
    const amount = floorToStep(p.remaining, rules.amountStep);
    if (!(amount > 0) || (rules.minAmount !== undefined && amount < rules.minAmount)) return;
    await this.broker.books.savePosition({ ...p, closeReason: reason });
    await this.place((await this.broker.books.getPosition(positionId))!, 'x', { role, type: 'market', amount });
  }

  private async place(p: StoredPosition, prefix: string, spec: Pick<BrokerOrder, 'role' | 'type' | 'amount' | 'price' | 'stopPrice'>): Promise<void> {
    const legSeq = p.legSeq + 1;
    await this.broker.books.savePosition({ ...p, legSeq });
    const ts = this.broker.now();
    const order: BrokerOrder = {
      id: clientOrderId(p.id, `${prefix}${legSeq}`), positionId: p.id, symbol: p.symbol, side: exitSide(p), role: spec.role,
      type: spec.type, amount: spec.amount, ...(spec.price !== undefined ? { price: spec.price } : {}),
      ...(spec.stopPrice !== undefined ? { stopPrice: spec.stopPrice } : {}),
      filled: 0, cost: 0, fees: { base: 0, quote: 0 }, status: 'pending', createdAt: ts, updatedAt: ts,
    };
    await this.broker.books.saveOrder(order);
    await this.broker.submit(order);
  }

  /** Binance futures exempt reduce-only orders from the minimum notional, so a perp stop is placed for any remainder. */
  private minNotional(rules: { minNotional?: number }): number | undefined {
    return this.broker.perp ? undefined : rules.minNotional;
  }

  private async cancel(order: BrokerOrder): Promise<void> {
    await this.broker.cancelAtVenue(order);
  }
}

/** The side that reduces a position: a long is closed by selling, a short by buying back. */
export function exitSide(p: Pick<StoredPosition, 'side'>): OrderSide {
  return p.side === 'short' ? 'buy' : 'sell';
}
