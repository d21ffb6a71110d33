/**
 * Binance spot order endpoints for the exchange fake: order (create / get / cancel), openOrders, account, myTrades.
 * Signed requests: any signature is accepted, but the X-MBX-APIKEY header must be present (as on Binance).
 *
 * Matching: a MARKET order fills at once at the open of the candle containing the fake's clock (buy one tick above,
 * sell one tick below). Resting LIMIT and STOP_LOSS_LIMIT orders are matched against every candle of `timeframe`
 * that OPENS at or after the order was placed and has CLOSED by the fake's clock; matching runs before every
 * request, so advancing the clock is what fills them. A triggered STOP_LOSS_LIMIT fills at its stop (or the gap
 * open), but never below its limit price: gapped through the limit, it rests as a limit order (as on Binance).
 * Commission as on Binance without BNB: a buyer pays it in the base asset, a seller in the quote asset.
 *
 * Faults beyond the fake's generic ones: `partialNext(fraction)` (the next fill of a new order is partial; the rest
 * fills once the clock has moved) and `hangAfterAccept()` (the next new order is stored, then never answered).
 */
import type { Candle, Timeframe } from '../../../src/engine/types.ts';
import { timeframeMs } from '../../../src/engine/market/timeframes.ts';
import type { ExchangeFake, FakeRequest, FakeResponse } from '../exchange-fake.ts';
import type { FakeMarket } from './market-data.ts';

export interface FakeOrderOptions {
  /** Starting free balances by asset. */
  balances?: Record<string, number>;
  /** Commission rate per fill (Binance's default 0.1%). */
  commission?: number;
  /** Candles used for matching resting orders. */
  timeframe?: Timeframe;
}

export interface FakeOrder {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  type: 'MARKET' | 'LIMIT' | 'STOP_LOSS_LIMIT';
  origQty: number;
  price: number;
  stopPrice: number;
  executedQty: number;
  cumQuote: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED';
  time: number;
  updateTime: number;
  triggered: boolean;
  /** Candles with ts below this were already matched. */
  matchedFrom: number;
  /** A partial fill happened at this clock; the rest fills at this price once the clock moves past it. */
  rest?: { at: number; price: number };
}

interface FakeTrade {
  id: number;
  orderId: number;
  symbol: string;
  price: number;
  qty: number;
  commission: number;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export interface FakeOrders {
  readonly orders: FakeOrder[];
  balance(asset: string): { free: number; locked: number };
  setBalance(asset: string, free: number): void;
  partialNext(fraction: number): void;
  hangAfterAccept(count?: number): void;
  /** POST /api/v3/order requests received (accepted or not). */
  created(): number;
}

const ok = (body: unknown): FakeResponse => ({ status: 200, body });
const reject = (code: number, msg: string): FakeResponse => ({ status: 400, body: { code, msg } });
const EPS = 1e-9;

export function mountOrderEndpoints(fake: ExchangeFake, options: FakeOrderOptions = {}): FakeOrders {
  const tf = options.timeframe ?? '1h';
  const commission = options.commission ?? 0.001;
  const balances = new Map<string, { free: number; locked: number }>();
  for (const [asset, free] of Object.entries(options.balances ?? { USDT: 10_000 })) balances.set(asset, { free, locked: 0 });
  const orders: FakeOrder[] = [];
  const trades: FakeTrade[] = [];
  const partials: number[] = [];
  let hangs = 0;
  let posts = 0;
  let nextId = 1000;

  const wallet = (asset: string) => {
    let entry = balances.get(asset);
    if (!entry) balances.set(asset, (entry = { free: 0, locked: 0 }));
    return entry;
  };
  const marketOf = (id: string): FakeMarket => fake.market(id)!;

  /** Open of the candle containing the clock (what a market order meets), else the last close. */
  const referencePrice = (id: string): number | undefined => {
    const visible = fake.visible(id, tf);
    const last = visible[visible.length - 1];
    if (!last) return undefined;
    return last.ts + timeframeMs(tf) > fake.now() ? last.open : last.close;
  };

  const fill = (order: FakeOrder, qty: number, price: number, maker: boolean): void => {
    const m = marketOf(order.symbol);
    const base = wallet(m.base);
    const quote = wallet(m.quote);
    const notional = qty * price;
    let fee: number;
    if (order.side === 'BUY') {
      // Funds were locked at the order's own price (market: the reference price); release that, pay the fill.
      const lockedPrice = order.type === 'MARKET' ? price : order.price;
      quote.locked -= qty * lockedPrice;
      quote.free += qty * lockedPrice - notional;
      fee = qty * commission;
      base.free += qty - fee;
    } else {
      base.locked -= qty;
      fee = notional * commission;
      quote.free += notional - fee;
    }
    order.executedQty = round(order.executedQty + qty);
    order.cumQuote = round(order.cumQuote + notional);
    order.status = order.executedQty >= order.origQty - EPS ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = fake.now();
    trades.push({
      id: trades.length + 1, orderId: order.orderId, symbol: order.symbol, price, qty, commission: round(fee),
      commissionAsset: order.side === 'BUY' ? m.base : m.quote, time: fake.now(), isBuyer: order.side === 'BUY', isMaker: maker,
    });
  };

  /** Fills the order's remainder at `price`, or only part of it if a partial fill was queued. */
  const execute = (order: FakeOrder, price: number, maker: boolean): void => {
    const left = round(order.origQty - order.executedQty);
    const fraction = partials.shift();
    if (fraction !== undefined && order.executedQty === 0) {
      fill(order, roundStep(left * fraction, Number(marketOf(order.symbol).stepSize)), price, maker);
      order.rest = { at: fake.now(), price };
      return;
    }
    fill(order, left, price, maker);
  };

  const matchCandle = (order: FakeOrder, c: Candle): void => {
    if (order.type === 'STOP_LOSS_LIMIT' && !order.triggered) {
      if (c.low > order.stopPrice) return;
      order.triggered = true;
      const trigger = c.open <= order.stopPrice ? c.open : order.stopPrice;
      if (trigger >= order.price) execute(order, trigger, false);
      return;
    }
    if (order.side === 'BUY' && c.low <= order.price) execute(order, Math.min(c.open, order.price), true);
    if (order.side === 'SELL' && c.high >= order.price) execute(order, Math.max(c.open, order.price), true);
  };

  const match = (): void => {
    const now = fake.now();
    for (const order of orders) {
      if (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED') continue;
      if (order.rest) {
        if (now > order.rest.at) {
          fill(order, round(order.origQty - order.executedQty), order.rest.price, order.type !== 'MARKET');
          order.rest = undefined;
        }
        continue;
      }
      if (order.type === 'MARKET') continue;
      for (const c of fake.visible(order.symbol, tf)) {
        if (c.ts < order.matchedFrom || c.ts + timeframeMs(tf) > now) continue;
        order.matchedFrom = c.ts + 1;
        matchCandle(order, c);
        if ((order.status as string) === 'FILLED' || order.rest) break;
      }
    }
  };

  const view = (o: FakeOrder, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, price: str(o.price),
    origQty: str(o.origQty), executedQty: str(o.executedQty), cummulativeQuoteQty: str(o.cumQuote), status: o.status,
    timeInForce: o.type === 'MARKET' ? 'GTC' : 'GTC', type: o.type, side: o.side, stopPrice: str(o.stopPrice),
    icebergQty: '0', time: o.time, updateTime: o.updateTime, isWorking: o.type !== 'STOP_LOSS_LIMIT' || o.triggered,
    workingTime: o.time, origQuoteOrderQty: '0', selfTradePreventionMode: 'EXPIRE_MAKER', ...extra,
  });

  const findOrder = (p: URLSearchParams): FakeOrder | undefined => {
    const cid = p.get('origClientOrderId');
    const id = p.get('orderId');
    return orders.find((o) => o.symbol === p.get('symbol') && (cid ? o.clientOrderId === cid : String(o.orderId) === id));
  };

  const signed = (handler: (p: URLSearchParams) => FakeResponse) => (req: FakeRequest): FakeResponse => {
    if (!req.headers['x-mbx-apikey']) return { status: 401, body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' } };
    const params = new URLSearchParams(req.query);
    for (const [key, value] of new URLSearchParams(req.body)) params.set(key, value);
    match();
    return handler(params);
  };

  const create = (p: URLSearchParams): FakeResponse => {
    posts += 1;
    const id = p.get('symbol') ?? '';
    const market = fake.market(id);
    if (!market) return reject(-1121, 'Invalid symbol.');
    const side = p.get('side') as FakeOrder['side'];
    const type = p.get('type') as FakeOrder['type'];
    if (!['MARKET', 'LIMIT', 'STOP_LOSS_LIMIT'].includes(type)) return reject(-1116, 'Invalid orderType.');
    const qty = Number(p.get('quantity'));
    const price = Number(p.get('price') ?? 0);
    const stopPrice = Number(p.get('stopPrice') ?? 0);
    const clientOrderId = p.get('newClientOrderId') ?? `fake-${nextId}`;
    if (orders.some((o) => o.clientOrderId === clientOrderId && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'))) {
      return reject(-2010, 'Duplicate order sent.');
    }
    if (!(qty >= Number(market.minQty)) || !onGrid(qty, Number(market.stepSize))) return reject(-1013, 'Filter failure: LOT_SIZE');
    if (type !== 'MARKET' && !onGrid(price, Number(market.tickSize))) return reject(-1013, 'Filter failure: PRICE_FILTER');
    if (type === 'STOP_LOSS_LIMIT' && !onGrid(stopPrice, Number(market.tickSize))) return reject(-1013, 'Filter failure: PRICE_FILTER');
    const reference = referencePrice(id);
    if (reference === undefined) return reject(-1121, 'Invalid symbol.');
    const tick = Number(market.tickSize);
    const marketPrice = round(side === 'BUY' ? reference + tick : reference - tick);
    if (qty * (type === 'MARKET' ? marketPrice : price) < Number(market.minNotional) - EPS) return reject(-1013, 'Filter failure: NOTIONAL');
    if (type === 'STOP_LOSS_LIMIT' && side === 'SELL' && stopPrice >= reference) return reject(-2010, 'Stop price would trigger immediately.');
    const lockAsset = side === 'BUY' ? market.quote : market.base;
    const lockAmount = side === 'BUY' ? qty * (type === 'MARKET' ? marketPrice : price) : qty;
    const account = wallet(lockAsset);
    if (account.free < lockAmount - EPS) return reject(-2010, 'Account has insufficient balance for requested action.');
    account.free -= lockAmount;
    account.locked += lockAmount;

    const order: FakeOrder = {
      orderId: nextId++, clientOrderId, symbol: id, side, type, origQty: qty, price: type === 'MARKET' ? 0 : price,
      stopPrice, executedQty: 0, cumQuote: 0, status: 'NEW', time: fake.now(), updateTime: fake.now(), triggered: false,
      matchedFrom: fake.now(),
    };
    orders.push(order);
    const marketable = type === 'MARKET' || (type === 'LIMIT' && (side === 'BUY' ? price >= marketPrice : price <= marketPrice));
    if (marketable) execute(order, marketPrice, false);
    const fills = trades.filter((t) => t.orderId === order.orderId).map((t) => ({
      price: str(t.price), qty: str(t.qty), commission: str(t.commission), commissionAsset: t.commissionAsset, tradeId: t.id,
    }));
    const body = view(order, { transactTime: fake.now(), fills });
    if (hangs > 0) {
      hangs -= 1;
      return { status: 200, body, hang: true };
    }
    return ok(body);
  };

  fake.addRoute('POST', '/api/v3/order', signed(create));
  fake.addRoute('GET', '/api/v3/order', signed((p) => {
    const order = findOrder(p);
    return order ? ok(view(order)) : reject(-2013, 'Order does not exist.');
  }));
  fake.addRoute('DELETE', '/api/v3/order', signed((p) => {
    const order = findOrder(p);
    if (!order || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED')) return reject(-2011, 'Unknown order sent.');
    const m = marketOf(order.symbol);
    const left = order.origQty - order.executedQty;
    const account = wallet(order.side === 'BUY' ? m.quote : m.base);
    const unlock = order.side === 'BUY' ? left * (order.type === 'MARKET' ? order.rest?.price ?? 0 : order.price) : left;
    account.locked -= unlock;
    account.free += unlock;
    order.status = 'CANCELED';
    order.rest = undefined;
    order.updateTime = fake.now();
    return ok(view(order, { origClientOrderId: order.clientOrderId, clientOrderId: `cancel-${order.orderId}`, transactTime: fake.now() }));
  }));
  fake.addRoute('GET', '/api/v3/openOrders', signed((p) => {
    const symbol = p.get('symbol');
    return ok(orders.filter((o) => (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') && (!symbol || o.symbol === symbol)).map((o) => view(o)));
  }));
  fake.addRoute('GET', '/api/v3/account', signed(() => ok({
    makerCommission: 10, takerCommission: 10, buyerCommission: 0, sellerCommission: 0, canTrade: true, canWithdraw: true,
    canDeposit: true, brokered: false, requireSelfTradePrevention: false, updateTime: fake.now(), accountType: 'SPOT',
    balances: [...balances].map(([asset, b]) => ({ asset, free: str(round(b.free)), locked: str(round(b.locked)) })),
    permissions: ['SPOT'], uid: 1,
  })));
  fake.addRoute('GET', '/api/v3/myTrades', signed((p) => {
    const symbol = p.get('symbol');
    if (!symbol) return reject(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    const orderId = p.get('orderId');
    return ok(trades.filter((t) => t.symbol === symbol && (!orderId || String(t.orderId) === orderId)).map((t) => ({
      symbol: t.symbol, id: t.id, orderId: t.orderId, orderListId: -1, price: str(t.price), qty: str(t.qty),
      quoteQty: str(round(t.price * t.qty)), commission: str(t.commission), commissionAsset: t.commissionAsset,
      time: t.time, isBuyer: t.isBuyer, isMaker: t.isMaker, isBestMatch: true,
    })));
  }));

  return {
    orders,
    balance: (asset) => ({ ...wallet(asset) }),
    setBalance: (asset, free) => {
      wallet(asset).free = free;
    },
    partialNext: (fraction) => {
      partials.push(fraction);
    },
    hangAfterAccept: (count = 1) => {
      hangs += count;
    },
    created: () => posts,
  };
}

function onGrid(value: number, step: number): boolean {
  const units = value / step;
  return Math.abs(units - Math.round(units)) < 1e-6;
}

function roundStep(value: number, step: number): number {
  return round(Math.floor(value / step + 1e-9) * step);
}

function round(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

function str(x: number): string {
  return String(round(x));
}
