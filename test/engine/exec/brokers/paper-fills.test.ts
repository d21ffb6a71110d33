/**
 * Paper broker only: fills, fees and balances on hand-made candles, checked against numbers worked out by hand
 * with the backtester's rules (market: price x (1 + slippage), taker fee; resting limit: its price or a better gap
 * open, maker fee; stop: trigger or worse gap open, then slippage, taker fee).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExchangeRejectedError, InputError } from '../../../../src/engine/errors.ts';
import { createPaperBroker, type PaperBroker } from '../../../../src/engine/exec/paper/index.ts';
import { NO_COSTS } from '../../../../src/engine/exec/sim/fill-model.ts';
import { openDatabase, type OpenedDatabase } from '../../../../src/engine/store/database.ts';
import type { Candle } from '../../../../src/engine/types.ts';

const SYMBOL = 'ABC/USDT';
const COSTS = { ...NO_COSTS, slippageFraction: 0.001, takerFee: 0.001, makerFee: 0.0005 };
const bar = (ts: number, open: number, high: number, low: number, close: number, volume = 1000): Candle => ({ ts, open, high, low, close, volume });

describe('paper broker fills', () => {
  let opened: OpenedDatabase;
  let broker: PaperBroker;
  const make = () => createPaperBroker({ db: opened.db, costs: COSTS, initialBalances: { USDT: 10_000 } });

  beforeEach(async () => {
    opened = await openDatabase(':memory:');
    broker = await make();
    await broker.onCandle(SYMBOL, bar(0, 100, 100, 100, 100));
  });
  afterEach(async () => {
    await opened.close();
  });

  it('market entry then stop-out: prices, fees, balances and P&L as worked out by hand', async () => {
    const { position } = await broker.placeEntry({ id: 'a', symbol: SYMBOL, side: 'long', type: 'market', amount: 1, stop: 90 });
    // 100 x 1.001 = 100.1; fee 0.1001
    expect(position).toMatchObject({ status: 'open', filled: 1, entryPrice: 100.1 });
    expect(await broker.balances()).toEqual({ ABC: { free: 0, used: 1, total: 1 }, USDT: { free: 9899.7999, used: 0, total: 9899.7999 } });
    // Stop 90 touched inside the bar (open 95 above it): 90 x 0.999 = 89.91; fee 0.08991
    const fills = await broker.onCandle(SYMBOL, bar(1, 95, 96, 89, 90));
    expect(fills.map((f) => [f.role, f.price, f.fee])).toEqual([['stop', 89.91, expect.closeTo(0.08991, 10)]]);
    const [p] = await broker.positions();
    expect(p.status).toBe('closed');
    expect(p.realizedPnl).toBeCloseTo(89.91 - 100.1 - 0.1001 - 0.08991, 9);
    expect((await broker.balances()).USDT.total).toBeCloseTo(9989.61999, 9);
  });

  it('a stop gapped through fills at the worse open', async () => {
    await broker.placeEntry({ id: 'g', symbol: SYMBOL, side: 'long', type: 'market', amount: 1, stop: 90 });
    const fills = await broker.onCandle(SYMBOL, bar(1, 85, 86, 80, 82));
    expect(fills[0].price).toBeCloseTo(85 * 0.999, 10);
  });

  it('a resting limit fills at a better gap open, with the maker fee', async () => {
    await broker.placeEntry({ id: 'l', symbol: SYMBOL, side: 'long', type: 'limit', amount: 2, price: 95, stop: 80 });
    const fills = await broker.onCandle(SYMBOL, bar(1, 94, 97, 93, 96));
    expect(fills.map((f) => [f.price, f.amount, f.fee])).toEqual([[94, 2, expect.closeTo(0.094, 10)]]);
    // 2 x 95 x (1 + 0.001) locked, 188 + 0.094 paid, the rest released
    expect((await broker.balances()).USDT.free).toBeCloseTo(10_000 - 188.094, 9);
  });

  it('fills only on candles that open after the order was placed (no look-ahead)', async () => {
    await broker.onTicker(SYMBOL, 100, 5_000);
    await broker.placeEntry({ id: 'n', symbol: SYMBOL, side: 'long', type: 'limit', amount: 1, price: 95, stop: 80 });
    expect(await broker.onCandle(SYMBOL, bar(3_600, 99, 99, 90, 98))).toEqual([]);
    expect((await broker.onCandle(SYMBOL, bar(7_200, 98, 99, 94, 98))).map((f) => f.price)).toEqual([95]);
  });

  it('volume participation caps a resting fill per candle (partial fills)', async () => {
    broker.venue.setMaxVolumeShare(0.25);
    await broker.placeEntry({ id: 'v', symbol: SYMBOL, side: 'long', type: 'limit', amount: 1, price: 95, stop: 80 });
    await broker.onCandle(SYMBOL, bar(1, 96, 97, 94, 96, 2));
    expect((await broker.positions())[0].filled).toBe(0.5);
    expect((await broker.openOrders()).map((o) => [o.role, o.amount])).toEqual([['entry', 1], ['stop', 0.5]]);
    await broker.onCandle(SYMBOL, bar(2, 96, 97, 94, 96, 2));
    expect((await broker.positions())[0].filled).toBe(1);
    expect((await broker.openOrders()).map((o) => [o.role, o.amount])).toEqual([['stop', 1]]);
  });

  it('refuses shorts (spot), a stop above the entry, and what the balance cannot pay', async () => {
    await expect(broker.placeEntry({ id: 's', symbol: SYMBOL, side: 'short', type: 'market', amount: 1, stop: 110 })).rejects.toThrow(InputError);
    await expect(broker.placeEntry({ id: 'b', symbol: SYMBOL, side: 'long', type: 'market', amount: 1, stop: 101 })).rejects.toThrow(/below the entry/);
    await expect(broker.placeEntry({ id: 'r', symbol: SYMBOL, side: 'long', type: 'market', amount: 200, stop: 90 })).rejects.toThrow(ExchangeRejectedError);
    expect((await broker.positions()).map((p) => [p.id, p.status])).toEqual([['r', 'canceled']]);
  });

  it('a restart keeps balances, positions and fills and never re-credits the starting capital', async () => {
    await broker.placeEntry({ id: 'k', symbol: SYMBOL, side: 'long', type: 'market', amount: 1, stop: 90 });
    const balances = await broker.balances();
    const again = await make();
    expect(await again.balances()).toEqual(balances);
    expect((await again.positions()).map((p) => p.id)).toEqual(['k']);
    expect(await again.books.listFills('k')).toHaveLength(1);
  });
});
