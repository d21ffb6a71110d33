/**
 * The live Venue: the exchange through the market gateway (the only ccxt importer). Trading rules come from
 * loadMarkets (Binance precision is a tick/step size); fees come from the account's trades of the order, because
 * Binance reports them only there, and a buyer's fee is taken in the BASE asset: a stop for the full bought
 * amount would be refused, so the broker protects what actually arrived.
 *
 * On a perp gateway (ccxt binanceusdm) the same venue is a USDT-M futures account: "BTC/USDT" names the linear
 * perpetual "BTC/USDT:USDT", fees are in USDT, the stop is a reduce-only STOP_MARKET (Binance's algo service, hence
 * the `trigger` lookups), leverage is set per symbol and positions are read from the exchange.
 */
import { NotFoundError } from '../../errors.ts';
import type { ExchangeGateway, ExchangeOrder, MarketInfo } from '../../market/gateway.ts';
import type { Balances } from '../broker.ts';
import type { MarketRules, Venue, VenueOrder, VenueOrderRequest } from '../core/venue.ts';

export function createLiveVenue(gateway: ExchangeGateway): Venue {
  let markets: Map<string, MarketInfo> | undefined;

  const market = async (symbol: string): Promise<MarketInfo> => {
    markets ??= new Map((await gateway.loadMarkets()).map((m) => [m.symbol, m]));
    // A perp market is "BASE/QUOTE:SETTLE" in ccxt; ITA's watchlist names it "BASE/QUOTE".
    const info = markets.get(symbol) ?? (gateway.account === 'perp' ? markets.get(`${symbol}:${symbol.split('/')[1]}`) : undefined);
    if (!info) throw new NotFoundError(`${gateway.exchangeId} has no market "${symbol}"`, { field: 'symbol', value: symbol });
    return info;
  };

  const withFees = async (order: ExchangeOrder): Promise<VenueOrder> => {
    const { base, quote } = await market(order.symbol);
    const fees = { base: 0, quote: 0 };
    if (order.filled > 0) {
      for (const trade of await gateway.fetchMyTrades(order.symbol, { orderId: order.id })) {
        if (trade.fee?.currency === base) fees.base += trade.fee.cost;
        else if (trade.fee?.currency === quote) fees.quote += trade.fee.cost;
      }
    }
    return {
      venueId: order.id, clientOrderId: order.clientOrderId, symbol: order.symbol, filled: order.filled, cost: order.cost,
      fees, amount: order.amount, status: order.status,
    };
  };

  const trigger = (type: VenueOrderRequest['type'] | undefined) => ({ trigger: type === 'stop-market' });
  const perp = gateway.account === 'perp';

  return {
    mode: 'live',
    account: gateway.account,

    async rules(symbol): Promise<MarketRules> {
      const m = await market(symbol);
      return {
        base: m.base, quote: m.quote, amountStep: m.precision.amount, priceTick: m.precision.price,
        minAmount: m.limits.amount.min, minNotional: m.limits.cost.min,
      };
    },

    async referencePrice(symbol) {
      const ticker = await gateway.fetchTicker(symbol);
      return ticker.ask ?? ticker.last;
    },

    async submit(request: VenueOrderRequest) {
      return withFees(await gateway.createOrder(request));
    },

    async fetch(symbol, clientOrderId, type) {
      const order = await gateway.fetchOrder(symbol, clientOrderId, trigger(type));
      return order ? withFees(order) : undefined;
    },

    async cancel(symbol, clientOrderId, type) {
      return withFees(await gateway.cancelOrder(symbol, clientOrderId, trigger(type)));
    },

    ...(perp ? {
      setLeverage: (symbol: string, leverage: number) => gateway.setLeverage(symbol, leverage),
      positions: async () => (await gateway.fetchPositions()).map((p) => ({ ...p, symbol: p.symbol.split(':')[0] })),
    } : {}),

    async openOrders() {
      // Open orders: fees only matter once the broker applies a fill, which it does through fetch().
      return (await gateway.fetchOpenOrders()).map((o) => ({
        venueId: o.id, clientOrderId: o.clientOrderId, symbol: o.symbol, filled: o.filled, cost: o.cost,
        fees: { base: 0, quote: 0 }, amount: o.amount, status: o.status,
      }));
    },

    async balances(): Promise<Balances> {
      return gateway.fetchBalances();
    },
  };
}
