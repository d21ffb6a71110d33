/**
 * Market data the exchange fake serves: real candles from data/samples/*.csv, cut at the fake's clock.
 * Binance semantics mirrored here: klines are keyed by OPEN time; the candle whose period contains `now` is
 * still forming, so it is served as a partial candle that differs from the final row in the file.
 */
import { loadSampleCandles } from '../candles.ts';
import type { Candle, Timeframe } from '../../../src/engine/types.ts';
import { timeframeMs } from '../../../src/engine/market/timeframes.ts';

/** Binance symbol id → timeframe → sample file name (data/samples, without .csv). */
export type SeriesTable = Record<string, Partial<Record<Timeframe, string>>>;

export interface FakeMarket {
  id: string;
  base: string;
  quote: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  minNotional: string;
  status?: 'TRADING' | 'BREAK';
}

export const DEFAULT_SERIES: SeriesTable = {
  BTCUSDT: {
    '15m': 'binance_BTCUSDT_15m',
    '1h': 'binance_BTCUSDT_1h_2024-07',
    '4h': 'binance_BTCUSDT_4h_2024-07',
    '1d': 'binance_BTCUSDT_1d_2024-07',
  },
  ETHUSDT: {
    '15m': 'binance_ETHUSDT_15m_2023-04',
    '1h': 'binance_ETHUSDT_1h_2023-04',
  },
};

export const DEFAULT_MARKETS: FakeMarket[] = [
  { id: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', minNotional: '5' },
  { id: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001', minQty: '0.0001', minNotional: '5' },
];

/** Lazily loaded candle files, shared by all fakes in a test process (the CSVs never change). */
const fileCache = new Map<string, Candle[]>();

export function seriesCandles(series: SeriesTable, symbolId: string, tf: Timeframe): Candle[] | undefined {
  const file = series[symbolId]?.[tf];
  if (!file) return undefined;
  let candles = fileCache.get(file);
  if (!candles) {
    candles = loadSampleCandles(file);
    fileCache.set(file, candles);
  }
  return candles;
}

/**
 * The partial version of a candle at `now`: the open is final, the rest is what a trader would have seen part-way
 * through. Close sits halfway between open and final close and volume is pro-rated, so a test that mistakes it
 * for the closed candle fails.
 */
export function formingCandle(final: Candle, tf: Timeframe, now: number): Candle {
  const fraction = Math.max(0.01, Math.min(0.99, (now - final.ts) / timeframeMs(tf)));
  const close = round8((final.open + final.close) / 2 + (final.high - final.low) * 0.01 + 0.01);
  return {
    ts: final.ts,
    open: final.open,
    high: Math.max(final.open, close),
    low: Math.min(final.open, close),
    close,
    volume: round8(final.volume * fraction),
  };
}

/** Candles visible at `now`: every closed one plus the forming one (if the file has that period). */
export function visibleCandles(all: Candle[], tf: Timeframe, now: number): Candle[] {
  const ms = timeframeMs(tf);
  const end = upperBound(all, now);
  const visible = all.slice(0, end);
  const last = visible[visible.length - 1];
  if (last && last.ts + ms > now) visible[visible.length - 1] = formingCandle(last, tf, now);
  return visible;
}

export interface KlineQuery {
  startTime?: number;
  endTime?: number;
  limit: number;
}

/**
 * Binance's /api/v3/klines selection: with startTime, the first `limit` candles opening at or after it (and at or
 * before endTime); with only endTime, the last `limit` opening at or before it; with neither, the latest `limit`.
 */
export function selectKlines(visible: Candle[], query: KlineQuery): Candle[] {
  const { startTime, endTime, limit } = query;
  const to = endTime === undefined ? visible.length : upperBound(visible, endTime);
  if (startTime !== undefined) {
    const from = lowerBound(visible, startTime);
    return visible.slice(from, Math.min(to, from + limit));
  }
  return visible.slice(Math.max(0, to - limit), to);
}

/** A kline row exactly as Binance sends it: numbers as strings, plus close time and volume breakdowns. */
export function klineRow(c: Candle, tf: Timeframe): unknown[] {
  const quoteVolume = round8(c.volume * c.close);
  return [c.ts, str(c.open), str(c.high), str(c.low), str(c.close), str(c.volume), c.ts + timeframeMs(tf) - 1,
    str(quoteVolume), 100, str(round8(c.volume / 2)), str(round8(quoteVolume / 2)), '0'];
}

export function exchangeInfo(markets: FakeMarket[], now: number): unknown {
  return {
    timezone: 'UTC',
    serverTime: now,
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
    exchangeFilters: [],
    symbols: markets.map((m) => ({
      symbol: m.id,
      status: m.status ?? 'TRADING',
      baseAsset: m.base,
      baseAssetPrecision: 8,
      quoteAsset: m.quote,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
      icebergAllowed: true,
      ocoAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: m.tickSize, maxPrice: '1000000.00', tickSize: m.tickSize },
        { filterType: 'LOT_SIZE', minQty: m.minQty, maxQty: '9000.00000000', stepSize: m.stepSize },
        { filterType: 'NOTIONAL', minNotional: m.minNotional, applyMinToMarket: true, maxNotional: '9000000.00' },
      ],
      permissions: [],
      permissionSets: [['SPOT']],
      defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
      allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
    })),
  };
}

/** Best bid/ask around the latest visible price: one tick either side, so spread checks have something to see. */
export function bookTicker(symbolId: string, last: Candle, tickSize: number): Record<string, string> {
  return {
    symbol: symbolId,
    bidPrice: str(round8(last.close - tickSize)),
    bidQty: '1.50000000',
    askPrice: str(round8(last.close + tickSize)),
    askQty: '2.00000000',
  };
}

export function ticker24hr(symbolId: string, day: Candle[], tickSize: number, now: number): Record<string, unknown> {
  const last = day[day.length - 1];
  const first = day[0];
  const volume = round8(day.reduce((sum, c) => sum + c.volume, 0));
  return {
    ...bookTicker(symbolId, last, tickSize),
    priceChange: str(round8(last.close - first.open)),
    priceChangePercent: str(round8(((last.close - first.open) / first.open) * 100)),
    weightedAvgPrice: str(last.close),
    prevClosePrice: str(first.open),
    lastPrice: str(last.close),
    lastQty: '0.01000000',
    openPrice: str(first.open),
    highPrice: str(Math.max(...day.map((c) => c.high))),
    lowPrice: str(Math.min(...day.map((c) => c.low))),
    volume: str(volume),
    quoteVolume: str(round8(volume * last.close)),
    openTime: first.ts,
    closeTime: now,
    firstId: 1,
    lastId: 100,
    count: 100,
  };
}

/** Index of the first candle with ts >= t. */
function lowerBound(candles: Candle[], t: number): number {
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (candles[mid].ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first candle with ts > t. */
function upperBound(candles: Candle[], t: number): number {
  return lowerBound(candles, t + 1);
}

function round8(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

function str(x: number): string {
  return String(x);
}
