/**
 * Perp paper venue only: margin, wallet, fees and refusals on hand-made candles, with numbers worked out by hand
 * (market: price x (1 ± slippage), taker fee on the notional; margin = notional / leverage; realised PnL into the
 * wallet; a buy stop triggers at the stop or the worse, higher gap open, then pays slippage).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExchangeRejectedError } from '../../../../src/engine/errors.ts';
import { createPerpPaperBroker, type PerpPaperBroker } from '../../../../src/engine/exec/paper/index.ts';
import { NO_COSTS } from '../../../../src/engine/exec/sim/fill-model.ts';
import { openDatabase, type OpenedDatabase } from '../../../../src/engine/store/database.ts';
import type { Candle } from '../../../../src/engine/types.ts';

const SYMBOL = 'ABC/USDT';
const COSTS = { ...NO_COSTS, slippageFraction: 0.001, takerFee: 0.0005, makerFee: 0.0002 };
const bar = (ts: number, open: number, high: number, low: number, close: number, volume = 1000): Candle => ({ ts, open, high, low, close, volume });

describe('perp paper venue: margin, wallet and refusals', () => {
  let opened: OpenedDatabase;
  let broker: PerpPaperBroker;

  beforeEach(async () => {
    opened = await openDatabase(':memory:');
    broker = await createPerpPaperBroker({ db: opened.db, costs: COSTS, initialBalances: { USDT: 1_000 }, leverage: 10, leverageCap: 4 });
    await broker.onCandle(SYMBOL, bar(0, 100, 100, 100, 100));
  });
  afterEach(async () => {
    await opened.close();
  });

  it('a short locks notional / leverage, pays the taker fee, and its stop-out moves the loss into the wallet', async () => {
    const { position } = await broker.placeEntry({ id: 'a', symbol: SYMBOL, side: 'short', type: 'market', amount: 20, stop: 110 });
    // sold at 100 x 0.999 = 99.9; notional 1998; margin at 4x (10 clamped to the cap) 499.5; fee 0.999
    expect(position).toMatchObject({ side: 'short', filled: 20, entryPrice: 99.9 });
    expect((await broker.balances()).USDT).toEqual({ free: 1_000 - 499.5 - 0.999, used: 499.5, total: 1_000 - 0.999 });
    expect(await broker.venue.positions()).toEqual([{ symbol: SYMBOL, side: 'short', amount: 20, entryPrice: 99.9, leverage: 4 }]);
    // Gapped through the stop: triggered at the open 112, bought at 112 x 1.001 = 112.112; fee 20 x 112.112 x 0.0005
    const fills = await broker.onCandle(SYMBOL, bar(1, 112, 113, 108, 109));
    expect(fills.map((f) => [f.role, f.side, f.price])).toEqual([['stop', 'buy', expect.closeTo(112.112, 9)]]);
    const loss = 20 * (112.112 - 99.9);
    const fees = 0.999 + 20 * 112.112 * 0.0005;
    const [p] = await broker.positions();
    expect(p.realizedPnl).toBeCloseTo(-loss - fees, 9);
    expect((await broker.balances()).USDT).toEqual({ free: expect.closeTo(1_000 - loss - fees, 9), used: 0, total: expect.closeTo(1_000 - loss - fees, 9) });
    expect(await broker.venue.positions()).toEqual([]);
  });

  it('a long on the same account: margin released in proportion on a partial take-profit (maker fee)', async () => {
    await broker.placeEntry({ id: 'b', symbol: SYMBOL, side: 'long', type: 'market', amount: 10, stop: 90, takeProfits: [{ price: 105, amount: 4 }] });
    // bought at 100.1; margin 10 x 100.1 / 4 = 250.25
    expect((await broker.balances()).USDT.used).toBeCloseTo(250.25, 9);
    // The target is reached inside this candle (and the stop is not): it fills at its price there, as in the session.
    const fills = await broker.onCandle(SYMBOL, bar(1, 101, 106, 100.5, 104));
    expect(fills.map((f) => [f.role, f.price, f.amount])).toEqual([['take-profit', 105, 4]]);
    expect((await broker.balances()).USDT.used).toBeCloseTo(250.25 * 0.6, 9);
    const [p] = await broker.positions();
    expect(p.realizedPnl).toBeCloseTo(4 * (105 - 100.1) - 10 * 100.1 * 0.0005 - 4 * 105 * 0.0002, 9);
  });

  it('refuses with Binance futures\' codes: margin (-2019), a stop that would trigger (-2021), reduce-only with nothing to reduce (-2022)', async () => {
    const big = await broker.placeEntry({ id: 'c', symbol: SYMBOL, side: 'short', type: 'market', amount: 50, stop: 110 }).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(ExchangeRejectedError);
    expect((big as Error).message).toMatch(/Margin is insufficient\. \(code -2019/);
    await expect(broker.venue.submit({ clientOrderId: 'x1', symbol: SYMBOL, side: 'buy', type: 'stop-market', amount: 1, stopPrice: 99 }))
      .rejects.toThrow(/Order would immediately trigger\. \(code -2021/);
    await expect(broker.venue.submit({ clientOrderId: 'x2', symbol: SYMBOL, side: 'buy', type: 'market', amount: 1, reduceOnly: true }))
      .rejects.toThrow(/ReduceOnly Order is rejected\. \(code -2022/);
    await expect(broker.venue.setLeverage(SYMBOL, 200)).rejects.toThrow(/Leverage 200 is not valid/);
  });

  it('a reduce-only exit never goes past flat: the rest expires instead of opening the other side', async () => {
    await broker.placeEntry({ id: 'd', symbol: SYMBOL, side: 'long', type: 'market', amount: 2, stop: 90 });
    await broker.venue.cancel(SYMBOL, (await broker.openOrders())[0].id);
    const order = await broker.venue.submit({ clientOrderId: 'x3', symbol: SYMBOL, side: 'sell', type: 'market', amount: 5, reduceOnly: true });
    expect(order).toMatchObject({ filled: 2, status: 'canceled' });
    expect(await broker.venue.positions()).toEqual([]);
  });
});
