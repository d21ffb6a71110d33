/**
 * Executor over the real paper broker, with hand-computed expectations (fees 0, equity 10 000, risk 0.8 %):
 * entry 100, stop 98 → 1R = 2 per unit, size = 80 / 2 = 40 units; default targets 25 % at 1R (102) and 2R (104).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StaleConfirmationError } from '../../../../src/engine/errors.ts';
import { describeBackends } from '../../../helpers/backends.ts';
import { candle, HOUR, MARKET, openHarness, openHarnessOn, signal, T0, warmUp, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describeBackends('executor: approve → paper position → exit → pnl', (backend) => {
  it('sizes by the governor, places on the paper broker, closes on the stop at −1R and reports it in pnl()', async () => {
    h = await openHarnessOn(backend);
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    const result = await h.executor.approve(signal(0), 'trader');
    expect(result.status).toBe('accepted');
    expect(result.verdict?.status === 'accepted' && result.verdict.size.units).toBe(40);
    expect(result.outcome).toMatch(/Placed \(paper\): BTC\/USDT long 40 units/);

    const [open] = await h.executor.positions();
    expect(open).toMatchObject({ id: 'sig-0', status: 'open', entryPrice: 100, size: 40, remaining: 40, stop: 98 });

    await h.feed(candle(1, 99.5, 99.8, 97, 97.5)); // trades through the stop at 98
    expect(await h.executor.positions()).toEqual([]);
    const pnl = await h.executor.pnl('day');
    expect(pnl.trades).toBe(1);
    expect(pnl.realized).toBeCloseTo(-80, 9); // 40 × (98 − 100)
    expect(pnl.realizedR).toBeCloseTo(-1, 9);
    expect(pnl.bySetup).toEqual([expect.objectContaining({ setupId: 'test_setup', trades: 1 })]);
    expect(h.executor.equity()).toBeCloseTo(9920, 9);
    expect(h.events.filter((e) => e.type === 'trade-closed')).toHaveLength(1);
  });

  it('takes the first target, trails the rest at 1.8 × ATR after it, and books +41 (+0.5125R)', async () => {
    h = await openHarnessOn(backend);
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    await h.executor.approve(signal(0), 'trader');
    // High 102.5 reaches 1R (102): the broker rests a limit for 10 units. Management at the close: best 102.5 is
    // +1.25R ≥ 0.6R → break-even, and a target is taken → trail 102.5 − 1.8 × 1 = 100.7 (tighter): stop 100.7.
    await h.feed(candle(1, 100, 102.5, 99.5, 101.5));
    expect(h.events).toContainEqual({ type: 'stop-moved', positionId: 'sig-0', from: 98, to: 100.7, reason: 'trailing-stop' });
    // Next candle trades through both the limit (102) and the stop (100.7).
    await h.feed(candle(2, 101.5, 102.2, 100, 100.3));
    const pnl = await h.executor.pnl('day');
    expect(pnl.trades).toBe(1);
    expect(pnl.realized).toBeCloseTo(10 * 2 + 30 * 0.7, 9);
    expect(pnl.realizedR).toBeCloseTo(41 / 80, 9);
  });

  it('a signal without an ATR (too little history for ATR 14) is managed with no trailing, like the backtest, not lost', async () => {
    h = await openHarnessOn(backend);
    // Five candles: neither the detector's ATR (no context.atr) nor the executor's own ATR 14 exists yet.
    await warmUp(h, 5);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    const result = await h.executor.approve(signal(0, { context: {} }), 'trader');
    expect(result.status).toBe('accepted');
    const [open] = await h.executor.positions();
    expect(open).toMatchObject({ id: 'sig-0', status: 'open', stop: 98, size: 40 });
    // The first target (102) is taken, break-even moves the stop to 100; without an ATR nothing trails (as in the
    // session, exec/sim/position.ts), so the stop stays at break-even rather than at best − 1.8 × ATR.
    await h.feed(candle(1, 100, 102.5, 99.5, 101.5));
    expect(h.events.filter((e) => e.type === 'stop-moved').map((e) => e.type === 'stop-moved' && [e.to, e.reason])).toEqual([[100, 'break-even-stop']]);
  });

  it('a double tap on Approve returns the first verdict and places nothing new', async () => {
    h = await openHarnessOn(backend);
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    const first = await h.executor.approve(signal(0), 'trader');
    const again = await h.executor.approve(signal(0), 'trader');
    expect(again).toMatchObject({ status: 'accepted', duplicate: true, outcome: first.outcome });
    expect(await h.executor.positions()).toHaveLength(1);
  });
});

describe('executor: spot balance', () => {
  it('shrinks an order the governor allows on leverage to what the free spot balance buys, and says so', async () => {
    h = await openHarness();
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    // 1R = 0.1: risk 80 → 800 units; the 3× account leverage cap → 300 units (30 000 notional); spot, 10 000 USDT
    // with 1 % kept for fees → floor(10 000 / 101, 0.00001) = 99.0099 units.
    const result = await h.executor.approve(signal(0, { stop: 99.9 }), 'trader');
    expect(result.status).toBe('accepted');
    expect(result.verdict?.status === 'accepted' && result.verdict.size.units).toBe(99.0099);
    expect(result.outcome).toMatch(/spot account: the free 10000 USDT buys at most 99\.0099 units/);
  });
});

describe('executor: refusals are stored with rule and reason', () => {
  /** Opens at 100 with stop 98 at hour i and lets the next candle stop it out. */
  async function lose(harness: Harness, i: number): Promise<void> {
    const r = await harness.executor.approve(signal(i), 'trader');
    expect(r.status).toBe('accepted');
    await harness.feed(candle(i + 1, 99.5, 99.8, 97, 97.5));
    for (let k = i + 2; k <= i + 5; k++) await harness.feed(candle(k, 100, 100.5, 99.5, 100));
  }

  it('three stopped trades fill the day to the daily lock; the next approval is refused by daily-loss-limit, and a restart keeps it', async () => {
    h = await openHarness();
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    await lose(h, 0);
    await lose(h, 5);
    await lose(h, 10);
    const day = await h.executor.pnl('day');
    expect(day.trades).toBe(3);
    expect((day.realized / 10_000) * 100).toBeLessThanOrEqual(-1.8);
    expect(h.events.filter((e) => e.type === 'daily-lock')).toHaveLength(1);

    const refused = await h.executor.approve(signal(15), 'trader');
    expect(refused.status).toBe('refused');
    expect(refused.rule).toBe('daily-loss-limit');
    expect(refused.reason).toMatch(/daily/i);
    const csv = await h.executor.journalCsv();
    const row = csv.trim().split('\n').find((l) => l.startsWith('sig-15,'))!;
    expect(row).toContain(',refused,daily-loss-limit,');

    // Restart: a new broker and executor on the same file continue with the same lock, verdicts and trades.
    const file = h.file;
    const equityBefore = h.executor.equity();
    await h.close();
    h = await openHarness(file, { startAt: T0 + 16 * HOUR });
    expect(h.executor.equity()).toBeCloseTo(equityBefore, 9);
    expect((await h.executor.risk()).join('\n')).toMatch(/daily lock/);
    expect(await h.executor.approve(signal(16), 'trader')).toMatchObject({ status: 'refused', rule: 'daily-loss-limit' });
    expect(await h.executor.approve(signal(15), 'trader')).toMatchObject({ duplicate: true, rule: 'daily-loss-limit' });
    expect((await h.executor.pnl('day')).trades).toBe(3);
    // The next trader's day (UTC) lifts the lock.
    for (let k = 16; k < 26; k++) await h.feed(candle(k, 100, 100.5, 99.5, 100));
    h.now.value = T0 + 26 * HOUR;
    expect((await h.executor.approve(signal(25, { validUntil: T0 + 30 * HOUR }), 'trader')).rule).not.toBe('daily-loss-limit');
  });

  it('a restart keeps an open position under management: it still stops out, with the same numbers', async () => {
    h = await openHarness();
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    await h.executor.approve(signal(0), 'trader');
    const before = await h.executor.positions();
    const file = h.file;
    await h.close();
    h = await openHarness(file, { startAt: T0 + HOUR });
    expect(await h.executor.positions()).toEqual(before);
    await h.feed(candle(1, 99.5, 99.8, 97, 97.5));
    expect((await h.executor.pnl('day')).realized).toBeCloseTo(-80, 9);
  });

  it('pause refuses new entries until resume; an expired signal is refused by name', async () => {
    h = await openHarness();
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    await h.executor.pause('trader');
    expect(await h.executor.approve(signal(0), 'trader')).toMatchObject({ status: 'refused', rule: 'paused' });
    await h.executor.resume('trader');
    expect(await h.executor.approve(signal(-5, { id: 'old' }), 'trader')).toMatchObject({ status: 'refused', rule: 'expired' });
    expect((await h.executor.approve(signal(0, { id: 'fresh' }), 'trader')).status).toBe('accepted');
  });
});

describe('executor: exchange unreachable, live mode', () => {
  it('no new entries while the exchange is down; the trader is told once, and again when it recovers', async () => {
    const { ExchangeUnavailableError } = await import('../../../../src/engine/errors.ts');
    const down = { value: false };
    h = await openHarness(undefined, {
      wrapBroker: (b) =>
        new Proxy(b, {
          get(target, prop, receiver) {
            const value = Reflect.get(target, prop, receiver);
            if ((prop === 'placeEntry' || prop === 'onCandle') && typeof value === 'function') {
              return (...args: unknown[]) => (down.value ? Promise.reject(new ExchangeUnavailableError('binance: connection refused')) : value.apply(target, args));
            }
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
    });
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    down.value = true;
    const failed = await h.executor.approve(signal(0), 'trader');
    expect(failed).toMatchObject({ status: 'failed', rule: 'exchange-unavailable' });
    await h.feed(candle(1, 100, 100.5, 99.5, 100));
    expect(await h.executor.approve(signal(1), 'trader')).toMatchObject({ status: 'refused', rule: 'exchange-unavailable' });
    await h.feed(candle(2, 100, 100.5, 99.5, 100));
    expect(h.events.filter((e) => e.type === 'exchange-unavailable')).toHaveLength(1);
    expect((await h.executor.risk()).join('\n')).toMatch(/Exchange unreachable/);
    down.value = false;
    await h.feed(candle(3, 100, 100.5, 99.5, 100));
    expect(h.events.filter((e) => e.type === 'exchange-recovered')).toHaveLength(1);
    expect((await h.executor.approve(signal(3), 'trader')).status).toBe('accepted');
  });

  it('live needs config mode live AND a one-time code; a wrong code burns it and everything stays paper', async () => {
    h = await openHarness();
    expect(await h.executor.requestLive()).toMatchObject({ ok: false });
    await h.close();
    let n = 0;
    const codes = ['111111', '222222'];
    h = await openHarness(undefined, { configuredMode: 'live', randomCode: () => codes[n++] });
    // The live broker is the paper one here: only the switch is under test.
    h = await openHarness(h.file, { configuredMode: 'live', liveBroker: h.broker, randomCode: () => codes[n++] });
    const first = await h.executor.requestLive();
    expect(first).toMatchObject({ ok: true, code: '111111' });
    expect((await h.executor.confirmLive('999999')).ok).toBe(false);
    expect((await h.executor.confirmLive('111111')).ok).toBe(false); // burnt by the wrong guess
    expect(h.executor.mode()).toBe('paper');
    const second = await h.executor.requestLive();
    expect(second).toMatchObject({ ok: true, code: '222222' });
    expect((await h.executor.confirmLive('222222')).ok).toBe(true);
    expect(h.executor.mode()).toBe('live');
    expect(h.events).toContainEqual({ type: 'mode', mode: 'live' });
  });
});

describeBackends('executor: journal and report', (backend) => {
  it('journalCsv has one row per verdict linking orders, fills and the outcome; report() renders the equity PNG', async () => {
    h = await openHarnessOn(backend);
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    await h.executor.approve(signal(0), 'trader');
    await h.feed(candle(1, 99.5, 99.8, 97, 97.5));
    const lines = (await h.executor.journalCsv()).trim().split('\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['signal_id', 'signal_time', 'setup_id']);
    expect(lines).toHaveLength(2);
    const row = lines[1];
    expect(row).toMatch(/^sig-0,2024-07-01T00:00:00.000Z,test_setup,v1,BTC\/USDT,1h,long,100,98,trader,/);
    expect(row).toContain('entry:market:filled:40/40');
    expect(row).toContain('stop sell 40@98');
    expect(row).toMatch(/,closed,100,98,.*,-80\.00,-1\.000,/);
    const report = await h.executor.report('day');
    expect(report.text).toMatch(/realized -80\.00 \(-1\.00R\) over 1 trade/);
    expect(report.equityPng?.subarray(1, 4).toString()).toBe('PNG');
  });

  it('a /resume confirmation is bound to the state it was shown for: after a later pause it resumes nothing', async () => {
    h = await openHarnessOn(backend);
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    await h.executor.pause('trader');
    const shown = h.executor.controlToken();
    // Someone pauses again (another device, or the same trader later) before the old Yes is pressed.
    await h.executor.pause('phone');
    await expect(h.executor.resume('trader', shown)).rejects.toBeInstanceOf(StaleConfirmationError);
    expect(await h.executor.approve(signal(0), 'trader')).toMatchObject({ status: 'refused', rule: 'paused' });
    // The token of the state as it is now works.
    await h.executor.resume('trader', h.executor.controlToken());
    expect((await h.executor.approve(signal(0, { id: 'after' }), 'trader')).status).toBe('accepted');
  });
});

void MARKET;
