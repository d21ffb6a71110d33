/**
 * The broker contract, run against every broker (paper.test.ts, live.test.ts). Expected prices come from the raw
 * sample candles and the plain exchange rules written here (a resting buy limit fills at its price, or at the open
 * when the candle gaps below it; a stop fills at its trigger, or at the open when gapped through), never from the
 * code under test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EntryIntent, Fill } from '../../../../src/engine/exec/broker.ts';
import { InputError } from '../../../../src/engine/errors.ts';
import { CANDLES, FEE, START, START_USDT, SYMBOL, type BrokerHarness } from './harness.ts';

const AMOUNT = 0.01;
/** Lowest low of the first three candles minus 1 USDT: untouched until `firstTouch(LEVEL)`. */
export const LEVEL = round2(Math.min(...CANDLES.slice(START, START + 3).map((c) => c.low)) - 1);

export function firstTouch(level: number, from: number): number {
  let i = from;
  while (CANDLES[i].low > level) i++;
  return i;
}

/** Binance BTCUSDT lot step 0.00001: an exchange order can only be a whole number of steps, rounded down. */
function lots(x: number): number {
  return Math.floor(x * 1e5 + 1e-6) / 1e5;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

const market = (id: string, stop = LEVEL): EntryIntent => ({ id, symbol: SYMBOL, side: 'long', type: 'market', amount: AMOUNT, stop });
const limit = (id: string, price: number, stop: number): EntryIntent => ({ id, symbol: SYMBOL, side: 'long', type: 'limit', amount: AMOUNT, price, stop });

export function brokerContract(name: string, start: () => Promise<BrokerHarness>): void {
  describe(`broker contract: ${name}`, () => {
    let h: BrokerHarness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    it('fills a market entry and puts an exchange-side stop behind exactly the amount held', async () => {
      h = await start();
      const fills: Fill[] = [];
      h.broker.onFill((f) => fills.push(f));
      const { position, duplicate } = await h.broker.placeEntry(market('m1'));
      expect(duplicate).toBe(false);
      expect(position.status).toBe('open');
      // Live Binance takes the buyer's 0.1% fee in BTC; the paper venue charges it in USDT.
      expect(position.filled).toBeGreaterThanOrEqual(AMOUNT * (1 - FEE) - 1e-12);
      expect(position.filled).toBeLessThanOrEqual(AMOUNT);
      // The price trading at the start: previous close / current open, within a few cents.
      expect(Math.abs(position.entryPrice - CANDLES[START].open)).toBeLessThan(0.05);
      expect(fills.map((f) => f.role)).toEqual(['entry']);
      const orders = await h.broker.openOrders();
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ role: 'stop', side: 'sell', stopPrice: LEVEL, amount: lots(position.remaining), status: 'open' });
    });

    it('stale approval (limit long whose stop the price already fell through): the fill is sold at market at once, never left without a stop', async () => {
      h = await start();
      // An fvg_retrace-like long approved late: the market now trades BELOW its stop, so the limit above the market
      // fills at once and the venue refuses the sell stop ("would trigger immediately").
      const now = CANDLES[START].open;
      const stop = round2(now * 1.01);
      const entry = round2(now * 1.02);
      const fills: Fill[] = [];
      h.broker.onFill((f) => fills.push(f));
      const { position } = await h.broker.placeEntry(limit('stale', entry, stop));
      expect(fills.map((f) => f.role)).toEqual(['entry', 'exit']);
      expect(position.status).toBe('closed');
      expect(position.remaining).toBeLessThan(0.00001);
      // Spot venues say "would trigger immediately" (Binance -2010), futures "Order would immediately trigger." (-2021).
      expect(position.closeReason).toMatch(new RegExp(`^the venue refused the protective stop at ${stop} \\(.*would (?:trigger immediately|immediately trigger).*\\); the fill was sold at market at once$`, 'i'));
      // Bought near the market and sold near the market: the loss is the spread and two fees, not a stop-out.
      expect(position.realizedPnl).toBeLessThan(0);
      expect(position.realizedPnl).toBeGreaterThan(-(AMOUNT * now * (2 * FEE + 0.002)));
      expect(await h.broker.openOrders()).toEqual([]);
      expect((await h.broker.positions({ status: ['open', 'pending'] }))).toEqual([]);
      // What was bought was sold: no BTC is left in the account beyond a rounding lot.
      expect((await h.broker.balances()).BTC?.total ?? 0).toBeLessThan(0.00001 + 1e-9);
      // Later candles do not fail and do not re-send anything.
      const before = (await h.venueOrderIds()).length;
      await h.advance();
      await h.advance();
      expect((await h.venueOrderIds()).length).toBe(before);
      expect(new Set(await h.venueOrderIds()).size).toBe(before);
    });

    it('rests a limit entry until a candle trades through it, then fills at the limit', async () => {
      h = await start();
      const touch = firstTouch(LEVEL, START);
      const stop = round2(LEVEL * 0.98);
      await h.broker.placeEntry(limit('l1', LEVEL, stop));
      while (h.index < touch) {
        await h.advance();
        const [p] = await h.broker.positions();
        expect(p.status).toBe('pending');
      }
      await h.advance();
      const [p] = await h.broker.positions();
      expect(p.status).toBe('open');
      expect(p.entryPrice).toBeCloseTo(Math.min(CANDLES[touch].open, LEVEL), 8);
      expect((await h.broker.openOrders()).map((o) => [o.role, o.stopPrice])).toEqual([['stop', stop]]);
    });

    it('closes the position when price reaches the protective stop', async () => {
      h = await start();
      const touch = firstTouch(LEVEL, START + 3);
      await h.broker.placeEntry(market('s1'));
      let exits: Fill[] = [];
      while (h.index <= touch) exits = exits.concat((await h.advance()).filter((f) => f.role === 'stop'));
      const [p] = await h.broker.positions();
      expect(p).toMatchObject({ status: 'closed', closeReason: 'stop-loss', remaining: 0 });
      expect(exits).toHaveLength(1);
      expect(exits[0].price).toBeCloseTo(CANDLES[touch].open <= LEVEL ? CANDLES[touch].open : LEVEL, 8);
      expect(await h.broker.openOrders()).toEqual([]);
      // Loss = bought at the entry, sold at the stop, both legs charged the fee.
      expect(p.realizedPnl).toBeLessThan(0);
      expect(p.realizedPnl).toBeCloseTo(exits[0].amount * (exits[0].price - p.entryPrice) - p.fees, 6);
    });

    it('handles a partial fill: the stop covers what was filled and grows with later fills', async () => {
      h = await start();
      const touch = firstTouch(LEVEL, START);
      await h.broker.placeEntry(limit('p1', LEVEL, round2(LEVEL * 0.98)));
      while (h.index < touch) await h.advance();
      h.partialNext(0.4, AMOUNT);
      await h.advance();
      let [p] = await h.broker.positions();
      expect(p.filled).toBeGreaterThan(0);
      expect(p.filled).toBeLessThanOrEqual(0.4 * AMOUNT + 1e-12);
      const stopFor = async () => (await h!.broker.openOrders()).filter((o) => o.role === 'stop').map((o) => o.amount);
      expect(await stopFor()).toEqual([lots(p.remaining)]);
      expect((await h.broker.openOrders()).find((o) => o.role === 'entry')?.filled).toBeCloseTo(0.4 * AMOUNT, 10);
      for (let i = 0; i < 10 && p.filled < 0.5 * AMOUNT; i++) {
        await h.advance();
        [p] = await h.broker.positions();
      }
      expect(p.filled).toBeGreaterThan(0.99 * AMOUNT * (1 - FEE));
      expect(await stopFor()).toEqual([lots(p.remaining)]);
    });

    it('closes a position on request: the stop is cancelled and what is held is sold at market', async () => {
      h = await start();
      await h.broker.placeEntry(market('x1'));
      await h.advance();
      const exits: Fill[] = [];
      h.broker.onFill((f) => exits.push(f));
      const closed = await h.broker.closePosition('x1', 'trader closed it');
      expect(closed).toMatchObject({ status: 'closed', closeReason: 'trader closed it', remaining: 0 });
      expect(exits.map((f) => f.role)).toEqual(['exit']);
      expect(Math.abs(exits[0].price - CANDLES[START + 1].open)).toBeLessThan(0.05);
      expect(await h.broker.openOrders()).toEqual([]);
      expect((await h.broker.balances()).BTC?.total ?? 0).toBe(0);
    });

    it('takes profit: when price reaches a target, that part is sold at the target and the stop shrinks to the rest', async () => {
      h = await start();
      // Hand-read from the sample: target 64951 is first reached in candle +4 (high 65011.99) which closes below it
      // (64850.66), so the limit rests and fills at 64951 inside candle +5 (open 64850.66, high 65111.29).
      const target = round2(Math.max(CANDLES[START].high, CANDLES[START + 1].high) + 1);
      expect(target).toBe(64951);
      const stop = round2(LEVEL - 600);
      await h.broker.placeEntry({ ...market('tp1', stop), takeProfits: [{ price: target, amount: AMOUNT / 2 }] });
      const fills: Fill[] = [];
      while (h.index <= START + 5) fills.push(...(await h.advance()));
      expect(fills.map((f) => [f.role, f.price, f.amount])).toEqual([['take-profit', target, AMOUNT / 2]]);
      const [p] = await h.broker.positions();
      expect(p.takeProfits).toEqual([]);
      expect(p.remaining).toBeCloseTo(p.filled - AMOUNT / 2, 10);
      expect((await h.broker.openOrders()).map((o) => [o.role, o.stopPrice, o.amount])).toEqual([['stop', stop, lots(p.remaining)]]);
      // Candle +6 trades down to 63701: the rest goes at the stop.
      const last = await h.advance();
      expect(last.map((f) => [f.role, f.price])).toEqual([['stop', stop]]);
      expect((await h.broker.positions())[0]).toMatchObject({ status: 'closed', closeReason: 'stop-loss' });
    });

    it('cancels a resting entry and releases its funds', async () => {
      h = await start();
      const { entry } = await h.broker.placeEntry(limit('c1', round2(CANDLES[START].open * 0.5), round2(CANDLES[START].open * 0.45)));
      expect((await h.broker.balances()).USDT.free).toBeLessThan(START_USDT);
      const cancelled = await h.broker.cancel(entry.id);
      expect(cancelled.status).toBe('canceled');
      expect(await h.broker.openOrders()).toEqual([]);
      expect((await h.broker.positions())[0].status).toBe('canceled');
      expect((await h.broker.balances()).USDT.free).toBeCloseTo(START_USDT, 6);
    });

    it('moves the stop tighter (cancel/replace) and refuses to widen it', async () => {
      h = await start();
      await h.broker.placeEntry(market('t1'));
      const tighter = round2(LEVEL + 50);
      const moved = await h.broker.moveStop('t1', tighter);
      expect(moved.stop).toBe(tighter);
      const orders = await h.broker.openOrders();
      expect(orders.map((o) => [o.role, o.stopPrice, o.amount])).toEqual([['stop', tighter, lots(moved.remaining)]]);
      await expect(h.broker.moveStop('t1', LEVEL)).rejects.toThrow(InputError);
      await expect(h.broker.moveStop('t1', LEVEL)).rejects.toThrow(/widens/);
      // A stop above the market would sell at once: refused before the current stop is touched.
      await expect(h.broker.moveStop('t1', round2(CANDLES[START].open * 1.05))).rejects.toThrow(/at or above the current price/);
      expect((await h.broker.positions())[0].stop).toBe(tighter);
      expect((await h.broker.openOrders()).map((o) => o.id)).toEqual(orders.map((o) => o.id));
    });

    it('keeps positions and open orders across a restart', async () => {
      h = await start();
      await h.broker.placeEntry(market('r1'));
      await h.broker.placeEntry(limit('r2', round2(CANDLES[START].open * 0.5), round2(CANDLES[START].open * 0.45)));
      const positions = await h.broker.positions();
      const orders = await h.broker.openOrders();
      const sent = (await h.venueOrderIds()).length;
      await h.restart();
      expect(await h.broker.positions()).toEqual(positions);
      expect(await h.broker.openOrders()).toEqual(orders);
      expect(await h.broker.reconcile()).toEqual([]);
      await h.advance();
      expect((await h.venueOrderIds()).length).toBe(sent);
    });

    it('treats a second placement of the same intent id as the first', async () => {
      h = await start();
      const first = await h.broker.placeEntry(market('d1'));
      const again = await h.broker.placeEntry(market('d1'));
      expect(again.duplicate).toBe(true);
      expect(again.entry.id).toBe(first.entry.id);
      expect(again.position).toEqual(first.position);
      const ids = await h.venueOrderIds();
      expect(ids.filter((id) => id === first.entry.id)).toHaveLength(1);
      expect(ids).toHaveLength(2); // the entry and its stop
    });
  });
}
