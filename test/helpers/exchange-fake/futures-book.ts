/**
 * The state of the fake futures venue (./futures.ts): orders, conditional (algo) orders, trades, one net position
 * per symbol and the USDT wallet, with Binance's isolated-margin arithmetic (initial margin = notional / leverage)
 * and its answers' shapes.
 */
import type { Timeframe } from '../../../src/engine/types.ts';
import { timeframeMs } from '../../../src/engine/market/timeframes.ts';
import type { ExchangeFake, FakeResponse } from '../exchange-fake.ts';
import { futuresError as reject } from './futures-market.ts';
import type { FakeMarket } from './market-data.ts';
import { algoView, orderView } from './futures-views.ts';

export interface FuturesOrder {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  type: string;
  origQty: number;
  price: number;
  stopPrice: number;
  executedQty: number;
  cumQuote: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';
  reduceOnly: boolean;
  time: number;
  updateTime: number;
  /** Candles with ts below this were already matched. */
  matchedFrom: number;
  /** Margin still locked for the unfilled part of a resting opening order. */
  locked: number;
  algo?: { status: 'NEW' | 'FINISHED' | 'CANCELED' | 'EXPIRED'; actualOrderId?: number; triggerTime: number };
  rest?: { at: number; price: number };
}

export type OrderSpec = Pick<FuturesOrder, 'symbol' | 'side' | 'type' | 'price' | 'stopPrice' | 'reduceOnly' | 'clientOrderId'> & { qty: number };

export interface FuturesPosition {
  amt: number;
  entryPrice: number;
  leverage: number;
  marginType: 'ISOLATED' | 'CROSSED';
  margin: number;
}

interface FuturesTrade {
  id: number;
  orderId: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  price: number;
  qty: number;
  realizedPnl: number;
  commission: number;
  maker: boolean;
  time: number;
}

const ok = (body: unknown): FakeResponse => ({ status: 200, body });
const EPS = 1e-9;

export class FuturesBook {
  readonly orders: FuturesOrder[] = [];
  readonly trades_: FuturesTrade[] = [];
  readonly positions = new Map<string, FuturesPosition>();
  readonly partials: number[] = [];
  wallet: number;
  private nextId = 5000;

  constructor(private readonly fake: ExchangeFake, private readonly tf: Timeframe, private readonly markets: FakeMarket[],
    balance: number, private readonly commission: number) {
    this.wallet = balance;
  }

  now(): number {
    return this.fake.now();
  }

  position(symbol: string): FuturesPosition {
    let p = this.positions.get(symbol);
    // Binance's defaults for a symbol never touched: 20x, cross margin.
    if (!p) this.positions.set(symbol, (p = { amt: 0, entryPrice: 0, leverage: 20, marginType: 'CROSSED', margin: 0 }));
    return p;
  }

  available(): number {
    let used = 0;
    for (const p of this.positions.values()) used += p.margin;
    for (const o of this.orders) if (this.isOpen(o)) used += o.locked;
    return this.wallet - used;
  }

  /** Open of the candle containing the clock (what a market order meets), else the last close. */
  reference(symbol: string): number | undefined {
    const visible = this.fake.visible(symbol, this.tf);
    const last = visible[visible.length - 1];
    if (!last) return undefined;
    return last.ts + timeframeMs(this.tf) > this.fake.now() ? last.open : last.close;
  }

  place(spec: OrderSpec): FakeResponse {
    const refused = this.refusal(spec);
    if (refused) return refused;
    const m = this.market(spec.symbol);
    const ref = this.reference(spec.symbol)!;
    const tick = Number(m.tickSize);
    const marketPrice = round(spec.side === 'BUY' ? ref + tick : ref - tick);
    const price = spec.type === 'MARKET' ? marketPrice : spec.price;
    if (!spec.reduceOnly && spec.qty * price < Number(m.minNotional) - EPS) {
      return reject(-4164, `Order's notional must be no smaller than ${m.minNotional} (unless you choose reduce only).`);
    }
    const p = this.position(spec.symbol);
    const opens = spec.reduceOnly ? 0 : Math.max(0, spec.qty - (this.against(p, spec.side) ? Math.abs(p.amt) : 0));
    const margin = (opens * price) / p.leverage;
    if (this.available() < margin - EPS) return reject(-2019, 'Margin is insufficient.');
    const order = this.newOrder(spec);
    const marketable = spec.type === 'MARKET' || (spec.side === 'BUY' ? spec.price >= marketPrice : spec.price <= marketPrice);
    if (!marketable) order.locked = margin;
    this.orders.push(order);
    if (marketable) this.execute(order, marketPrice, false);
    return ok(orderView(order));
  }

  placeAlgo(spec: OrderSpec): FakeResponse {
    const refused = this.refusal(spec);
    if (refused) return refused;
    const ref = this.reference(spec.symbol)!;
    const stop = spec.type === 'STOP_MARKET';
    // A buy stop must be above the market, a sell stop below; a take-profit the other way round.
    const fires = (spec.side === 'BUY') === stop ? spec.stopPrice <= ref : spec.stopPrice >= ref;
    if (fires) return reject(-2021, 'Order would immediately trigger.');
    const order = this.newOrder(spec);
    order.algo = { status: 'NEW', triggerTime: 0 };
    this.orders.push(order);
    return ok(algoView(this, order));
  }

  find(symbol: string | null, clientOrderId: string | null, orderId: string | null): FuturesOrder | undefined {
    return this.orders.find((o) => !o.algo && o.symbol === symbol && (clientOrderId ? o.clientOrderId === clientOrderId : String(o.orderId) === orderId));
  }

  findAlgo(clientAlgoId: string | null, algoId: string | null): FuturesOrder | undefined {
    return this.orders.find((o) => o.algo && (clientAlgoId ? o.clientOrderId === clientAlgoId : String(o.orderId) === algoId));
  }

  open(symbol: string | null, algo: boolean): FuturesOrder[] {
    return this.orders.filter((o) => !!o.algo === algo && this.isOpen(o) && (!symbol || o.symbol === symbol));
  }

  cancel(order: FuturesOrder | undefined): FakeResponse {
    if (!order || !this.isOpen(order)) return reject(-2011, 'Unknown order sent.');
    order.locked = 0;
    order.status = 'CANCELED';
    order.rest = undefined;
    order.updateTime = this.fake.now();
    return ok(orderView(order));
  }

  cancelAlgo(order: FuturesOrder | undefined): FakeResponse {
    if (!order || order.algo?.status !== 'NEW') return reject(-2011, 'Unknown order sent.');
    order.algo.status = 'CANCELED';
    order.updateTime = this.fake.now();
    return ok({ algoId: order.orderId, clientAlgoId: order.clientOrderId, code: '200', msg: 'success' });
  }

  /** Fills what the clock has made fillable: partial rests, resting limits, triggered conditional orders. */
  match(): void {
    const now = this.fake.now();
    for (const order of [...this.orders]) {
      if (!this.isOpen(order)) continue;
      if (order.rest) {
        if (now > order.rest.at) {
          this.fill(order, round(order.origQty - order.executedQty), order.rest.price, order.type !== 'MARKET');
          order.rest = undefined;
        }
        continue;
      }
      if (order.type === 'MARKET') continue;
      for (const c of this.fake.visible(order.symbol, this.tf)) {
        if (c.ts < order.matchedFrom || c.ts + timeframeMs(this.tf) > now) continue;
        order.matchedFrom = c.ts + 1;
        if (order.algo) {
          const up = (order.side === 'BUY') === (order.type === 'STOP_MARKET');
          if (up ? c.high < order.stopPrice : c.low > order.stopPrice) continue;
          this.trigger(order, up ? Math.max(c.open, order.stopPrice) : Math.min(c.open, order.stopPrice));
          break;
        }
        if (order.side === 'BUY' && c.low <= order.price) this.execute(order, Math.min(c.open, order.price), true);
        if (order.side === 'SELL' && c.high >= order.price) this.execute(order, Math.max(c.open, order.price), true);
        if (!this.isOpen(order) || order.rest) break;
      }
    }
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  private market(id: string): FakeMarket {
    return this.markets.find((m) => m.id === id)!;
  }

  isOpen(o: FuturesOrder): boolean {
    return o.algo ? o.algo.status === 'NEW' : o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
  }

  private against(p: FuturesPosition, side: 'BUY' | 'SELL'): boolean {
    return side === 'BUY' ? p.amt < 0 : p.amt > 0;
  }

  private refusal(spec: OrderSpec): FakeResponse | undefined {
    if (this.orders.some((o) => o.clientOrderId === spec.clientOrderId && this.isOpen(o))) return reject(-4116, 'ClientOrderId is duplicated.');
    if (this.reference(spec.symbol) === undefined) return reject(-1121, 'Invalid symbol.');
    if (spec.reduceOnly && !this.against(this.position(spec.symbol), spec.side)) return reject(-2022, 'ReduceOnly Order is rejected.');
    return undefined;
  }

  private newOrder(spec: OrderSpec): FuturesOrder {
    const now = this.fake.now();
    return {
      orderId: this.nextId++, clientOrderId: spec.clientOrderId, symbol: spec.symbol, side: spec.side, type: spec.type, origQty: spec.qty,
      price: spec.price, stopPrice: spec.stopPrice, executedQty: 0, cumQuote: 0, status: 'NEW', reduceOnly: spec.reduceOnly, time: now,
      updateTime: now, matchedFrom: now, locked: 0,
    };
  }

  /** A conditional order fired: its MARKET order goes into the book and fills at `price` (taker). */
  private trigger(algo: FuturesOrder, price: number): void {
    const order = this.newOrder({ ...algo, type: 'MARKET', qty: algo.origQty, price: 0, stopPrice: 0, clientOrderId: `autoclose-${algo.orderId}` });
    this.orders.push(order);
    algo.algo = { status: 'FINISHED', actualOrderId: order.orderId, triggerTime: this.fake.now() };
    algo.updateTime = this.fake.now();
    this.execute(order, price, false);
  }

  /** Fills the order's remainder at `price`, or only part of it if a partial fill was queued. */
  private execute(order: FuturesOrder, price: number, maker: boolean): void {
    const left = round(order.origQty - order.executedQty);
    const fraction = order.executedQty === 0 && !order.reduceOnly ? this.partials.shift() : undefined;
    if (fraction !== undefined) {
      const step = Number(this.market(order.symbol).stepSize);
      this.fill(order, round(Math.floor((left * fraction) / step + 1e-9) * step), price, maker);
      order.rest = { at: this.fake.now(), price };
      return;
    }
    this.fill(order, left, price, maker);
  }

  private fill(order: FuturesOrder, wanted: number, price: number, maker: boolean): void {
    const p = this.position(order.symbol);
    // Reduce-only never goes past flat: what is left expires.
    const qty = order.reduceOnly ? Math.min(wanted, this.against(p, order.side) ? Math.abs(p.amt) : 0) : wanted;
    const now = this.fake.now();
    if (qty > 0) {
      const left = order.origQty - order.executedQty;
      order.locked = left > 0 ? order.locked * (1 - qty / left) : 0;
      const sign = order.side === 'BUY' ? 1 : -1;
      let realized = 0;
      let opening = qty;
      if (this.against(p, order.side)) {
        const closing = Math.min(qty, Math.abs(p.amt));
        realized = Math.sign(p.amt) * (price - p.entryPrice) * closing;
        p.margin -= p.margin * (closing / Math.abs(p.amt));
        p.amt = round(p.amt + sign * closing);
        if (p.amt === 0) p.entryPrice = 0;
        opening = round(qty - closing);
      }
      if (opening > 0) {
        p.entryPrice = (p.entryPrice * Math.abs(p.amt) + price * opening) / (Math.abs(p.amt) + opening);
        p.amt = round(p.amt + sign * opening);
        p.margin += (opening * price) / p.leverage;
      }
      const commission = round(qty * price * this.commission);
      this.wallet = round(this.wallet + realized - commission);
      order.executedQty = round(order.executedQty + qty);
      order.cumQuote = round(order.cumQuote + qty * price);
      this.trades_.push({ id: this.trades_.length + 1, orderId: order.orderId, symbol: order.symbol, side: order.side, price, qty,
        realizedPnl: round(realized), commission, maker, time: now });
    }
    order.status = order.executedQty >= order.origQty - EPS ? 'FILLED' : qty < wanted ? 'EXPIRED' : 'PARTIALLY_FILLED';
    if (order.status !== 'PARTIALLY_FILLED') order.locked = 0;
    order.updateTime = now;
  }
}

function round(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}
