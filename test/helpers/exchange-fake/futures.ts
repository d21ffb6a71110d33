/**
 * A Binance USDT-M futures venue for the exchange fake, for ccxt's real `binanceusdm` class: one-way mode, isolated
 * margin, one USDT wallet. Mount it on a running fake with `mountFuturesVenue(fake)`; the spot routes stay as they are.
 *
 * Orders as Binance has them since conditional orders moved to the algo service: MARKET and LIMIT go to
 * /fapi/v1/order, STOP_MARKET / TAKE_PROFIT_MARKET to /fapi/v1/algoOrder (a conditional order sent to /fapi/v1/order
 * is refused with -4120). A triggered conditional order places a MARKET order in the book (its actualOrderId) and
 * becomes FINISHED. Matching as the spot fake does it: a MARKET order fills at the open of the candle containing the
 * clock (buy one tick above, sell one tick below); resting LIMITs and conditional orders are matched against the
 * closed candles that opened at or after they were placed, before every signed request; a triggered stop fills at
 * its trigger, or at the open when the candle gapped through it. Commission on the notional, in USDT.
 *
 * Refusals with Binance futures' codes and texts: -2019 Margin is insufficient., -2021 Order would immediately
 * trigger., -2022 ReduceOnly Order is rejected., -4164 minimum notional, -1111 precision, -4028 leverage,
 * -4046 No need to change margin type., -2013 / -2011 unknown orders, -1121 Invalid symbol.
 */
import type { Timeframe } from '../../../src/engine/types.ts';
import type { ExchangeFake, FakeRequest, FakeResponse } from '../exchange-fake.ts';
import { FUTURES_MARKETS, futuresError as reject, futuresPublicRoutes } from './futures-market.ts';
import type { FakeMarket } from './market-data.ts';
import { FuturesBook, type FuturesOrder } from './futures-book.ts';
import { accountView, algoView, orderView, positionRiskView, tradesView } from './futures-views.ts';

export interface FakeFuturesOptions {
  /** Starting USDT wallet balance. */
  balance?: number;
  /** Commission rate per fill (default 0.05 %, Binance's USDT-M taker rate). */
  commission?: number;
  timeframe?: Timeframe;
  markets?: FakeMarket[];
}

export interface FakeFutures {
  readonly book: FuturesBook;
  partialNext(fraction: number): void;
  /** POST /fapi/v1/order and /fapi/v1/algoOrder requests received (accepted or not). */
  created(): number;
}

const ok = (body: unknown): FakeResponse => ({ status: 200, body });
const CONDITIONAL = ['STOP_MARKET', 'TAKE_PROFIT_MARKET', 'STOP', 'TAKE_PROFIT', 'TRAILING_STOP_MARKET'];

export function mountFuturesVenue(fake: ExchangeFake, options: FakeFuturesOptions = {}): FakeFutures {
  const tf = options.timeframe ?? '1h';
  const markets = options.markets ?? FUTURES_MARKETS;
  const market = (id: string) => markets.find((m) => m.id === id);
  const book = new FuturesBook(fake, tf, markets, options.balance ?? 10_000, options.commission ?? 0.0005);
  let posts = 0;

  for (const [key, handler] of Object.entries(futuresPublicRoutes(markets, (id, f) => f.visible(id, tf)))) {
    const [method, path] = key.split(' ');
    fake.addRoute(method, path, handler);
  }

  const signed = (handler: (p: URLSearchParams) => FakeResponse) => (req: FakeRequest): FakeResponse => {
    if (!req.headers['x-mbx-apikey']) return { status: 401, body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' } };
    const params = new URLSearchParams(req.query);
    for (const [key, value] of new URLSearchParams(req.body)) params.set(key, value);
    book.match();
    return handler(params);
  };

  /** Checks shared by both order endpoints; undefined when the order may be placed. */
  const check = (p: URLSearchParams, m: FakeMarket | undefined, qty: number, price: number | undefined): FakeResponse | undefined => {
    if (!m) return reject(-1121, 'Invalid symbol.');
    if (!(qty >= Number(m.minQty)) || !onGrid(qty, Number(m.stepSize))) return reject(-1111, 'Precision is over the maximum defined for this asset.');
    if (price !== undefined && !onGrid(price, Number(m.tickSize))) return reject(-1111, 'Precision is over the maximum defined for this asset.');
    if (p.get('positionSide') && p.get('positionSide') !== 'BOTH') return reject(-4061, "Order's position side does not match user's setting.");
    return undefined;
  };

  const createOrder = (p: URLSearchParams): FakeResponse => {
    posts += 1;
    const id = p.get('symbol') ?? '';
    const type = p.get('type') ?? '';
    if (CONDITIONAL.includes(type)) return reject(-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.');
    if (type !== 'MARKET' && type !== 'LIMIT') return reject(-1116, 'Invalid orderType.');
    const qty = Number(p.get('quantity'));
    const price = type === 'LIMIT' ? Number(p.get('price')) : undefined;
    const refused = check(p, market(id), qty, price);
    if (refused) return refused;
    return book.place({
      symbol: id, side: p.get('side') as FuturesOrder['side'], type: type as 'MARKET' | 'LIMIT', qty, price: price ?? 0, stopPrice: 0,
      reduceOnly: p.get('reduceOnly') === 'true', clientOrderId: p.get('newClientOrderId') ?? `fake-${posts}`,
    });
  };

  const createAlgo = (p: URLSearchParams): FakeResponse => {
    posts += 1;
    if (p.get('algoType') !== 'CONDITIONAL') return reject(-1102, "Mandatory parameter 'algoType' was not sent, was empty/null, or malformed.");
    const id = p.get('symbol') ?? '';
    const type = p.get('type') ?? '';
    if (type !== 'STOP_MARKET' && type !== 'TAKE_PROFIT_MARKET') return reject(-1116, 'Invalid orderType.');
    const qty = Number(p.get('quantity'));
    const trigger = Number(p.get('triggerPrice'));
    const refused = check(p, market(id), qty, trigger);
    if (refused) return refused;
    return book.placeAlgo({
      symbol: id, side: p.get('side') as FuturesOrder['side'], type, qty, price: 0, stopPrice: trigger,
      reduceOnly: p.get('reduceOnly') === 'true', clientOrderId: p.get('clientAlgoId') ?? `fake-algo-${posts}`,
    });
  };

  fake.addRoute('POST', '/fapi/v1/order', signed(createOrder));
  fake.addRoute('GET', '/fapi/v1/order', signed((p) => {
    const order = book.find(p.get('symbol'), p.get('origClientOrderId'), p.get('orderId'));
    return order ? ok(orderView(order)) : reject(-2013, 'Order does not exist.');
  }));
  fake.addRoute('DELETE', '/fapi/v1/order', signed((p) => book.cancel(book.find(p.get('symbol'), p.get('origClientOrderId'), p.get('orderId')))));
  fake.addRoute('GET', '/fapi/v1/openOrders', signed((p) => ok(book.open(p.get('symbol'), false).map((o) => orderView(o)))));
  fake.addRoute('POST', '/fapi/v1/algoOrder', signed(createAlgo));
  fake.addRoute('GET', '/fapi/v1/algoOrder', signed((p) => {
    const order = book.findAlgo(p.get('clientAlgoId'), p.get('algoId'));
    return order ? ok(algoView(book, order)) : reject(-2013, 'Order does not exist.');
  }));
  fake.addRoute('DELETE', '/fapi/v1/algoOrder', signed((p) => book.cancelAlgo(book.findAlgo(p.get('clientAlgoId'), p.get('algoId')))));
  fake.addRoute('GET', '/fapi/v1/openAlgoOrders', signed((p) => ok(book.open(p.get('symbol'), true).map((o) => algoView(book, o)))));
  fake.addRoute('GET', '/fapi/v1/userTrades', signed((p) => {
    const symbol = p.get('symbol');
    if (!symbol) return reject(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    return ok(tradesView(book, symbol, p.get('orderId')));
  }));
  fake.addRoute('GET', '/fapi/v3/account', signed(() => ok(accountView(book))));
  fake.addRoute('GET', '/fapi/v3/positionRisk', signed((p) => ok(positionRiskView(book, p.get('symbol')))));
  fake.addRoute('POST', '/fapi/v1/leverage', signed((p) => {
    const id = p.get('symbol') ?? '';
    const leverage = Number(p.get('leverage'));
    if (!market(id)) return reject(-1121, 'Invalid symbol.');
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > 125) return reject(-4028, `Leverage ${p.get('leverage')} is not valid`);
    book.position(id).leverage = leverage;
    return ok({ leverage, maxNotionalValue: '1000000', symbol: id });
  }));
  fake.addRoute('POST', '/fapi/v1/marginType', signed((p) => {
    const id = p.get('symbol') ?? '';
    const type = p.get('marginType');
    if (!market(id)) return reject(-1121, 'Invalid symbol.');
    if (type !== 'ISOLATED' && type !== 'CROSSED') return reject(-1102, "Mandatory parameter 'marginType' was not sent, was empty/null, or malformed.");
    const position = book.position(id);
    if (position.marginType === type) return reject(-4046, 'No need to change margin type.');
    if (position.amt !== 0) return reject(-4048, 'Margin type cannot be changed if there exists position.');
    position.marginType = type;
    return ok({ code: 200, msg: 'success' });
  }));

  return {
    book,
    partialNext: (fraction) => book.partials.push(fraction),
    created: () => posts,
  };
}

function onGrid(value: number, step: number): boolean {
  const units = value / step;
  return Math.abs(units - Math.round(units)) < 1e-6;
}
