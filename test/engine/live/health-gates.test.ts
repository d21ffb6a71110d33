/**
 * Health gates against the exchange fake (ccxt's real binance class over loopback): a stale feed, a gap the exchange
 * cannot fill and a host clock off the exchange's each pause new entries on the markets concerned with ONE alert,
 * and resume with ONE message when they clear; the executor refuses entries there in the meantime.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PollingFeed } from '../../../src/engine/live/poll-feed.ts';
import { HealthGates } from '../../../src/engine/live/health-gates.ts';
import { notifyHealthGates } from '../../../src/bot/execution/health-notify.ts';
import { upsertCandles } from '../../../src/engine/store/candles.ts';
import type { MarketKey } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { startRig, stopRig, type Rig } from '../market/gateway/setup.ts';
import { HOUR, tempDb, type TempDb } from '../journal/fixtures.ts';
import { newPipeline } from './rig.ts';
import { openHarness, signal } from '../exec/executor/harness.ts';

const BTC: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
const BTC_1H = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 400);
const closeOf = (i: number) => BTC_1H[i].ts + HOUR;
/** How the gates write a candle's open time (checked against the data file's own timestamps, not the code). */
const utc = (i: number) => `${new Date(BTC_1H[i].ts).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** What the trader reads, in order. */
function recordingChat() {
  const texts: string[] = [];
  return { texts, notifier: { notifyText: async (_chatId: number, html: string) => void texts.push(html.replace(/<[^>]+>/g, '')) } };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('health gates', () => {
  let t: TempDb;
  let rig: Rig | undefined;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => {
    await stopRig(rig);
    rig = undefined;
    await t.cleanup();
  });

  it('a stale feed pauses new entries on that market with one alert and resumes with one message', async () => {
    // The exchange runs two closes behind this host's clock: its newest closed candle is 202 when 204 is due.
    rig = await startRig({ now: closeOf(202) + 5_000 });
    await upsertCandles(t.store, BTC, BTC_1H.slice(0, 200));
    const hostNow = { value: closeOf(204) + 5_000 };
    const pipeline = newPipeline(t.store, { warmupCandles: 300, sourceFor: () => rig!.gateway, now: () => hostNow.value });
    const gates = new HealthGates({ now: () => hostNow.value });
    gates.watch(pipeline.events);
    const chat = recordingChat();
    notifyHealthGates(chat.notifier, gates, [1], 'ru');
    const feed = new PollingFeed({ pipeline, sourceFor: () => rig!.gateway, markets: async () => [BTC], now: () => hostNow.value });

    await feed.tick('1h');
    await feed.tick('1h'); // still stale: no second alert
    await settle();
    expect(utc(204)).toBe('2024-07-18 12:00 UTC');
    expect(gates.blocked(BTC)).toBe(`health gate: feed stale: expected the candle of ${utc(204)}, the last closed candle opened ${utc(202)}`);
    expect(gates.blocked({ ...BTC, timeframe: '4h' })).toBeUndefined();
    expect(chat.texts).toEqual([
      `⛔ Новые входы приостановлены на BTC/USDT 1h: данные устарели: ожидалась свеча ${utc(204)}, последняя закрытая открылась ${utc(202)}. Открытые позиции сохраняют стопы; сообщу, когда это пройдёт.`,
    ]);

    // The executor journals the refusal with the gate's words instead of placing anything.
    const h = await openHarness(undefined, { entryGate: (m) => gates.blocked(m), startAt: hostNow.value });
    try {
      const refused = await h.executor.approve({ ...signal(0), ts: BTC_1H[204].ts, validUntil: closeOf(206) }, 'test');
      expect(refused).toMatchObject({ status: 'refused', rule: 'health-gate' });
      expect(refused.reason).toContain('feed stale');
      expect(await h.broker.positions()).toEqual([]);
    } finally {
      await h.close();
    }

    // The exchange catches up: the due candle arrives and the gate clears, once.
    rig.fake.setNow(closeOf(204) + 5_000);
    await feed.tick('1h');
    await feed.tick('1h');
    await settle();
    expect(gates.blocked(BTC)).toBeUndefined();
    expect(chat.texts).toHaveLength(2);
    expect(chat.texts[1]).toBe('✅ Входы возобновлены на BTC/USDT 1h: проверка здоровья пройдена.');
  });

  it('a gap the exchange cannot fill pauses the market until enough contiguous candles have passed', async () => {
    rig = await startRig({ now: closeOf(199) + 5_000 });
    await upsertCandles(t.store, BTC, BTC_1H.slice(0, 199));
    rig.fake.hideCandles('BTCUSDT', '1h', [BTC_1H[200].ts, BTC_1H[201].ts]);
    const pipeline = newPipeline(t.store, { warmupCandles: 300, sourceFor: () => rig!.gateway, now: () => rig!.fake.now() });
    const gates = new HealthGates({ now: () => rig!.fake.now(), gapRecoveryCandles: 3 });
    gates.watch(pipeline.events);
    const chat = recordingChat();
    notifyHealthGates(chat.notifier, gates, [1], 'en');
    const feed = new PollingFeed({ pipeline, sourceFor: () => rig!.gateway, markets: async () => [BTC], now: () => rig!.fake.now() });

    await feed.tick('1h'); // 199
    rig.fake.setNow(closeOf(202) + 5_000);
    await feed.tick('1h'); // 202 arrives; 200 and 201 do not exist at the exchange
    expect(gates.blocked(BTC)).toBe('health gate: gap: 2 of 2 missing candles could not be fetched');
    rig.fake.setNow(closeOf(203) + 5_000);
    await feed.tick('1h'); // the second contiguous candle since the gap (202 was the first)
    expect(gates.blocked(BTC)).toBeDefined();
    rig.fake.setNow(closeOf(204) + 5_000);
    await feed.tick('1h'); // the third
    await settle();
    expect(gates.blocked(BTC)).toBeUndefined();
    expect(chat.texts).toEqual([
      '⛔ New entries paused on BTC/USDT 1h: gap: 2 of 2 missing candles could not be fetched. Open positions keep their stops; I will say when it clears.',
      '✅ Entries resumed on BTC/USDT 1h: the health gate cleared.',
    ]);
  });

  it('a host clock more than 1.5 s off the exchange pauses every market of that exchange; back in range, it clears', async () => {
    // The fake's clock is the exchange's: 3 s ahead of this host means this host is 3 s behind.
    rig = await startRig({ now: Date.now() + 3_000 }, { now: Date.now });
    const gates = new HealthGates();
    const chat = recordingChat();
    notifyHealthGates(chat.notifier, gates, [1], 'en');
    const offset = await rig.gateway.measureClockOffset();
    expect(offset).toBeLessThan(-2_500);
    expect(offset).toBeGreaterThan(-3_500);
    expect(gates.clockOffset('binance', offset)).toBe(false);
    expect(gates.clockOffset('binance', await rig.gateway.measureClockOffset())).toBe(false);
    expect(gates.blocked(BTC)).toMatch(/^health gate: this host's clock is \d+ ms behind binance \(limit 1500 ms\): sync the clock/);
    expect(gates.blocked({ exchange: 'bybit', symbol: 'BTC/USDT', timeframe: '1h' })).toBeUndefined();

    rig.fake.setNow(Date.now());
    expect(gates.clockOffset('binance', await rig.gateway.measureClockOffset())).toBe(true);
    await settle();
    expect(gates.blocked(BTC)).toBeUndefined();
    expect(chat.texts).toHaveLength(2);
    expect(chat.texts[0]).toMatch(/^⛔ New entries paused on every binance market: this host's clock is \d+ ms behind binance/);
    expect(chat.texts[1]).toBe('✅ Entries resumed on every binance market: the health gate cleared.');
  });
});
