/**
 * Paper takes its decisions with the trading session's rules (src/engine/trading/decision.ts): the opposite-signal
 * exit, the signal policy (account side, minimum score, cost in R), one position per market, the price already
 * beyond the stop (a refusal, never an order) and net-1R sizing. Real paper broker, hand-computed numbers:
 * equity 10 000, risk 0.8 % → 80 quote per R; entry 100, stop 98.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NO_COSTS } from '../../../../src/engine/exec/sim/fill-model.ts';
import { createPerpPaperBroker } from '../../../../src/engine/exec/paper/index.ts';
import { loadGovernance } from '../../../../src/engine/risk/index.ts';
import { DEFAULT_PLAN, takeProfitLegs } from '../../../../src/engine/exec/executor/management.ts';
import { candle, openHarness, signal, warmUp, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const FEE = { ...NO_COSTS, makerFee: 0.001, takerFee: 0.001 };

describe('executor decisions = trading session decisions', () => {
  it('an opposite signal exits the open position at once (exit-and-reverse); the short itself is refused on spot by "side"', async () => {
    h = await openHarness(undefined, { oppositeSignal: () => 'exit-and-reverse', policy: { minScore: 0, maxCostR: 0.25 } });
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    expect((await h.executor.approve(signal(0), 'trader')).status).toBe('accepted');
    await h.feed(candle(1, 100, 101.5, 99.9, 101));
    const short = signal(1, { side: 'short', stop: 103, score: 8 });
    expect(await h.executor.onSignal(short)).toEqual(['BTC/USDT long closed on an opposite signal: 40.00']); // 40 × (101 − 100)
    expect(await h.executor.positions()).toEqual([]);
    const closed = h.events.find((e) => e.type === 'trade-closed');
    expect(closed).toMatchObject({ setupId: 'test_setup', setupVersion: 'v1', reason: 'opposite signal test_setup short' });
    const refused = await h.executor.approve(short, 'trader');
    expect(refused).toMatchObject({ status: 'refused', rule: 'side', reason: 'a spot account cannot sell short' });
  });

  it('ignore (a setup without exit_on_opposite): the position stays, and the opposite signal is refused by "opposite-position"', async () => {
    // A perp market (both sides allowed), so only the position rule can refuse the short.
    h = await openHarness(undefined, {
      accountOf: () => 'perp',
      makePerp: (db, clock) => createPerpPaperBroker({
        db, costs: NO_COSTS, initialBalances: { USDT: 10_000 }, leverage: 1, leverageCap: loadGovernance().leverageCap, now: clock,
        markets: { 'BTC/USDT': { base: 'BTC', quote: 'USDT', amountStep: 0.00001, minAmount: 0.00001, minNotional: 5 } },
      }),
    });
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    await h.executor.approve(signal(0), 'trader');
    const short = signal(1, { side: 'short', stop: 103 });
    expect(await h.executor.onSignal(short)).toEqual([]);
    expect(await h.executor.approve(short, 'trader')).toMatchObject({ status: 'refused', rule: 'opposite-position' });
    expect((await h.executor.positions()).map((p) => p.id)).toEqual(['sig-0']);
  });

  it('one position per market: a second long is refused while one is open or an entry is pending', async () => {
    h = await openHarness();
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    await h.executor.approve(signal(0, { entryType: 'limit', entry: 99, stop: 97 }), 'trader');
    expect(await h.executor.approve(signal(1), 'trader')).toMatchObject({ status: 'refused', rule: 'one-position', reason: 'an entry order is already pending on this market' });
    await h.feed(candle(1, 99.5, 99.8, 98.8, 99.5)); // fills the limit at 99
    expect(await h.executor.approve(signal(2), 'trader')).toMatchObject({ status: 'refused', rule: 'one-position', reason: 'already in a position on this market' });
  });

  it('the last price already beyond the stop: refused by "beyond-stop" before anything is placed', async () => {
    h = await openHarness();
    await warmUp(h);
    // The signal candle closed at 97.6, below the limit long's stop 98: a limit at 99 would fill at once, unprotected.
    await h.feed(candle(0, 100, 100.2, 97.5, 97.6));
    const result = await h.executor.approve(signal(0, { entryType: 'limit', entry: 99, stop: 98 }), 'trader');
    expect(result).toMatchObject({ status: 'refused', rule: 'beyond-stop', reason: 'the price 97.6 is already beyond the stop 98 now' });
    expect(await h.broker.openOrders()).toEqual([]);
    expect(await h.broker.positions()).toEqual([]);
    expect(await h.executor.positions()).toEqual([]);
  });

  it('the signal policy: minimum score and the cost of a stopped trade at the account fees (0.1 %/side)', async () => {
    h = await openHarness(undefined, { policy: { minScore: 7, maxCostR: 0.25 }, costs: FEE, paperCosts: FEE });
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    expect(await h.executor.approve(signal(0, { score: 6.5 }), 'trader')).toMatchObject({ status: 'refused', rule: 'min-score', reason: 'score 6.5 is below the minimum 7' });
    // Stop 99.8: fees 0.1 + 0.0998 against a gross risk of 0.2 → 1.00 R.
    expect(await h.executor.approve(signal(1, { score: 8, stop: 99.8 }), 'trader')).toMatchObject({
      status: 'refused', rule: 'cost', reason: 'a stopped trade would cost 1.00 R in fees and slippage (limit 0.25 R)',
    });
  });

  it('net-1R sizing: 80 / (2 + 0.100 + 0.098) = 36.39672 units, and the stopped trade loses 80 net (−1R net)', async () => {
    h = await openHarness(undefined, { costs: FEE, paperCosts: FEE });
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    const result = await h.executor.approve(signal(0), 'trader');
    expect(result.verdict?.status === 'accepted' && result.verdict.size.units).toBe(36.39672);
    await h.feed(candle(1, 99.5, 99.8, 97, 97.5));
    const pnl = await h.executor.pnl('day');
    expect(pnl.realized).toBeCloseTo(-80, 1); // 36.39672 × 2.198 = 79.9999
    expect(pnl.realizedR).toBeCloseTo(-1, 4); // R net of fees, as the session measures it
  });

  it('a resting limit lives until its validity exactly: the candle opening at validUntil does not fill it', async () => {
    h = await openHarness();
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    // Valid until T0 + 3h; candles 1 and 2 stay above 99, candle 3 (opening at T0 + 3h) trades through it.
    expect((await h.executor.approve(signal(0, { entryType: 'limit', entry: 99, stop: 97 }), 'trader')).status).toBe('accepted');
    await h.feed(candle(1, 100, 100.5, 99.5, 100));
    await h.feed(candle(2, 100, 100.5, 99.5, 100));
    await h.feed(candle(3, 100, 100.2, 98.5, 99.2));
    expect(await h.executor.positions()).toEqual([]);
    expect(await h.broker.positions()).toEqual([expect.objectContaining({ id: 'sig-0', status: 'canceled', filled: 0, closeReason: 'expired before fill' })]);
    expect(await h.broker.openOrders()).toEqual([]);
  });

  it('a take-profit the candle trades through fills at its price in that candle, also when the candle closes below it', async () => {
    h = await openHarness();
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    await h.executor.approve(signal(0), 'trader'); // 40 units, 10 at 1R = 102
    await h.feed(candle(1, 100, 102.5, 99.5, 101)); // a wick through 102, close below it
    const [open] = await h.executor.positions();
    expect(open).toMatchObject({ remaining: 30 });
    expect(open.realized).toBeCloseTo(20, 9); // 10 × (102 − 100)
  });

  it('take-profit legs whose fractions add up to the whole close the whole, in whole lot steps (no dust left without a stop)', () => {
    const s = signal(0, { entry: 87626.96, stop: 86120.34, targets: [{ price: 89133.58, r: 1, closeFraction: 0.25 }, { price: 90640.2, r: 2, closeFraction: 0.25 }, { price: 92146.82, r: 3, closeFraction: 0.5 }] });
    const legs = takeProfitLegs(s, 87626.96, 0.03547, 0.00001, DEFAULT_PLAN, 1.8);
    expect(legs.map((l) => l.amount)).toEqual([0.00886, 0.00886, 0.01775]);
  });
});
