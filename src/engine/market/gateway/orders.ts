/**
 * Order handling for the gateway: ITA's order shapes, the conversion from ccxt's, and the idempotent placement
 * rule. An order is ALWAYS sent with a clientOrderId chosen by the caller; when a send fails ambiguously (timeout,
 * 5xx: the exchange may or may not have accepted it), the next attempt first asks the exchange for that
 * clientOrderId and only re-sends when the exchange says it does not exist. A retry therefore never doubles an order.
 */
import type { Exchange, Order, Trade } from 'ccxt';
import { InputError } from '../../errors.ts';
import type { CcxtModule } from './errors.ts';

/** stop-limit: spot STOP_LOSS_LIMIT; stop-market: futures STOP_MARKET (a conditional order, Binance's algo service). */
export type ExchangeOrderType = 'market' | 'limit' | 'stop-limit' | 'stop-market';

export interface OrderRequest {
  /** Caller-chosen, deterministic; Binance allows [.A-Za-z0-9:/_-]{1,36}. */
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: ExchangeOrderType;
  amount: number;
  /** Limit price (limit and stop-limit). */
  price?: number;
  /** Trigger price (stop-limit, stop-market). */
  stopPrice?: number;
  /** Futures only: the order may only reduce the position. */
  reduceOnly?: boolean;
}

export type ExchangeOrderStatus = 'open' | 'filled' | 'canceled' | 'rejected';

export interface ExchangeOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: string;
  amount: number;
  price?: number;
  stopPrice?: number;
  filled: number;
  /** Quote amount of the filled part. */
  cost: number;
  status: ExchangeOrderStatus;
  ts: number;
}

export interface ExchangeTrade {
  id: string;
  orderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  price: number;
  amount: number;
  cost: number;
  fee?: { currency: string; cost: number };
  ts: number;
}

const CLIENT_ORDER_ID = /^[.A-Za-z0-9:/_-]{1,36}$/;

export function checkOrderRequest(request: OrderRequest): void {
  if (!CLIENT_ORDER_ID.test(request.clientOrderId)) {
    throw new InputError(`clientOrderId must be 1-36 of [.A-Za-z0-9:/_-], got "${request.clientOrderId}"`, { field: 'clientOrderId', value: request.clientOrderId });
  }
  if (!(request.amount > 0)) throw new InputError(`order amount must be positive, got ${request.amount}`, { field: 'amount', value: request.amount });
  if (request.type !== 'market' && request.type !== 'stop-market' && !(request.price! > 0)) {
    throw new InputError(`${request.type} order needs a positive price, got ${request.price}`, { field: 'price', value: request.price });
  }
  if ((request.type === 'stop-limit' || request.type === 'stop-market') && !(request.stopPrice! > 0)) {
    throw new InputError(`${request.type} order needs a positive stopPrice, got ${request.stopPrice}`, { field: 'stopPrice', value: request.stopPrice });
  }
}

/**
 * Sends the order through ccxt: a stop-limit is ccxt's limit order with `stopLossPrice` (Binance STOP_LOSS_LIMIT),
 * a stop-market its market order with `stopLossPrice` (on USDT-M futures: STOP_MARKET through the algo service).
 */
export async function sendOrder(exchange: Exchange, request: OrderRequest): Promise<ExchangeOrder> {
  const params: Record<string, unknown> = { clientOrderId: request.clientOrderId };
  if (request.type === 'stop-limit' || request.type === 'stop-market') params.stopLossPrice = request.stopPrice;
  if (request.type === 'limit' || request.type === 'stop-limit') params.timeInForce = 'GTC';
  if (request.reduceOnly) params.reduceOnly = true;
  const type = request.type === 'market' || request.type === 'stop-market' ? 'market' : 'limit';
  // No price for market orders: ccxt's binance would turn amount x price into a quote-quantity order.
  const price = type === 'market' ? undefined : request.price;
  const order = await exchange.createOrder(request.symbol, type, request.side, request.amount, price, params);
  return toExchangeOrder(order, request);
}

/**
 * The order with this clientOrderId, or undefined when the exchange says it does not exist. `trigger`: a futures
 * conditional order (STOP_MARKET), which Binance keeps in its algo service under its own id; once triggered, its fill
 * is the order it placed in the book (actualOrderId), read from there so the filled amount and cost are real.
 */
export async function lookupOrder(
  ccxt: CcxtModule, exchange: Exchange, symbol: string, clientOrderId: string, trigger = false,
): Promise<ExchangeOrder | undefined> {
  try {
    const order = await exchange.fetchOrder(undefined as unknown as string, symbol, trigger ? { clientOrderId, trigger: true } : { clientOrderId });
    const actualId = trigger ? String((order.info as Record<string, unknown> | undefined)?.actualOrderId ?? '') : '';
    if (actualId && actualId !== '0') {
      const actual = toExchangeOrder(await exchange.fetchOrder(actualId, symbol), { clientOrderId, symbol });
      const status = actual.status === 'open' ? 'open' : actual.filled > 0 ? 'filled' : actual.status;
      return { ...actual, type: 'stop-market', status };
    }
    return toExchangeOrder(order, { clientOrderId, symbol });
  } catch (error) {
    if (error instanceof ccxt.OrderNotFound) return undefined;
    throw error;
  }
}

export function toExchangeOrder(order: Order, known: { clientOrderId?: string; symbol?: string } = {}): ExchangeOrder {
  const info = (order.info ?? {}) as Record<string, unknown>;
  // A Binance cancel answer's clientOrderId is the CANCEL request's id; the order's own is origClientOrderId.
  const clientOrderId = known.clientOrderId ?? (typeof info.origClientOrderId === 'string' ? info.origClientOrderId : order.clientOrderId) ?? '';
  const filled = num(order.filled) ?? 0;
  const average = num(order.average);
  const out: ExchangeOrder = {
    id: String(order.id),
    clientOrderId,
    symbol: order.symbol ?? known.symbol ?? '',
    side: order.side === 'sell' ? 'sell' : 'buy',
    type: String(order.type ?? ''),
    amount: num(order.amount) ?? 0,
    filled,
    cost: num(order.cost) ?? (average !== undefined ? average * filled : 0),
    status: mapStatus(order.status, filled),
    ts: num(order.lastUpdateTimestamp) ?? num(order.timestamp) ?? 0,
  };
  const price = num(order.price);
  if (price !== undefined && price > 0) out.price = price;
  const stopPrice = num(order.triggerPrice) ?? num(order.stopPrice);
  if (stopPrice !== undefined && stopPrice > 0) out.stopPrice = stopPrice;
  return out;
}

export function toExchangeTrade(trade: Trade): ExchangeTrade {
  const fee = trade.fee && typeof trade.fee.cost === 'number' && trade.fee.currency
    ? { currency: trade.fee.currency, cost: trade.fee.cost } : undefined;
  return {
    id: String(trade.id),
    orderId: String(trade.order ?? ''),
    symbol: trade.symbol ?? '',
    side: trade.side === 'sell' ? 'sell' : 'buy',
    price: num(trade.price) ?? 0,
    amount: num(trade.amount) ?? 0,
    cost: num(trade.cost) ?? 0,
    ...(fee ? { fee } : {}),
    ts: num(trade.timestamp) ?? 0,
  };
}

/** ccxt says open | closed | canceled | expired | rejected; "closed" means fully filled. */
function mapStatus(status: string | undefined, filled: number): ExchangeOrderStatus {
  if (status === 'closed') return 'filled';
  if (status === 'canceled' || status === 'expired') return 'canceled';
  if (status === 'rejected') return filled > 0 ? 'canceled' : 'rejected';
  return 'open';
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
