/**
 * The exchange gateway: the ONLY module that talks to ccxt (house style rule 1). Everything past it sees plain,
 * sorted, closed Candles and ITA's own error classes.
 *
 * ccxt costs ~0.5 s and ~130 MB to import, so it is loaded inside `createGateway`, never at module load.
 */
import type { Exchange } from 'ccxt';
import type { AccountType, Candle, Timeframe } from '../types.ts';
import { ClockSkewError, ConfigError, ExchangeUnavailableError, InputError } from '../errors.ts';
import { silentLogger, type Logger } from '../../logger.ts';
import { timeframeMs } from './timeframes.ts';
import { closedOnly, sortUnique, toCandles } from './gateway/candles.ts';
import { BadExchangeDataError } from './gateway/bad-data.ts';
import { mapCcxtError, parseRetryAfter, where, type CallContext, type CcxtModule } from './gateway/errors.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './gateway/retry.ts';
import { listUrls, overrideUrls } from './gateway/urls.ts';
import { backfillPages, type BackfillProgress } from './gateway/backfill.ts';
import {
  checkOrderRequest, lookupOrder, sendOrder, toExchangeOrder, toExchangeTrade,
  type ExchangeOrder, type ExchangeTrade, type OrderRequest,
} from './gateway/orders.ts';

export type { BackfillProgress } from './gateway/backfill.ts';
export type { RetryPolicy } from './gateway/retry.ts';
export type { ExchangeOrder, ExchangeOrderStatus, ExchangeTrade, OrderRequest } from './gateway/orders.ts';

export interface BalanceEntry {
  free: number;
  used: number;
  total: number;
}

export interface GatewayOptions {
  /** A ccxt exchange id, e.g. "binance". */
  exchangeId: string;
  apiKey?: string;
  secret?: string;
  /** Use the exchange's testnet (ccxt setSandboxMode). Not paper trading: orders there are real testnet orders. */
  sandbox?: boolean;
  /** Send every REST request to this base URL instead (e.g. a local fake); any other host is refused. */
  urlsOverride?: string;
  /** The clock that decides which candle is still forming. */
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  /** ccxt request timeout. */
  timeoutMs?: number;
  /** ccxt's client-side throttle; keep it on against real exchanges. */
  enableRateLimit?: boolean;
  /** Candles per request when backfilling; default: what ccxt says the exchange allows, else 500. */
  pageLimit?: number;
  /** spot (default) or perp: USDT-margined perpetual futures through the exchange's futures class (binance → binanceusdm). */
  account?: AccountType;
}

/** ccxt's USDT-margined futures class of an exchange id (its own hosts, e.g. Binance's fapi). */
const PERP_CLASSES: Record<string, string> = { binance: 'binanceusdm', binanceusdm: 'binanceusdm' };

export function ccxtClassFor(exchangeId: string, account: AccountType = 'spot'): string {
  if (account === 'spot') return exchangeId;
  const perp = PERP_CLASSES[exchangeId];
  if (!perp) {
    throw new ConfigError(`perp accounts are supported on ${Object.keys(PERP_CLASSES).join(', ')}; "${exchangeId}" has no USDT-M futures class here`, { field: 'exchange.account', value: exchangeId });
  }
  return perp;
}

export interface MarketInfo {
  symbol: string;
  id: string;
  base: string;
  quote: string;
  type: string;
  active: boolean;
  precision: { price?: number; amount?: number };
  limits: {
    amount: { min?: number; max?: number };
    price: { min?: number; max?: number };
    cost: { min?: number; max?: number };
  };
}

export interface TickerQuote {
  symbol: string;
  ts: number;
  bid?: number;
  ask?: number;
  last?: number;
}

/** A futures account's net position on one symbol (one-way mode). */
export interface ExchangePosition {
  symbol: string;
  side: 'long' | 'short';
  amount: number;
  entryPrice: number;
  leverage?: number;
}

export interface ExchangeGateway {
  readonly exchangeId: string;
  /** spot, or perp (the exchange's USDT-M futures class). */
  readonly account: AccountType;
  /** Distinct scheme://host of every REST base the gateway may call (shows testnet vs live vs override). */
  readonly apiOrigins: string[];
  loadMarkets(): Promise<MarketInfo[]>;
  /** The latest `limit` CLOSED candles, ascending. */
  fetchClosedCandles(symbol: string, tf: Timeframe, limit: number): Promise<Candle[]>;
  /** Closed candles with since <= ts < until (default: now), page by page, ascending and de-duplicated. */
  backfill(symbol: string, tf: Timeframe, since: number, until?: number, onPage?: (progress: BackfillProgress) => void): Promise<Candle[]>;
  fetchTicker(symbol: string): Promise<TickerQuote>;
  /**
   * Places an order idempotently by `request.clientOrderId`: after an ambiguous failure (timeout, 5xx) the retry
   * looks the order up first and re-sends only if the exchange does not have it (see gateway/orders.ts).
   */
  createOrder(request: OrderRequest): Promise<ExchangeOrder>;
  /** The order with this clientOrderId, or undefined if the exchange does not know it. `trigger`: a futures stop. */
  fetchOrder(symbol: string, clientOrderId: string, options?: { trigger?: boolean }): Promise<ExchangeOrder | undefined>;
  /** Cancels by clientOrderId; an order that already filled or was cancelled comes back as it is. */
  cancelOrder(symbol: string, clientOrderId: string, options?: { trigger?: boolean }): Promise<ExchangeOrder>;
  /**
   * This host's clock (the gateway's `now`) minus the exchange's, in ms (positive: ahead), measured now from the
   * exchange's time endpoint. (ccxt corrects signed requests separately, at every market load.)
   */
  measureClockOffset(): Promise<number>;
  /** Open orders of one symbol, or of the whole account (on futures: the conditional ones as well). */
  fetchOpenOrders(symbol?: string): Promise<ExchangeOrder[]>;
  /** Futures only: sets the symbol's leverage (and isolated margin); answers the leverage the exchange confirmed. */
  setLeverage(symbol: string, leverage: number): Promise<number>;
  /** Futures only: open positions. */
  fetchPositions(): Promise<ExchangePosition[]>;
  /** Non-zero balances by asset. */
  fetchBalances(): Promise<Record<string, BalanceEntry>>;
  /** The account's trades on `symbol` (those of one order with `orderId`), with their fees. */
  fetchMyTrades(symbol: string, options?: { orderId?: string; since?: number }): Promise<ExchangeTrade[]>;
  close(): Promise<void>;
}

/** Per-exchange settings ITA needs (Freqtrade-style capability table). */
const EXCHANGE_DEFAULTS: Record<string, Record<string, unknown>> = {
  // ITA trades spot; without `types` binance also loads futures/delivery markets from other hosts. With API keys
  // ccxt would also call private wallet and margin endpoints on every market load; spot precision and limits
  // come from exchangeInfo, so those calls only add latency and permission failures.
  // Reconciliation asks for the whole account's open orders, which ccxt's binance refuses unless told it is meant.
  binance: {
    options: {
      defaultType: 'spot', fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false,
      warnOnFetchOpenOrdersWithoutSymbol: false,
      // Signed requests carry this host's time; Binance refuses them (-1021) when it runs ahead. ccxt measures the
      // offset from the exchange's clock at every market load, and a 10 s receive window absorbs network jitter.
      adjustForTimeDifference: true, recvWindow: 10_000,
    },
  },
  // USDT-M perpetuals: only linear markets (fapi hosts), no wallet/margin calls on market load.
  binanceusdm: {
    options: {
      fetchMarkets: { types: ['linear'] }, fetchCurrencies: false, fetchMargins: false, warnOnFetchOpenOrdersWithoutSymbol: false,
      // The same clock handling as spot: signed futures requests are refused (-1021) when this host runs ahead.
      adjustForTimeDifference: true, recvWindow: 10_000,
    },
  },
};

const FALLBACK_PAGE_LIMIT = 500;

export async function createGateway(options: GatewayOptions): Promise<ExchangeGateway> {
  const ccxt = (await import('ccxt')).default as unknown as CcxtModule & Record<string, unknown>;
  const exchangeId = ccxtClassFor(options.exchangeId, options.account);
  const ExchangeClass = (ccxt as unknown as { exchanges: string[] }).exchanges.includes(exchangeId)
    ? (ccxt[exchangeId] as new (config: Record<string, unknown>) => Exchange)
    : undefined;
  if (!ExchangeClass) throw new ConfigError(`unknown exchange "${exchangeId}" (not a ccxt exchange id)`, { field: 'exchangeId', value: exchangeId });

  const exchange = new ExchangeClass({
    ...EXCHANGE_DEFAULTS[exchangeId],
    apiKey: options.apiKey,
    secret: options.secret,
    enableRateLimit: options.enableRateLimit ?? true,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
  if (options.sandbox) enableSandbox(exchange);
  if (options.urlsOverride) overrideUrls(exchange as unknown as Parameters<typeof overrideUrls>[0], options.urlsOverride);

  const now = options.now ?? Date.now;
  const logger = (options.logger ?? silentLogger).child({ exchange: exchangeId });
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const secrets = [options.apiKey, options.secret].filter((s): s is string => typeof s === 'string' && s.length > 0);
  const pageLimit = options.pageLimit ?? featureLimit(exchange) ?? FALLBACK_PAGE_LIMIT;
  let markets: Promise<MarketInfo[]> | undefined;
  let closed = false;

  const call = <T>(method: string, symbol: string | undefined, tf: Timeframe | undefined, op: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new ConfigError(`${exchangeId} ${method}: the gateway is closed`));
    const context: CallContext = { exchangeId, method, symbol, timeframe: tf, secrets };
    const classify = (raw: unknown): unknown => {
      if (raw instanceof BadExchangeDataError) {
        return new ExchangeUnavailableError(`${where(context)}: exchange sent malformed data (${raw.message})`,
          { exchange: exchangeId, method, symbol }, { cause: raw });
      }
      const rateLimited = raw instanceof ccxt.RateLimitExceeded || raw instanceof ccxt.DDoSProtection;
      const retryAfter = rateLimited ? parseRetryAfter(exchange.last_response_headers?.['Retry-After'], now()) : undefined;
      return mapCcxtError(ccxt, raw, context, retryAfter) ?? raw;
    };
    const attempt = () => withRetry(op, classify, policy, ({ attempt, delayMs, error }) =>
      logger.warn('exchange call failed, retrying', { method, symbol, attempt, delayMs, error: error.message }));
    // A clock-skew refusal is retried once after measuring the exchange's clock again (the host clock may have
    // jumped since the last market load); a second refusal goes to the trader as a ClockSkewError.
    return attempt().catch(async (error: unknown) => {
      const resync = (exchange as unknown as { loadTimeDifference?: () => Promise<unknown> }).loadTimeDifference;
      if (!(error instanceof ClockSkewError) || typeof resync !== 'function') throw error;
      logger.warn('exchange refused our timestamp; re-measuring the clock offset', { method, error: error.message });
      await resync.call(exchange).catch((e: unknown) => { throw classify(e); });
      return attempt();
    });
  };

  const requireLimit = (limit: number, field: string): void => {
    if (!Number.isInteger(limit) || limit < 1) throw new InputError(`${field} must be a positive integer, got ${limit}`, { field, value: limit });
  };

  // Markets go through our own retrying load first; otherwise ccxt would load them implicitly and, on failure,
  // keep failing every later call (see loadMarkets).
  const fetchPage = async (symbol: string, tf: Timeframe, since: number | undefined, limit: number, method: string): Promise<Candle[]> => {
    await gateway.loadMarkets();
    return call(method, symbol, tf, async () => toCandles(await exchange.fetchOHLCV(symbol, tf, since, limit)));
  };

  const futures = options.account === 'perp';
  const requireFutures = (method: string): void => {
    if (!futures) throw new ConfigError(`${exchangeId} ${method}: only a perp (futures) gateway has positions and leverage`, { field: 'account', value: 'spot' });
  };

  const gateway: ExchangeGateway = {
    exchangeId,
    account: futures ? 'perp' : 'spot',
    apiOrigins: [...new Set(listUrls(exchange.urls.api).map((url) => url.replace(/^([a-z]+:\/\/[^/]+).*$/i, '$1')))],

    loadMarkets() {
      if (markets) return markets;
      // reload=true on every try: ccxt caches a FAILED load promise too, so a plain retry would replay the failure.
      const loading = call('loadMarkets', undefined, undefined, async () => compactMarkets(await exchange.loadMarkets(true)));
      markets = loading;
      // A failed load must not poison the cache for the next caller.
      loading.catch(() => {
        if (markets === loading) markets = undefined;
      });
      return loading;
    },

    async fetchClosedCandles(symbol, tf, limit) {
      requireLimit(limit, 'limit');
      if (limit + 1 > pageLimit) {
        // More than one page: walk forward from far enough back, then keep the newest `limit`.
        const since = now() - (limit + 1) * timeframeMs(tf);
        return (await gateway.backfill(symbol, tf, since)).slice(-limit);
      }
      // One extra, because the newest row is usually the forming candle that gets dropped.
      const page = await fetchPage(symbol, tf, undefined, limit + 1, 'fetchClosedCandles');
      return closedOnly(sortUnique(page), tf, now()).slice(-limit);
    },

    async backfill(symbol, tf, since, until, onPage) {
      if (!Number.isFinite(since)) throw new InputError(`backfill start must be a time in epoch ms, got ${since}`, { field: 'since', value: since });
      return backfillPages({
        since,
        until: Math.min(until ?? Infinity, now()),
        tf,
        pageLimit,
        now,
        fetchPage: (cursor) => fetchPage(symbol, tf, cursor, pageLimit, 'backfill'),
        onPage,
      });
    },

    async fetchTicker(symbol) {
      await gateway.loadMarkets();
      return call('fetchTicker', symbol, undefined, async () => {
        const t = await exchange.fetchTicker(symbol);
        return { symbol: t.symbol ?? symbol, ts: t.timestamp ?? now(), bid: num(t.bid), ask: num(t.ask), last: num(t.last) };
      });
    },

    async createOrder(request) {
      checkOrderRequest(request);
      await gateway.loadMarkets();
      let sent = false;
      return call('createOrder', request.symbol, undefined, async () => {
        if (sent) {
          const existing = await lookupOrder(ccxt, exchange, request.symbol, request.clientOrderId, request.type === 'stop-market');
          if (existing) {
            logger.info('order found after an ambiguous failure; not sending it again', { clientOrderId: request.clientOrderId });
            return existing;
          }
        }
        sent = true;
        return sendOrder(exchange, request);
      });
    },

    async fetchOrder(symbol, clientOrderId, fetchOptions = {}) {
      await gateway.loadMarkets();
      return call('fetchOrder', symbol, undefined, () => lookupOrder(ccxt, exchange, symbol, clientOrderId, fetchOptions.trigger === true));
    },

    async cancelOrder(symbol, clientOrderId, cancelOptions = {}) {
      await gateway.loadMarkets();
      const trigger = cancelOptions.trigger === true;
      return call('cancelOrder', symbol, undefined, async () => {
        try {
          const answer = await exchange.cancelOrder(undefined as unknown as string, symbol, trigger ? { clientOrderId, trigger: true } : { clientOrderId });
          // Binance's algo service answers a cancel with {code, msg} only: read the order back for its state.
          if (trigger) return (await lookupOrder(ccxt, exchange, symbol, clientOrderId, true)) ?? toExchangeOrder(answer, { clientOrderId, symbol });
          return toExchangeOrder(answer, { clientOrderId, symbol });
        } catch (error) {
          if (!(error instanceof ccxt.BaseError) || error instanceof ccxt.NetworkError) throw error;
          // Binance answers -2011 "Unknown order sent." for an order that already filled or was cancelled.
          const current = await lookupOrder(ccxt, exchange, symbol, clientOrderId, trigger);
          if (current && current.status !== 'open') return current;
          throw error;
        }
      });
    },

    measureClockOffset() {
      // Against the clock that judges which candle is closed (`now`), from the midpoint of the round trip.
      return call('fetchTime', undefined, undefined, async () => {
        const before = now();
        const server = Number(await exchange.fetchTime());
        return (before + now()) / 2 - server;
      });
    },

    async fetchOpenOrders(symbol) {
      await gateway.loadMarkets();
      return call('fetchOpenOrders', symbol, undefined, async () => {
        const orders = (await exchange.fetchOpenOrders(symbol)).map((order) => toExchangeOrder(order));
        if (!futures) return orders;
        const triggers = await exchange.fetchOpenOrders(symbol, undefined, undefined, { trigger: true });
        return [...orders, ...triggers.map((order) => ({ ...toExchangeOrder(order), type: 'stop-market' }))];
      });
    },

    async setLeverage(symbol, leverage) {
      requireFutures('setLeverage');
      await gateway.loadMarkets();
      return call('setLeverage', symbol, undefined, async () => {
        // Isolated margin: a position can never lose more than its own margin, whatever happens to the stop. The
        // exchange refuses the switch while a position is open (-4048); the leverage is still set then.
        await exchange.setMarginMode('isolated', symbol).catch((error: unknown) => {
          if (!(error instanceof ccxt.BaseError) || error instanceof ccxt.NetworkError || error instanceof ccxt.AuthenticationError) throw error;
          logger.warn('margin type not changed', { symbol, error: (error as Error).message });
        });
        const answer = (await exchange.setLeverage(leverage, symbol)) as { leverage?: unknown };
        return Number(answer?.leverage ?? leverage);
      });
    },

    async fetchPositions() {
      requireFutures('fetchPositions');
      await gateway.loadMarkets();
      return call('fetchPositions', undefined, undefined, async () => {
        const out: ExchangePosition[] = [];
        for (const p of await exchange.fetchPositions()) {
          const amount = Math.abs(num(p.contracts) ?? 0) * (num(p.contractSize) ?? 1);
          if (!(amount > 0)) continue;
          const leverage = num(p.leverage);
          out.push({ symbol: p.symbol ?? '', side: p.side === 'short' ? 'short' : 'long', amount, entryPrice: num(p.entryPrice) ?? 0, ...(leverage !== undefined ? { leverage } : {}) });
        }
        return out;
      });
    },

    async fetchBalances() {
      await gateway.loadMarkets();
      return call('fetchBalances', undefined, undefined, async () => {
        const balance = (await exchange.fetchBalance()) as unknown as { total?: Record<string, number>; free?: Record<string, number>; used?: Record<string, number> };
        const out: Record<string, BalanceEntry> = {};
        for (const [asset, total] of Object.entries(balance.total ?? {})) {
          const free = num(balance.free?.[asset]) ?? 0;
          const used = num(balance.used?.[asset]) ?? 0;
          const sum = num(total) ?? free + used;
          if (sum !== 0) out[asset] = { free, used, total: sum };
        }
        return out;
      });
    },

    async fetchMyTrades(symbol, options = {}) {
      await gateway.loadMarkets();
      const params = options.orderId !== undefined ? { orderId: options.orderId } : {};
      return call('fetchMyTrades', symbol, undefined, async () =>
        (await exchange.fetchMyTrades(symbol, options.since, undefined, params)).map(toExchangeTrade));
    },

    async close() {
      closed = true;
      await exchange.close();
    },
  };
  return gateway;
}

function enableSandbox(exchange: Exchange): void {
  try {
    exchange.setSandboxMode(true);
  } catch (error) {
    throw new ConfigError(`${exchange.id} has no testnet in ccxt; remove the sandbox option`, { field: 'sandbox', value: true }, { cause: error });
  }
  // Some exchanges "support" sandbox by emptying their URLs; a gateway with nowhere to go must fail now, not later.
  if (!listUrls(exchange.urls.api).some((url) => /^https?:\/\//.test(url))) {
    throw new ConfigError(`${exchange.id} testnet has no REST URL in ccxt; remove the sandbox option`, { field: 'sandbox', value: true });
  }
}

function featureLimit(exchange: Exchange): number | undefined {
  const limit = (exchange.features as { spot?: { fetchOHLCV?: { limit?: unknown } } } | undefined)?.spot?.fetchOHLCV?.limit;
  return typeof limit === 'number' && limit > 0 ? limit : undefined;
}

function compactMarkets(markets: Record<string, unknown>): MarketInfo[] {
  return Object.values(markets).map((raw) => {
    const m = raw as {
      symbol: string; id: string; base: string; quote: string; type: string; active?: boolean;
      precision?: { price?: number; amount?: number };
      limits?: { amount?: MinMax; price?: MinMax; cost?: MinMax };
    };
    return {
      symbol: m.symbol,
      id: m.id,
      base: m.base,
      quote: m.quote,
      type: m.type,
      // ccxt leaves `active` undefined when the exchange does not say; such markets are tradable in practice.
      active: m.active !== false,
      precision: { price: num(m.precision?.price), amount: num(m.precision?.amount) },
      limits: { amount: minMax(m.limits?.amount), price: minMax(m.limits?.price), cost: minMax(m.limits?.cost) },
    };
  });
}

interface MinMax {
  min?: number;
  max?: number;
}

function minMax(value: MinMax | undefined): MinMax {
  return { min: num(value?.min), max: num(value?.max) };
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
