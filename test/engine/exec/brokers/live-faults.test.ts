/**
 * Live broker only: what goes wrong between ITA and the exchange. ccxt's real binance class talks to the local
 * exchange fake, which injects the faults.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AuthenticationError, ExchangeRejectedError, ExchangeUnavailableError } from '../../../../src/engine/errors.ts';
import { createGateway } from '../../../../src/engine/market/gateway.ts';
import { SYMBOL, liveHarness, type LiveHarness } from './harness.ts';
import { LEVEL } from './contract.ts';

const intent = (id: string, amount = 0.01) => ({ id, symbol: SYMBOL, side: 'long' as const, type: 'market' as const, amount, stop: LEVEL });
const posts = (h: LiveHarness) => h.fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order');

describe('live broker against exchange faults', () => {
  let h: LiveHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('an order accepted but never answered (timeout) is found by clientOrderId, not sent twice', async () => {
    h = await liveHarness({ timeoutMs: 300 });
    h.orders.hangAfterAccept();
    const { position, entry } = await h.broker.placeEntry(intent('hang-1'));
    expect(position.status).toBe('open');
    expect(h.orders.orders.filter((o) => o.clientOrderId === entry.id)).toHaveLength(1);
    const log = h.fake.requests.filter((r) => r.path === '/api/v3/order').map((r) => `${r.method} ${r.status}`);
    // send (hangs) -> look up by clientOrderId (found) -> the stop
    expect(log).toEqual(['POST hang', 'GET 200', 'POST 200']);
    expect(h.fake.requests.find((r) => r.method === 'GET' && r.path === '/api/v3/order')?.query.origClientOrderId).toBe(entry.id);
  });

  it('when every retry times out, the order stays pending and the next placement of the intent adopts it', async () => {
    h = await liveHarness({ timeoutMs: 250 });
    h.orders.hangAfterAccept();
    h.fake.fault({ kind: 'hang', path: '/api/v3/order', count: 3 });
    await expect(h.broker.placeEntry(intent('hang-2'))).rejects.toThrow(ExchangeUnavailableError);
    expect((await h.broker.openOrders()).map((o) => [o.role, o.status])).toEqual([['entry', 'pending']]);
    const again = await h.broker.placeEntry(intent('hang-2'));
    expect(again.duplicate).toBe(true);
    expect(again.position.status).toBe('open');
    expect(h.orders.orders.filter((o) => o.type === 'MARKET')).toHaveLength(1);
    expect((await h.broker.openOrders()).map((o) => o.role)).toEqual(['stop']);
  });

  it('429 with Retry-After: waits as asked, checks by clientOrderId, then sends once', async () => {
    h = await liveHarness();
    h.fake.fault({ kind: 'status', status: 429, retryAfterSec: 2, path: '/api/v3/order' });
    const { position } = await h.broker.placeEntry(intent('rate-1'));
    expect(position.status).toBe('open');
    expect(h.sleeps).toContain(2_000);
    expect(h.orders.orders.filter((o) => o.type === 'MARKET')).toHaveLength(1);
    expect(posts(h).map((r) => r.status)).toEqual([429, 200, 200]);
  });

  it('5xx on placement is retried without doubling the order', async () => {
    h = await liveHarness();
    h.fake.fault({ kind: 'status', status: 503, path: '/api/v3/order' });
    await h.broker.placeEntry(intent('5xx-1'));
    expect(h.orders.orders.filter((o) => o.type === 'MARKET')).toHaveLength(1);
    expect(posts(h).map((r) => r.status)).toEqual([503, 200, 200]);
  });

  it('partial fills: the exchange stop is cancelled and re-placed for the new held amount', async () => {
    h = await liveHarness();
    h.orders.partialNext(0.5);
    await h.broker.placeEntry(intent('part-1'));
    const stops = () => h!.orders.orders.filter((o) => o.type === 'STOP_LOSS_LIMIT').map((o) => [o.origQty, o.status]);
    // Half of 0.01 arrived, minus Binance's 0.1% fee taken in BTC: 0.004995 -> 0.00499 in whole lots.
    expect(stops()).toEqual([[0.00499, 'NEW']]);
    await h.advance();
    expect(stops()).toEqual([[0.00499, 'CANCELED'], [0.00999, 'NEW']]);
  });

  it('refuses below the minimum notional before sending anything', async () => {
    h = await liveHarness();
    const error = await h.broker.placeEntry(intent('tiny-1', 0.00005)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeRejectedError);
    expect((error as Error).message).toMatch(/below the market minimum 5 USDT/);
    expect(posts(h)).toHaveLength(0);
  });

  it('rounds amounts DOWN to the lot step and limit prices down to the tick', async () => {
    h = await liveHarness();
    const price = 30_000.129;
    await h.broker.placeEntry({ ...intent('round-1', 0.0123456), type: 'limit', price, stop: 29_000 });
    expect(h.orders.orders[0]).toMatchObject({ origQty: 0.01234, price: 30_000.12, type: 'LIMIT' });
  });

  it('an exchange rejection (insufficient balance) is final: not retried, position cancelled with the reason', async () => {
    h = await liveHarness();
    h.orders.setBalance('USDT', 100);
    await expect(h.broker.placeEntry(intent('poor-1'))).rejects.toThrow(ExchangeRejectedError);
    expect(posts(h)).toHaveLength(1);
    const [p] = await h.broker.positions();
    expect(p.status).toBe('canceled');
    expect(p.closeReason).toMatch(/insufficient balance/i);
    expect(await h.broker.openOrders()).toEqual([]);
  });

  it('exchange rules tightened after markets were loaded: the exchange refuses (NOTIONAL, LOT_SIZE)', async () => {
    h = await liveHarness();
    await h.gateway.loadMarkets();
    h.fake.market('BTCUSDT')!.minNotional = '1000';
    await expect(h.broker.placeEntry(intent('rule-1'))).rejects.toThrow(/NOTIONAL/);
    h.fake.market('BTCUSDT')!.minNotional = '5';
    h.fake.market('BTCUSDT')!.stepSize = '0.001';
    await expect(h.broker.placeEntry(intent('rule-2', 0.01234))).rejects.toThrow(/LOT_SIZE/);
    h.fake.market('BTCUSDT')!.stepSize = '0.00001';
    expect((await h.broker.positions()).map((p) => p.status)).toEqual(['canceled', 'canceled']);
  });

  it('reconcile reports differences with the exchange and overwrites nothing', async () => {
    h = await liveHarness();
    const { entry } = await h.broker.placeEntry(intent('rec-1'));
    expect(await h.broker.reconcile()).toEqual([]);
    const [stop] = await h.broker.openOrders();
    // Behind ITA's back: someone cancels the stop, sells the BTC and places an order by hand.
    await h.gateway.cancelOrder(SYMBOL, stop.id);
    h.orders.setBalance('BTC', 0);
    await h.gateway.createOrder({ clientOrderId: 'by-hand-1', symbol: SYMBOL, side: 'buy', type: 'limit', amount: 0.001, price: 30_000 });
    const differences = await h.broker.reconcile();
    expect(differences.map((d) => [d.kind, d.subject])).toEqual([
      ['order-state', stop.id],
      ['order-unknown-locally', 'by-hand-1'],
      // The stop check: the position holds a protectable amount and no stop of ITA's rests on the exchange.
      ['position-unprotected', 'rec-1'],
      ['balance-short', 'BTC'],
    ]);
    expect(differences[3].message).toBe('open positions hold 0.00999 BTC but the account has 0 BTC');
    expect((await h.broker.openOrders()).map((o) => [o.id, o.status])).toEqual([[stop.id, 'open']]);
    expect((await h.broker.positions())[0].status).toBe('open');
    // A restart reconciles first and reports the same.
    await h.restart();
    // ... then applies the venue's state of ITA's own orders, cannot re-place the stop without coins, and says so.
    expect(h.broker.startupDifferences.map((d) => d.kind)).toEqual(['order-state', 'order-unknown-locally', 'position-unprotected', 'balance-short', 'sync-failed']);
    expect(h.broker.startupDifferences[4].message).toMatch(/insufficient balance/);
    expect(entry.status).toBe('filled');
  });

  it('after an outage the broker compares with the exchange BEFORE it applies the exchange\'s state, so a stop cancelled meanwhile is reported', async () => {
    h = await liveHarness();
    await h.broker.placeEntry(intent('out-1'));
    const [stop] = await h.broker.openOrders();
    h.fake.fault({ kind: 'status', status: 503, path: '/api/v3/order', count: 4 });
    await expect(h.advance()).rejects.toThrow(ExchangeUnavailableError);
    // While ITA cannot reach the exchange, the stop is cancelled there by hand.
    await h.gateway.cancelOrder(SYMBOL, stop.id);
    expect(h.broker.takeRecoveryDifferences()).toBeUndefined();
    await h.advance();
    const found = h.broker.takeRecoveryDifferences()!;
    expect(found.map((d) => [d.kind, d.subject])).toEqual([['order-state', stop.id], ['position-unprotected', 'out-1']]);
    // Taken once; the sync that followed re-protected the position under a new clientOrderId.
    expect(h.broker.takeRecoveryDifferences()).toBeUndefined();
    expect((await h.broker.openOrders()).map((o) => [o.role, o.id === stop.id])).toEqual([['stop', false]]);
  });

  it('signed endpoints need an API key: the fake refuses without one, ITA reports an authentication error', async () => {
    h = await liveHarness();
    const bare = await fetch(`${h.fake.url}/api/v3/account?timestamp=1&signature=x`);
    expect(bare.status).toBe(401);
    const keyless = await createGateway({ exchangeId: 'binance', urlsOverride: h.fake.url, enableRateLimit: false, now: () => h!.fake.now() });
    await expect(keyless.fetchBalances()).rejects.toThrow(AuthenticationError);
    await keyless.close();
  });
});
