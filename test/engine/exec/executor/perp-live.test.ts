/**
 * Live perp through the executor: with live mode confirmed, an approved short on a perp market goes to the live perp
 * broker — ccxt's real binanceusdm through the gateway, against the exchange fake's USDT-M futures venue — gets its
 * leverage set, a reduce-only STOP_MARKET on the exchange, and closes on that stop when the real July 2024 candles
 * (BTC/USDT 1h) trade through it. The loss is worked out here: units x (stop − entry fill) + 0.1 % commission on
 * each leg (the fake's rate), and its R against the governor's planned risk.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveBroker } from '../../../../src/engine/exec/live/index.ts';
import { createGateway, type ExchangeGateway } from '../../../../src/engine/market/gateway.ts';
import { loadGovernance } from '../../../../src/engine/risk/index.ts';
import { mountFuturesVenue, startExchangeFake, type ExchangeFake } from '../../../helpers/exchange-fake.ts';
import { CANDLES, START } from '../brokers/harness.ts';
import { MARKET, openHarness, signal, type Harness } from './harness.ts';

const COMMISSION = 0.001;
const HOUR = 3_600_000;
/** Highest high of candles +0..+2 plus 1: 64951, first traded through in candle +4 (open 64758, high 65011.99). */
const STOP = 64_951;

let h: Harness | undefined;
let fake: ExchangeFake | undefined;
let gateway: ExchangeGateway | undefined;
afterEach(async () => {
  await h?.close();
  await gateway?.close();
  await fake?.close();
  h = fake = gateway = undefined;
});

describe('executor: a short on a live perp account (binanceusdm against the exchange fake)', () => {
  it('is placed with a reduce-only exchange stop and closes on it: loss = stop distance + both commissions', async () => {
    fake = await startExchangeFake({ now: CANDLES[START - 24].ts });
    const futures = mountFuturesVenue(fake, { balance: 10_000, commission: COMMISSION, timeframe: '1h' });
    gateway = await createGateway({
      exchangeId: 'binance', account: 'perp', urlsOverride: fake.url, apiKey: 'k', secret: 's', enableRateLimit: false,
      now: () => fake!.now(), retry: { sleep: async () => undefined, random: () => 0.5 },
    });
    const g = gateway;
    h = await openHarness(undefined, {
      startAt: CANDLES[START - 24].ts, configuredMode: 'live', accountOf: () => 'perp', randomCode: () => '424242',
      // No targets, no break-even, no trail: candle +2 (low 64494.27) would move the stop to break-even at +0.6R.
      management: { defaultTargets: [], breakEvenAtR: 100, trailAtrMultiple: 0, timeStopBars: 0 },
      makeBrokers: async (db, clock) => ({
        livePerpBroker: await createLiveBroker({ gateway: g, db, now: clock, leverage: 5, leverageCap: loadGovernance().leverageCap }),
      }),
    });
    const feed = async (i: number) => {
      fake!.setNow(CANDLES[i + 1].ts);
      h!.now.value = CANDLES[i].ts + HOUR;
      await h!.executor.onCandle(MARKET, CANDLES[i]);
    };
    for (let i = START - 24; i < START; i++) await feed(i);
    expect((await h.executor.requestLive()).ok).toBe(true);
    expect((await h.executor.confirmLive('424242')).ok).toBe(true);

    const sig = signal(0, { id: 'live-short', side: 'short', entry: CANDLES[START - 1].close, stop: STOP, ts: CANDLES[START - 1].ts, validUntil: CANDLES[START + 2].ts });
    const result = await h.executor.approve(sig, 'trader');
    expect(result.status).toBe('accepted');
    expect(result.outcome).toMatch(/^Placed \(live\): BTC\/USDT short /);
    const units = result.verdict?.status === 'accepted' ? result.verdict.size.units : NaN;
    const planned = result.verdict?.status === 'accepted' ? result.verdict.size.riskQuote : NaN;
    const stopOrder = futures.book.orders.find((o) => o.algo);
    expect(stopOrder).toMatchObject({ type: 'STOP_MARKET', side: 'BUY', reduceOnly: true, stopPrice: STOP });
    expect(futures.book.positions.get('BTCUSDT')).toMatchObject({ marginType: 'ISOLATED', leverage: Math.min(5, loadGovernance().leverageCap) });
    // The fake sells a market order one tick below the open of the candle containing its clock.
    const entryFill = CANDLES[START].open - 0.01;
    const [open] = await h.executor.positions();
    expect(open).toMatchObject({ side: 'short', status: 'open', entryPrice: expect.closeTo(entryFill, 6), account: 'live' });
    const size = open.size;

    for (let i = START; i <= START + 4; i++) await feed(i);
    expect(await h.executor.positions()).toEqual([]);
    const closed = h.events.find((e) => e.type === 'trade-closed');
    const net = -size * (STOP - entryFill) - size * (entryFill + STOP) * COMMISSION;
    expect(closed?.type === 'trade-closed' && closed.pnl).toBeCloseTo(net, 4);
    // Sized from the bare stop distance today (entry − stop), so the commission adds its share on top of 1R:
    // 0.1 % x 2 legs x 64,700 / 283 of stop distance ≈ 0.46R. Net-of-cost sizing brings it to ≈ −1R.
    expect(size).toBeLessThanOrEqual(units);
    expect(net / planned).toBeGreaterThan(-1.5);
    expect(net / planned).toBeLessThan(-0.95);
    expect(futures.book.positions.get('BTCUSDT')?.amt).toBe(0);
    expect(fake.unrouted).toEqual([]);
  });
});
