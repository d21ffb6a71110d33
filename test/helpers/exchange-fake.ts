/**
 * A local Binance spot REST fake on node:http (127.0.0.1, random port) that ccxt's real `binance` class can talk
 * to. It serves REAL candles from data/samples, cut at a controllable clock, and can inject faults.
 *
 * Routes live in one table keyed "METHOD /path" so the order endpoints (order, openOrders, account, myTrades) can
 * be added later with `addRoute` without touching the server plumbing. Any request to a path not in the table
 * answers 404 and is listed in `unrouted`, so a test can prove ccxt never asked for something we did not expect.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Candle, Timeframe } from '../../src/engine/types.ts';
import { isTimeframe, timeframeMs } from '../../src/engine/market/timeframes.ts';
import { FaultQueue, faultBody, type FaultSpec } from './exchange-fake/faults.ts';
import {
  DEFAULT_MARKETS, DEFAULT_SERIES, bookTicker, exchangeInfo, klineRow, selectKlines, seriesCandles, ticker24hr,
  visibleCandles, type FakeMarket, type SeriesTable,
} from './exchange-fake/market-data.ts';

export type { FaultSpec } from './exchange-fake/faults.ts';
export type { FakeMarket, SeriesTable } from './exchange-fake/market-data.ts';
// The order endpoints (order, openOrders, account, myTrades) mount onto a running fake: mountOrderEndpoints(fake).
export { mountOrderEndpoints, type FakeOrders, type FakeOrderOptions } from './exchange-fake/orders.ts';
// The USDT-M futures venue (fapi routes, for ccxt's binanceusdm) mounts beside them: mountFuturesVenue(fake).
export { mountFuturesVenue, type FakeFutures, type FakeFuturesOptions } from './exchange-fake/futures.ts';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The handler did its work (e.g. stored an order) but the answer never comes: the client times out. */
  hang?: boolean;
}

export type RouteHandler = (request: FakeRequest, fake: ExchangeFake) => FakeResponse;

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number | 'hang';
  fault?: string;
}

export interface ExchangeFakeOptions {
  /** The fake's clock (epoch ms); candles opening after it do not exist yet. Default: Date.now(). */
  now?: number;
  series?: SeriesTable;
  markets?: FakeMarket[];
}

export interface ExchangeFake {
  /** Base URL, e.g. http://127.0.0.1:41234 — pass to the gateway as `urlsOverride`. */
  readonly url: string;
  readonly requests: LoggedRequest[];
  /** Requests whose METHOD+path matched no route. */
  readonly unrouted: LoggedRequest[];
  now(): number;
  setNow(ts: number): void;
  fault(spec: FaultSpec): void;
  pendingFaults(): number;
  /** Drops every queued fault: the exchange answers again. */
  clearFaults(): void;
  addRoute(method: string, path: string, handler: RouteHandler): void;
  market(symbolId: string): FakeMarket | undefined;
  /** Candles of a series as the fake would serve them now (closed ones + the forming one). */
  visible(symbolId: string, tf: Timeframe): Candle[];
  /** A hole in the exchange's own data: these candle open times are never served (Binance then returns no rows). */
  hideCandles(symbolId: string, tf: Timeframe, openTimes: readonly number[]): void;
  resetLog(): void;
  close(): Promise<void>;
}

const KLINES_MAX_LIMIT = 1000;
const KLINES_DEFAULT_LIMIT = 500;

export async function startExchangeFake(options: ExchangeFakeOptions = {}): Promise<ExchangeFake> {
  let clock = options.now ?? Date.now();
  const series = options.series ?? DEFAULT_SERIES;
  const markets = options.markets ?? DEFAULT_MARKETS;
  const routes = new Map<string, RouteHandler>();
  const faults = new FaultQueue();
  const requests: LoggedRequest[] = [];
  const unrouted: LoggedRequest[] = [];
  const holes = new Map<string, Set<number>>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const entry: LoggedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    requests.push(entry);

    const fault = faults.take(url.pathname);
    if (fault) {
      entry.fault = fault.kind === 'status' || fault.kind === 'raw' ? `status ${fault.status}` : fault.kind;
      if (fault.kind === 'hang') {
        entry.status = 'hang';
        return; // the socket stays open until the client gives up or the fake closes
      }
      if (fault.kind === 'malformed') {
        entry.status = 200;
        send(res, 200, '[[1720569600000,"58050.00000000","58050.0', {});
        return;
      }
      if (fault.kind === 'raw') {
        entry.status = fault.status;
        send(res, fault.status, fault.body, { 'Content-Type': fault.contentType ?? 'text/html' });
        return;
      }
      entry.status = fault.status;
      const headers: Record<string, string> = {};
      if (fault.retryAfterSec !== undefined) headers['Retry-After'] = String(fault.retryAfterSec);
      send(res, fault.status, JSON.stringify(fault.body ?? faultBody(fault.status)), headers);
      return;
    }

    const handler = routes.get(`${method} ${url.pathname}`);
    if (!handler) {
      entry.status = 404;
      unrouted.push(entry);
      send(res, 404, JSON.stringify({ code: -1, msg: `exchange fake has no route ${method} ${url.pathname}` }), {});
      return;
    }
    const answer = handler({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body }, fake);
    if (answer.hang) {
      entry.status = 'hang';
      return;
    }
    entry.status = answer.status;
    send(res, answer.status, JSON.stringify(answer.body), answer.headers ?? {});
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: ExchangeFake = {
    url: `http://127.0.0.1:${port}`,
    requests,
    unrouted,
    now: () => clock,
    setNow: (ts) => {
      clock = ts;
    },
    fault: (spec) => faults.add(spec),
    pendingFaults: () => faults.pending(),
    clearFaults: () => faults.clear(),
    addRoute: (method, path, handler) => {
      routes.set(`${method.toUpperCase()} ${path}`, handler);
    },
    market: (symbolId) => markets.find((m) => m.id === symbolId),
    visible: (symbolId, tf) => {
      const all = visibleCandles(seriesCandles(series, symbolId, tf) ?? [], tf, clock);
      const hidden = holes.get(`${symbolId} ${tf}`);
      return hidden ? all.filter((c) => !hidden.has(c.ts)) : all;
    },
    hideCandles: (symbolId, tf, openTimes) => {
      const key = `${symbolId} ${tf}`;
      holes.set(key, new Set([...(holes.get(key) ?? []), ...openTimes]));
    },
    resetLog: () => {
      requests.length = 0;
      unrouted.length = 0;
    },
    close: async () => {
      faults.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  for (const [key, handler] of Object.entries(publicRoutes(series, markets))) {
    const [method, path] = key.split(' ');
    fake.addRoute(method, path, handler);
  }
  return fake;
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
  res.end(body);
}

const ok = (body: unknown): FakeResponse => ({ status: 200, body });
const binanceError = (code: number, msg: string): FakeResponse => ({ status: 400, body: { code, msg } });
const INVALID_SYMBOL = binanceError(-1121, 'Invalid symbol.');

/** Binance spot public REST, the part ccxt's binance uses for markets, candles, tickers and clock. */
function publicRoutes(series: SeriesTable, markets: FakeMarket[]): Record<string, RouteHandler> {
  const latestCandle = (symbolId: string, fake: ExchangeFake): Candle[] => {
    const tf = Object.keys(series[symbolId] ?? {}).filter(isTimeframe).sort((a, b) => timeframeMs(a) - timeframeMs(b))[0];
    return tf ? fake.visible(symbolId, tf) : [];
  };
  const tickerRoute = (build: (id: string, visible: Candle[], tick: number, now: number) => unknown): RouteHandler =>
    (req, fake) => {
      const id = req.query.get('symbol') ?? '';
      const market = fake.market(id);
      const visible = latestCandle(id, fake);
      if (!market || visible.length === 0) return INVALID_SYMBOL;
      return ok(build(id, visible, Number(market.tickSize), fake.now()));
    };

  return {
    'GET /api/v3/ping': () => ok({}),
    'GET /api/v3/time': (_req, fake) => ok({ serverTime: fake.now() }),
    'GET /api/v3/exchangeInfo': (_req, fake) => ok(exchangeInfo(markets, fake.now())),
    'GET /api/v3/klines': (req, fake) => {
      const id = req.query.get('symbol');
      const interval = req.query.get('interval');
      if (!id) return binanceError(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
      if (!fake.market(id)) return INVALID_SYMBOL;
      if (!interval || !isTimeframe(interval)) return binanceError(-1120, 'Invalid interval.');
      const limit = Number(req.query.get('limit') ?? KLINES_DEFAULT_LIMIT);
      if (!Number.isInteger(limit) || limit < 1 || limit > KLINES_MAX_LIMIT) {
        return binanceError(-1130, "Data sent for parameter 'limit' is not valid.");
      }
      const startTime = optionalInt(req.query.get('startTime'));
      const endTime = optionalInt(req.query.get('endTime'));
      const rows = selectKlines(fake.visible(id, interval), { startTime, endTime, limit });
      return ok(rows.map((c) => klineRow(c, interval)));
    },
    'GET /api/v3/ticker/bookTicker': tickerRoute((id, visible, tick) => bookTicker(id, visible[visible.length - 1], tick)),
    'GET /api/v3/ticker/24hr': tickerRoute((id, visible, tick, now) =>
      ticker24hr(id, visible.filter((c) => c.ts > now - 86_400_000), tick, now)),
  };
}

function optionalInt(value: string | null): number | undefined {
  return value === null ? undefined : Number(value);
}
