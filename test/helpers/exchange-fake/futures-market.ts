/**
 * Binance USDT-M futures public REST (fapi) for the exchange fake: the part ccxt's `binanceusdm` uses for markets,
 * candles, tickers and the clock. Candles are the same real samples the spot routes serve (perpetual prices track
 * spot closely; the fake does not model the basis). Shapes follow Binance's fapi answers.
 */
import type { Candle } from '../../../src/engine/types.ts';
import { isTimeframe } from '../../../src/engine/market/timeframes.ts';
import type { ExchangeFake, FakeResponse, RouteHandler } from '../exchange-fake.ts';
import { klineRow, selectKlines, type FakeMarket } from './market-data.ts';

/**
 * Perpetual markets. Lot step, minimum quantity and minimum notional are Binance's (BTCUSDT: 0.001, 100 USDT);
 * the tick is 0.01 rather than Binance's 0.10 so the broker contract's prices (cents) are valid on both venues.
 */
export const FUTURES_MARKETS: FakeMarket[] = [
  { id: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.001', minQty: '0.001', minNotional: '100' },
  { id: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.001', minQty: '0.001', minNotional: '20' },
];

const ok = (body: unknown): FakeResponse => ({ status: 200, body });
export const futuresError = (code: number, msg: string, status = 400): FakeResponse => ({ status, body: { code, msg } });
const INVALID_SYMBOL = futuresError(-1121, 'Invalid symbol.');
const KLINES_MAX_LIMIT = 1500;

export function futuresExchangeInfo(markets: FakeMarket[], now: number): unknown {
  return {
    timezone: 'UTC',
    serverTime: now,
    futuresType: 'U_MARGINED',
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 }],
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: markets.map((m) => ({
      symbol: m.id, pair: m.id, contractType: 'PERPETUAL', deliveryDate: 4133404800000, onboardDate: 1569398400000,
      status: m.status ?? 'TRADING', maintMarginPercent: '2.5000', requiredMarginPercent: '5.0000', baseAsset: m.base,
      quoteAsset: m.quote, marginAsset: m.quote, pricePrecision: 2, quantityPrecision: 3, baseAssetPrecision: 8, quotePrecision: 8,
      underlyingType: 'COIN', underlyingSubType: ['PoW'], settlePlan: 0, triggerProtect: '0.0500', liquidationFee: '0.012500',
      marketTakeBound: '0.05', maxMoveOrderLimit: 10000,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '556.80', maxPrice: '4529764', tickSize: m.tickSize },
        { filterType: 'LOT_SIZE', stepSize: m.stepSize, maxQty: '1000', minQty: m.minQty },
        { filterType: 'MARKET_LOT_SIZE', stepSize: m.stepSize, maxQty: '120', minQty: m.minQty },
        { filterType: 'MAX_NUM_ORDERS', limit: 200 },
        { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
        { filterType: 'MIN_NOTIONAL', notional: m.minNotional },
        { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
      ],
      orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    })),
  };
}

/** Routes "METHOD /fapi/..." → handler; `visible` gives the candles of a market's shortest series at the fake's clock. */
export function futuresPublicRoutes(markets: FakeMarket[], visible: (id: string, fake: ExchangeFake) => Candle[]): Record<string, RouteHandler> {
  const known = (id: string) => markets.find((m) => m.id === id);
  return {
    'GET /fapi/v1/ping': () => ok({}),
    'GET /fapi/v1/time': (_req, fake) => ok({ serverTime: fake.now() }),
    'GET /fapi/v1/exchangeInfo': (_req, fake) => ok(futuresExchangeInfo(markets, fake.now())),
    'GET /fapi/v1/klines': (req, fake) => {
      const id = req.query.get('symbol') ?? '';
      const interval = req.query.get('interval');
      if (!known(id)) return INVALID_SYMBOL;
      if (!interval || !isTimeframe(interval)) return futuresError(-1120, 'Invalid interval.');
      const limit = Number(req.query.get('limit') ?? 500);
      if (!Number.isInteger(limit) || limit < 1 || limit > KLINES_MAX_LIMIT) return futuresError(-1130, "Data sent for parameter 'limit' is not valid.");
      const opt = (name: string) => (req.query.get(name) === null ? undefined : Number(req.query.get(name)));
      return ok(selectKlines(fake.visible(id, interval), { startTime: opt('startTime'), endTime: opt('endTime'), limit }).map((c) => klineRow(c, interval)));
    },
    'GET /fapi/v1/ticker/24hr': (req, fake) => {
      const id = req.query.get('symbol') ?? '';
      const day = visible(id, fake).filter((c) => c.ts > fake.now() - 86_400_000);
      if (!known(id) || day.length === 0) return INVALID_SYMBOL;
      const last = day[day.length - 1];
      const volume = day.reduce((s, c) => s + c.volume, 0);
      return ok({
        symbol: id, priceChange: String(last.close - day[0].open), priceChangePercent: String(((last.close - day[0].open) / day[0].open) * 100),
        weightedAvgPrice: String(last.close), lastPrice: String(last.close), lastQty: '0.010', openPrice: String(day[0].open),
        highPrice: String(Math.max(...day.map((c) => c.high))), lowPrice: String(Math.min(...day.map((c) => c.low))),
        volume: String(volume), quoteVolume: String(volume * last.close), openTime: day[0].ts, closeTime: fake.now(), firstId: 1, lastId: 100, count: 100,
      });
    },
    'GET /fapi/v1/leverageBracket': (req) => {
      const id = req.query.get('symbol');
      const list = markets.filter((m) => !id || m.id === id).map((m) => ({
        symbol: m.id, notionalCoef: 1,
        brackets: [{ bracket: 1, initialLeverage: 125, notionalCap: 50_000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0 }],
      }));
      return ok(list);
    },
  };
}
