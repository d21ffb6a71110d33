/**
 * The live perp broker (ccxt binanceusdm through the gateway, against the exchange fake's futures venue) under the
 * long broker contract and the perp contract, plus what only the live futures path shows: the stop is a reduce-only
 * STOP_MARKET in Binance's algo service, the leverage and isolated margin are set before the first entry, and
 * nothing outside the fake's known routes is asked for.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { brokerContract } from './contract.ts';
import { perpBrokerContract } from './contract-perp.ts';
import { livePerpHarness, type LivePerpHarness } from './harness-perp.ts';
import { START, SYMBOL, CANDLES } from './harness.ts';

brokerContract('live perp (ccxt binanceusdm against the exchange fake)', livePerpHarness);
perpBrokerContract('live perp (ccxt binanceusdm against the exchange fake)', livePerpHarness);

describe('live perp broker: the exchange calls', () => {
  let h: LivePerpHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('sets isolated margin and leverage once, sends the entry to /fapi/v1/order and the stop to the algo service, reduce-only', async () => {
    h = await livePerpHarness();
    await h.broker.placeEntry({ id: 'calls-1', symbol: SYMBOL, side: 'short', type: 'market', amount: 0.01, stop: Math.round(CANDLES[START].open * 1.02) });
    await h.broker.placeEntry({ id: 'calls-2', symbol: SYMBOL, side: 'short', type: 'limit', amount: 0.01, price: Math.round(CANDLES[START].open * 1.5), stop: Math.round(CANDLES[START].open * 1.6) });
    const posts = h.fake.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(posts).toEqual(['/fapi/v1/marginType', '/fapi/v1/leverage', '/fapi/v1/order', '/fapi/v1/algoOrder', '/fapi/v1/order']);
    const stop = h.futures.book.orders.find((o) => o.algo);
    expect(stop).toMatchObject({ type: 'STOP_MARKET', side: 'BUY', reduceOnly: true, origQty: 0.01 });
    expect(h.futures.book.positions.get('BTCUSDT')).toMatchObject({ leverage: 3, marginType: 'ISOLATED', amt: -0.01 });
    expect(await h.broker.reconcile()).toEqual([]);
    expect(h.fake.unrouted).toEqual([]);
  });

  it('reconcile reports a position the books do not know, and overwrites nothing', async () => {
    h = await livePerpHarness();
    await h.broker.placeEntry({ id: 'rec-1', symbol: SYMBOL, side: 'short', type: 'market', amount: 0.01, stop: Math.round(CANDLES[START].open * 1.02) });
    // Behind ITA's back: someone buys 0.004 BTC by hand on the same symbol.
    await h.gateway.createOrder({ clientOrderId: 'by-hand-1', symbol: SYMBOL, side: 'buy', type: 'market', amount: 0.004 });
    const differences = await h.broker.reconcile();
    expect(differences.map((d) => [d.kind, d.subject])).toEqual([['position-differs', SYMBOL]]);
    expect(differences[0].message).toBe('open positions on BTC/USDT add up to -0.01 here but the venue holds -0.006');
    expect((await h.broker.positions())[0]).toMatchObject({ status: 'open', remaining: 0.01 });
  });

  it('a remainder below the minimum notional still gets its reduce-only stop (Binance exempts reduce-only orders)', async () => {
    h = await livePerpHarness();
    const stop = 65_551;
    // Take-profit 0.009 of 0.01 at 63800 (reached in candle +6, filled in +7): 0.001 BTC is left, about 64 USDT < 100.
    await h.broker.placeEntry({ id: 'rem-1', symbol: SYMBOL, side: 'short', type: 'market', amount: 0.01, stop, takeProfits: [{ price: 63_800, amount: 0.009 }] });
    while (h.index <= START + 7) await h.advance();
    expect((await h.broker.positions())[0]).toMatchObject({ status: 'open', remaining: expect.closeTo(0.001, 12) });
    expect((await h.broker.openOrders()).map((o) => [o.role, o.type, o.stopPrice, o.amount])).toEqual([['stop', 'stop-market', stop, 0.001]]);
    expect(h.futures.book.open('BTCUSDT', true)).toHaveLength(1);
  });

  it('a position already open on the symbol (margin type cannot change, -4048) does not stop the entry: the leverage is still set', async () => {
    h = await livePerpHarness();
    await h.gateway.createOrder({ clientOrderId: 'by-hand-2', symbol: SYMBOL, side: 'buy', type: 'market', amount: 0.004 });
    const { position } = await h.broker.placeEntry({ id: 'mt-1', symbol: SYMBOL, side: 'long', type: 'market', amount: 0.01, stop: Math.round(CANDLES[START].open * 0.98) });
    expect(position.status).toBe('open');
    expect(h.fake.requests.filter((r) => r.path === '/fapi/v1/marginType').map((r) => r.status)).toEqual([400]);
    expect(h.futures.book.positions.get('BTCUSDT')).toMatchObject({ leverage: 3, marginType: 'CROSSED', amt: 0.014 });
  });
});
