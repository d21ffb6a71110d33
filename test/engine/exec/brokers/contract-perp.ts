/**
 * The perpetual-futures part of the broker contract, run against the perp paper broker and the perp live broker
 * (ccxt's real binanceusdm against the exchange fake's futures venue). The long contract (./contract.ts) runs on
 * both as well; this adds what only a futures account can do: shorts, reduce-only protection, leverage, margin.
 * Expected prices come from the raw sample candles (hand-read values are written next to them) and the plain
 * exchange rules: a sell limit fills at its price or at a better (higher) gap open, a buy stop at its trigger or
 * at the worse (higher) gap open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EntryIntent, Fill } from '../../../../src/engine/exec/broker.ts';
import { ExchangeRejectedError, InputError } from '../../../../src/engine/errors.ts';
import { CANDLES, FEE, START, SYMBOL, type BrokerHarness } from './harness.ts';

const AMOUNT = 0.01;
/** The leverage the perp brokers are created with, and the governance cap that clamps it. */
export const PERP_LEVERAGE = 5;
export const PERP_LEVERAGE_CAP = 3;

/** Highest high of the first three candles plus 1 USDT: 64951 on the sample, first reached in candle +4. */
const LEVEL_UP = round2(Math.max(...CANDLES.slice(START, START + 3).map((c) => c.high)) + 1);

function firstTouchUp(level: number, from: number): number {
  let i = from;
  while (CANDLES[i].high < level) i++;
  return i;
}

function lots(x: number): number {
  return Math.floor(x * 1e5 + 1e-6) / 1e5;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export interface PerpHarness extends BrokerHarness {
  /** clientOrderIds of the orders the venue holds as reduce-only. */
  reduceOnlyIds(): Promise<string[]>;
  /** The leverage the venue has for the symbol. */
  leverage(): Promise<number | undefined>;
}

const short = (id: string, stop = LEVEL_UP): EntryIntent => ({ id, symbol: SYMBOL, side: 'short', type: 'market', amount: AMOUNT, stop });

export function perpBrokerContract(name: string, start: () => Promise<PerpHarness>): void {
  describe(`perp broker contract: ${name}`, () => {
    let h: PerpHarness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    it('opens a short at market, sets the leverage (clamped to the cap) and rests a reduce-only buy stop above', async () => {
      expect(LEVEL_UP).toBe(64951);
      h = await start();
      const { position } = await h.broker.placeEntry(short('sh1'));
      expect(position).toMatchObject({ side: 'short', status: 'open' });
      // Futures fees are taken in USDT: the whole amount is held.
      expect(position.filled).toBeCloseTo(AMOUNT, 12);
      expect(Math.abs(position.entryPrice - CANDLES[START].open)).toBeLessThan(0.05);
      const orders = await h.broker.openOrders();
      expect(orders.map((o) => [o.role, o.side, o.type, o.stopPrice, o.amount])).toEqual([['stop', 'buy', 'stop-market', LEVEL_UP, AMOUNT]]);
      expect(await h.reduceOnlyIds()).toEqual([orders[0].id]);
      expect(await h.leverage()).toBe(PERP_LEVERAGE_CAP);
    });

    it('closes the short on its stop: bought back at the trigger, loss = amount x (exit - entry) + both fees', async () => {
      h = await start();
      const touch = firstTouchUp(LEVEL_UP, START + 3);
      expect(touch).toBe(START + 4); // candle +4: open 64758, high 65011.99
      await h.broker.placeEntry(short('sh2'));
      const exits: Fill[] = [];
      while (h.index <= touch) exits.push(...(await h.advance()).filter((f) => f.role === 'stop'));
      const [p] = await h.broker.positions();
      expect(p).toMatchObject({ status: 'closed', closeReason: 'stop-loss', remaining: 0 });
      expect(exits.map((f) => [f.side, f.price, f.amount])).toEqual([['buy', LEVEL_UP, AMOUNT]]);
      const fees = FEE * AMOUNT * (p.entryPrice + LEVEL_UP);
      expect(p.fees).toBeCloseTo(fees, 6);
      expect(p.realizedPnl).toBeCloseTo(AMOUNT * (p.entryPrice - LEVEL_UP) - fees, 6);
      expect(await h.broker.openOrders()).toEqual([]);
    });

    it('rests a short limit entry above the market and fills it at the limit when a candle trades up through it', async () => {
      h = await start();
      const touch = firstTouchUp(LEVEL_UP, START);
      const stop = round2(LEVEL_UP * 1.02);
      await h.broker.placeEntry({ id: 'sl1', symbol: SYMBOL, side: 'short', type: 'limit', amount: AMOUNT, price: LEVEL_UP, stop });
      while (h.index < touch) {
        await h.advance();
        expect((await h.broker.positions())[0].status).toBe('pending');
      }
      await h.advance();
      const [p] = await h.broker.positions();
      expect(p.status).toBe('open');
      expect(p.entryPrice).toBeCloseTo(Math.max(CANDLES[touch].open, LEVEL_UP), 8);
      expect((await h.broker.openOrders()).map((o) => [o.role, o.side, o.stopPrice])).toEqual([['stop', 'buy', stop]]);
    });

    it('takes profit on a short: the leg is bought back at the target below, the stop shrinks to the rest', async () => {
      h = await start();
      // Hand-read: 63800 is first reached in candle +6 (low 63701, close 63995.4 above it), so the reduce-only buy
      // limit rests and fills at 63800 inside candle +7 (open 63995.4, low 63400).
      const target = 63_800;
      expect(CANDLES[START + 6].low).toBeLessThanOrEqual(target);
      expect(Math.min(...CANDLES.slice(START, START + 6).map((c) => c.low))).toBeGreaterThan(target);
      const stop = round2(LEVEL_UP + 600);
      await h.broker.placeEntry({ ...short('stp1', stop), takeProfits: [{ price: target, amount: AMOUNT / 2 }] });
      const fills: Fill[] = [];
      while (h.index <= START + 7) fills.push(...(await h.advance()));
      expect(fills.map((f) => [f.role, f.side, f.price, f.amount])).toEqual([['take-profit', 'buy', target, AMOUNT / 2]]);
      const [p] = await h.broker.positions();
      expect(p.remaining).toBeCloseTo(AMOUNT / 2, 10);
      expect((await h.broker.openOrders()).map((o) => [o.role, o.side, o.stopPrice, o.amount])).toEqual([['stop', 'buy', stop, lots(p.remaining)]]);
      expect((await h.reduceOnlyIds()).sort()).toEqual((await h.broker.openOrders()).map((o) => o.id).sort());
    });

    it('moves a short\'s stop only down, and never to or below the market', async () => {
      h = await start();
      await h.broker.placeEntry(short('smv'));
      const tighter = round2(LEVEL_UP - 50);
      expect((await h.broker.moveStop('smv', tighter)).stop).toBe(tighter);
      await expect(h.broker.moveStop('smv', LEVEL_UP)).rejects.toThrow(InputError);
      await expect(h.broker.moveStop('smv', LEVEL_UP)).rejects.toThrow(/widens/);
      await expect(h.broker.moveStop('smv', round2(CANDLES[START].open * 0.95))).rejects.toThrow(/at or below the current price/);
      expect((await h.broker.openOrders()).map((o) => [o.role, o.stopPrice])).toEqual([['stop', tighter]]);
    });

    it('closes a short on request: the stop is cancelled and the amount bought back at market, reduce-only', async () => {
      h = await start();
      await h.broker.placeEntry(short('scl'));
      await h.advance();
      const exits: Fill[] = [];
      h.broker.onFill((f) => exits.push(f));
      const closed = await h.broker.closePosition('scl', 'trader closed it');
      expect(closed).toMatchObject({ status: 'closed', closeReason: 'trader closed it', remaining: 0 });
      expect(exits.map((f) => [f.role, f.side])).toEqual([['exit', 'buy']]);
      expect(Math.abs(exits[0].price - CANDLES[START + 1].open)).toBeLessThan(0.05);
      expect(await h.broker.openOrders()).toEqual([]);
      expect(await h.broker.reconcile()).toEqual([]);
    });

    it('refuses what the margin cannot pay with the exchange\'s own words, and cancels the position', async () => {
      h = await start();
      // 10 BTC short at ~64,668 and 3x: about 215,560 USDT of margin against a 10,000 USDT wallet.
      const error = await h.broker.placeEntry({ ...short('big'), amount: 10 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExchangeRejectedError);
      expect((error as Error).message).toMatch(/Margin is insufficient\./);
      expect((await h.broker.positions()).map((p) => [p.id, p.status])).toEqual([['big', 'canceled']]);
    });

    it('keeps a short across a restart: same books, venue position reconciles, nothing sent twice', async () => {
      h = await start();
      await h.broker.placeEntry(short('srs'));
      const positions = await h.broker.positions();
      const sent = (await h.venueOrderIds()).length;
      await h.restart();
      expect(await h.broker.positions()).toEqual(positions);
      expect(await h.broker.reconcile()).toEqual([]);
      await h.advance();
      expect((await h.venueOrderIds()).length).toBe(sent);
    });
  });
}
