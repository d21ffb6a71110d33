/**
 * The shipped application in LIVE mode: startIta with `mode: live` and exchange keys, ccxt's real binance class
 * against the local exchange fake (its clock moved one hour per candle), the real grammY bot on the local Bot API
 * emulator. The trader switches to live with the one-time code, approves a signal; the entry fills at the fake, the
 * stop rests there and moves up on a later candle (break-even). Restarts reconcile the books with the exchange:
 * clean → "books match", no order sent twice; a stop cancelled by hand while ITA was down → reported, not overwritten.
 *
 * The venue is a parameter (spot today); a futures venue of the fake joins with its own `LiveVenueCase`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/logger.ts';
import { startIta, type RunningIta } from '../../src/main.ts';
import type { ExchangeFeed } from '../../src/app/feeds/exchange-feed.ts';
import { exchangeAppEnv, LIVE_GREEN_BAR_ENV, LiveApp, OWNER, textOf, until } from './live-app.ts';
import type { Candle } from '../../src/engine/types.ts';
import { loadSampleCandles, ROOT } from '../helpers/candles.ts';
import { mountOrderEndpoints, startExchangeFake, type ExchangeFake, type FakeOrders } from '../helpers/exchange-fake.ts';

const MINUTE = 60_000;

/** One exchange venue of the fake, as the live app sees it. */
interface LiveVenueCase {
  name: string;
  /** Environment for this venue (account type). */
  env: Record<string, string>;
  candles: Candle[];
  symbol: string;
  watch: string;
  /** Index of the candle forming when the app starts; the next closes fire the test setup's signal. */
  start: number;
  open(now: number): Promise<{ fake: ExchangeFake; orders: FakeOrders }>;
  /** The trader cancels an order by hand on the exchange, through its API (not through ITA). */
  cancelByHand(fake: ExchangeFake, clientOrderId: string): Promise<void>;
}

const SPOT: LiveVenueCase = {
  name: 'spot (binance)',
  env: { ITA_EXCHANGE_ACCOUNT: 'spot' },
  candles: loadSampleCandles('binance_BTCUSDT_1h_2024-07'),
  symbol: 'BTCUSDT',
  watch: '/watch BTC/USDT 1h',
  // 2024-07-13 09:00 UTC: this candle closes green (the signal); the rally into 22:00 passes 0.5 R (break-even).
  start: 81,
  async open(now) {
    const fake = await startExchangeFake({ now });
    const orders = mountOrderEndpoints(fake, { balances: { USDT: 10_000 }, commission: 0.001, timeframe: '1h' });
    return { fake, orders };
  },
  async cancelByHand(fake, clientOrderId) {
    const response = await fetch(`${fake.url}/api/v3/order?symbol=BTCUSDT&origClientOrderId=${clientOrderId}&timestamp=${fake.now()}&signature=x`, {
      method: 'DELETE', headers: { 'X-MBX-APIKEY': 'hand-key' },
    });
    if (!response.ok) throw new Error(`cancel by hand failed: ${response.status} ${await response.text()}`);
  },
};

describe.each([SPOT])('ITA live on the exchange fake: $name', (venue) => {
  let fake: ExchangeFake;
  let orders: FakeOrders;
  let config: Config;
  let dataDir: string;
  let index = venue.start;

  const app = new LiveApp(() => config, () => fake);
  const start = () => app.start();
  const stop = () => app.stop();
  const startupReport = () => app.startupReport();
  const emulator = () => app.emulator();
  const botMessages = () => app.botMessages();
  const ask = (text: string, answer: RegExp) => app.ask(text, answer);
  /** The forming candle closes: the fake's clock moves to the next open (plus a minute), the feed polls. */
  const closeCandle = async () => {
    index += 1;
    fake.setNow(venue.candles[index].ts + MINUTE);
    await (app.ita!.feed as ExchangeFeed).poll();
  };
  const byClientId = () => {
    const counts = new Map<string, number>();
    for (const o of orders.orders) counts.set(o.clientOrderId, (counts.get(o.clientOrderId) ?? 0) + 1);
    return counts;
  };
  const restingStops = () => orders.orders.filter((o) => o.type === 'STOP_LOSS_LIMIT' && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'));

  beforeAll(async () => {
    ({ fake, orders } = await venue.open(venue.candles[venue.start].ts + MINUTE));
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-live-e2e-'));
    config = loadConfig({
      cwd: ROOT,
      env: exchangeAppEnv(dataDir, { ...LIVE_GREEN_BAR_ENV, ITA_SETUPS_DIR: path.join(ROOT, 'test/e2e/fixtures/live-setups'), ...venue.env }),
    });
    await start();
  }, 60_000);

  afterAll(async () => {
    await stop();
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('reconciles at start-up: a fresh account matches the exchange, and the trader is told in one line', async () => {
    const report = await startupReport();
    expect(textOf(report)).toMatch(/Books match the exchange/);
    expect(textOf(report)).toMatch(/start-up\): 0 open positions, 0 open orders/);
  });

  it('/mode live with the one-time code switches approvals to the live broker; /status and /risk agree', async () => {
    await ask(venue.watch, /BTC\/USDT/);
    expect(textOf(await ask('/status', /Mode:/))).toMatch(/Mode: paper/i);
    const warning = await ask('/mode live', /One-time code/);
    const code = /One-time code: (\d{6})/.exec(textOf(warning))?.[1];
    expect(code, textOf(warning)).toBeDefined();
    await ask(`/mode live ${code}`, /LIVE trading enabled/);
    expect(textOf(await ask('/status', /Mode:/))).toMatch(/Mode: live/i);
    expect(textOf(await ask('/risk', /Risk/))).toMatch(/mode live/i);
  });

  it('Approve places the entry at the exchange with a stop resting there; a later candle moves the stop up', async () => {
    await closeCandle();
    const signal = await emulator().waitFor(() => botMessages().find((m) => m.photo && m.reply_markup?.inline_keyboard?.flat().some((b) => /Approve/.test(b.text))), 30_000, 'a pushed signal');
    const approve = signal.reply_markup!.inline_keyboard!.flat().find((b) => /Approve/.test(b.text)) as { callback_data: string };
    const before = botMessages().length;
    emulator().userPressButton(signal.message_id, approve.callback_data);
    const verdict = await emulator().waitFor(() => botMessages().slice(before).find((m) => /Approved and placed|Approved, but not placed/.test(textOf(m))), 30_000, 'the verdict');
    expect(textOf(verdict)).toMatch(/Approved and placed/);
    expect(textOf(verdict)).toMatch(/live/i);

    const entry = orders.orders.find((o) => o.side === 'BUY')!;
    expect(entry).toMatchObject({ type: 'MARKET', status: 'FILLED' });
    const [stop] = restingStops();
    expect(stop).toMatchObject({ side: 'SELL', status: 'NEW' });
    // The stop protects what arrived (Binance takes the buyer's fee in BTC), below the fill.
    expect(stop.origQty).toBeLessThanOrEqual(entry.executedQty);
    expect(stop.stopPrice).toBeLessThan(entry.cumQuote / entry.executedQty);

    // Candle by candle until price passes 0.5 R: the executor moves the stop up (break-even) at the exchange.
    const movedUp = () => restingStops().find((o) => o.stopPrice > stop.stopPrice);
    for (let n = 0; n < 16 && !movedUp(); n++) {
      const mark = fake.requests.length;
      await closeCandle();
      // The executor hands the candle to the live broker, which first asks the exchange for its orders.
      await until(() => fake.requests.slice(mark).some((r) => r.method === 'GET' && r.path === '/api/v3/order'), 10_000, 'the broker checking its orders');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const moved = await until(movedUp, 20_000, 'a stop moved up');
    expect(moved.clientOrderId).not.toBe(stop.clientOrderId);
    expect(orders.orders.find((o) => o.clientOrderId === stop.clientOrderId)!.status).toBe('CANCELED');
    expect(restingStops()).toHaveLength(1);
  }, 90_000);

  it('after a restart the books match the exchange and nothing is sent twice', async () => {
    const sent = orders.created();
    const ids = [...byClientId().keys()];
    await stop();
    await start();
    const report = await startupReport();
    expect(textOf(report)).toMatch(/Books match the exchange \(start-up\): 1 open positions, 1 open orders/);
    expect(orders.created()).toBe(sent);
    expect([...byClientId().keys()]).toEqual(ids);
    expect([...byClientId().values()].every((n) => n === 1)).toBe(true);
    expect(restingStops()).toHaveLength(1);
    // Still live after the restart, on the same books.
    expect(textOf(await ask('/risk', /Risk/))).toMatch(/mode live/i);
  }, 60_000);

  it('a stop cancelled by hand while ITA was down is reported after the restart, not overwritten', async () => {
    await stop();
    const [stop1] = restingStops();
    await venue.cancelByHand(fake, stop1.clientOrderId);
    await start();
    const report = await startupReport();
    const text = textOf(report);
    if (process.env.ITA_TEST_LOG) console.log(text);
    expect(text).toMatch(/Books and exchange differ \(start-up\)/);
    // The difference names ITA's stop order, what ITA's books said and what the exchange says.
    expect(text).toContain(stop1.clientOrderId);
    expect(text).toMatch(/ITA’s books say open.*the exchange says canceled/);
    expect(text).toMatch(/had no stop open on the exchange/);
    // The exchange's cancel stands (the order is not revived), and no clientOrderId was used twice.
    expect(orders.orders.find((o) => o.clientOrderId === stop1.clientOrderId)!.status).toBe('CANCELED');
    expect([...byClientId().values()].every((n) => n === 1)).toBe(true);
    // The position is never left without a stop: ITA placed a NEW one (its own id) and the report says where it rests.
    const [stop2] = restingStops();
    expect(stop2.clientOrderId).not.toBe(stop1.clientOrderId);
    expect(stop2.stopPrice).toBe(stop1.stopPrice);
    expect(text).toContain(`resting on the exchange (${stop2.clientOrderId})`);
  }, 60_000);

  it('after a reconnect the books are compared before anything is brought up to date, and the trader hears each difference', async () => {
    const [stop3] = restingStops();
    // While the exchange answers ITA with 503s (all four attempts of one call), the trader cancels the stop by hand.
    await venue.cancelByHand(fake, stop3.clientOrderId);
    fake.fault({ kind: 'status', status: 503, count: 4, path: '/api/v3/order' });
    const seen = new Set(botMessages().map((m) => m.message_id));
    const fresh = () => botMessages().filter((m) => !seen.has(m.message_id));
    await closeCandle();
    await emulator().waitFor(() => fresh().find((m) => /Exchange unavailable/.test(textOf(m))), 20_000, 'the outage notice');
    expect(fake.pendingFaults()).toBe(0);
    // The next candle reaches the exchange again.
    await closeCandle();
    const report = await emulator().waitFor(() => fresh().find((m) => /Books and exchange differ \(after the reconnect\)/.test(textOf(m))), 20_000, 'the reconnect report');
    const text = textOf(report);
    expect(text).toContain(stop3.clientOrderId);
    expect(text).toMatch(/ITA’s books say open.*the exchange says canceled/);
    expect(fresh().some((m) => /Exchange reachable again/.test(textOf(m)))).toBe(true);
    // Not revived, nothing sent twice, and the position has a stop again (a new id, said in the report).
    expect(orders.orders.find((o) => o.clientOrderId === stop3.clientOrderId)!.status).toBe('CANCELED');
    expect([...byClientId().values()].every((n) => n === 1)).toBe(true);
    const [stop4] = restingStops();
    expect(stop4.clientOrderId).not.toBe(stop3.clientOrderId);
    expect(text).toContain(`resting on the exchange (${stop4.clientOrderId})`);
  }, 60_000);
});

describe('ITA in live mode without the exchange keys', () => {
  let fake: ExchangeFake;
  let ita: RunningIta | undefined;
  let dataDir: string;

  beforeAll(async () => {
    fake = await startExchangeFake({ now: SPOT.candles[SPOT.start].ts + MINUTE });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-live-nokeys-'));
    const config = loadConfig({
      cwd: ROOT,
      env: {
        ITA_DATA_DIR: dataDir, ITA_WEBCHAT_PORT: '0', ITA_LOG_FILES: 'false', ITA_LANGUAGE: 'ru', ITA_MARKET: 'exchange', ITA_MODE: 'live',
        ITA_EXCHANGE_API_KEY: 'only-the-key', ITA_SETUPS_DIR: path.join(ROOT, 'test/e2e/fixtures/live-setups'),
        ITA_REPORT_DAILY: 'off', ITA_REPORT_WEEKLY: 'off', ITA_REPORT_MONTHLY: 'off',
      },
    });
    ita = await startIta(config, silentLogger, { now: () => fake.now(), gateway: { urlsOverride: fake.url, enableRateLimit: false, timeoutMs: 3_000 } });
  }, 60_000);

  afterAll(async () => {
    await ita?.stop();
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('/mode live names the missing environment variable (in the trader\'s language) and /status and /risk both stay paper', async () => {
    const emulator = ita!.emulator!;
    const bot = () => emulator.messages(OWNER).filter((m) => m.from?.is_bot).map((m) => (m.text ?? '').replace(/<[^>]+>/g, ''));
    const ask = async (text: string, answer: RegExp) => {
      const before = bot().length;
      emulator.userSendText(emulator.owner, text);
      return emulator.waitFor(() => bot().slice(before).find((t) => answer.test(t)), 20_000, `reply to ${text}`);
    };
    const refusal = await ask('/mode live', /Реальную торговлю включить нельзя/);
    expect(refusal).toContain('не заданы: ITA_EXCHANGE_SECRET. Задайте их и перезапустите');
    expect(refusal).not.toContain('ITA_EXCHANGE_API_KEY');
    expect(await ask('/status', /Режим:/)).toMatch(/Режим: paper/);
    expect(await ask('/risk', /Риск/)).toMatch(/режим paper/i);
    // No live broker: nothing was asked of the exchange's private endpoints.
    expect(fake.requests.filter((r) => /\/api\/v3\/(order|openOrders|account|myTrades)$/.test(r.path))).toEqual([]);
  });
});
