/**
 * The shipped application started in LIVE mode while the exchange does not answer (the exchange fake returns 503 to
 * everything): ITA still starts, tells the trader the exchange is unreachable and that new entries are paused, and
 * refuses an Approve while its books are not compared with the exchange (nothing reaches the exchange). When the
 * exchange answers again, the retry (with backoff) reconciles the books and ONE message says so and that entries
 * resume; the next Approve places the entry at the exchange.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import type { ExchangeFeed } from '../../src/app/feeds/exchange-feed.ts';
import { exchangeAppEnv, LIVE_GREEN_BAR_ENV, LiveApp, textOf } from './live-app.ts';
import { loadSampleCandles, ROOT } from '../helpers/candles.ts';
import { mountOrderEndpoints, startExchangeFake, type ExchangeFake, type FakeOrders } from '../helpers/exchange-fake.ts';

const MINUTE = 60_000;
const CANDLES = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
/** 2024-07-13 09:00 UTC forms at the start and closes green (the test setup's signal). */
const START = 81;
/** The account endpoints the reconciliation needs (candles stay public). */
const PRIVATE = /^\/api\/v3\/(account|openOrders|order|allOrders|myTrades)$/;
const FOREVER = 1_000_000_000;

describe('ITA live, started while the exchange is unreachable', () => {
  let fake: ExchangeFake;
  let orders: FakeOrders;
  let config: Config;
  let dataDir: string;
  let index = START;
  const app = new LiveApp(() => config, () => fake);
  const bot = () => app.botMessages();
  const closeCandle = async () => {
    index += 1;
    fake.setNow(CANDLES[index].ts + MINUTE);
    await (app.ita!.feed as ExchangeFeed).poll();
  };
  const approve = (after: number) => app.approvePushed(after);

  beforeAll(async () => {
    fake = await startExchangeFake({ now: CANDLES[START].ts + MINUTE });
    orders = mountOrderEndpoints(fake, { balances: { USDT: 10_000 }, commission: 0.001, timeframe: '1h' });
    // Every request, public ones included, answers 503 (Binance's "Internal error" body).
    fake.fault({ kind: 'status', status: 503, count: FOREVER });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-live-outage-'));
    config = loadConfig({
      cwd: ROOT,
      env: exchangeAppEnv(dataDir, { ...LIVE_GREEN_BAR_ENV, ITA_SETUPS_DIR: path.join(ROOT, 'test/e2e/fixtures/live-setups') }),
    });
  }, 60_000);

  afterAll(async () => {
    await app.stop();
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, and tells the trader that the exchange is unreachable and new entries are paused', async () => {
    await app.start({ reconnectBackoff: { firstMs: 200, maxMs: 1_000 } });
    const notice = await app.emulator().waitFor(() => bot().find((m) => /Exchange unreachable at start-up/.test(textOf(m))), 20_000, 'the outage notice');
    expect(textOf(notice)).toMatch(/could not compare its books with the exchange, so new entries are paused/);
    // Nothing claims the books were compared.
    expect(bot().some((m) => /Books match the exchange|Books and exchange differ/.test(textOf(m)))).toBe(false);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.fault === 'status 503')).toBe(true);
  });

  it('refuses an Approve while the books are unreconciled: nothing reaches the exchange', async () => {
    // The public market data answers again (candles, a signal); the account endpoints still fail.
    fake.clearFaults();
    fake.fault({ kind: 'status', status: 503, count: FOREVER, path: PRIVATE });
    await app.ask('/watch BTC/USDT 1h', /BTC\/USDT/);
    const code = /One-time code: (\d{6})/.exec(textOf(await app.ask('/mode live', /One-time code/)))?.[1];
    await app.ask(`/mode live ${code}`, /LIVE trading enabled/);
    const before = bot().length;
    await closeCandle();
    const verdict = await approve(before);
    expect(textOf(verdict)).toMatch(/Approved, but not placed/);
    expect(textOf(verdict)).toMatch(/the exchange is unreachable since .*no new entries until it recovers/);
    expect(orders.orders).toEqual([]);
    expect(fake.requests.filter((r) => r.method !== 'GET' && PRIVATE.test(r.path) && r.fault === undefined)).toEqual([]);
  }, 90_000);

  it('once the exchange answers, the retry reconciles and one message says entries resume; the next Approve is placed', async () => {
    const before = bot().length;
    fake.clearFaults();
    // No candle closes: the backoff retry alone reaches the exchange again.
    const report = await app.emulator().waitFor(() => bot().slice(before).find((m) => /Books match the exchange|Books and exchange differ/.test(textOf(m))), 20_000, 'the reconciliation report');
    expect(textOf(report)).toMatch(/Exchange reachable again .*new entries resume/);
    expect(textOf(report)).toMatch(/Books match the exchange \(start-up\): 0 open positions, 0 open orders/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // One message: no separate "reachable again" notice beside the report.
    expect(bot().slice(before).map(textOf)).toEqual([textOf(report)]);

    // 10:00 closes red, 11:00 green while the refused signal is still valid (one idea), 12:00 green: a new signal,
    // approved and placed live at the exchange with its stop.
    await closeCandle();
    await closeCandle();
    const mark = bot().length;
    await closeCandle();
    const verdict = await approve(mark);
    expect(textOf(verdict)).toMatch(/Approved and placed/);
    expect(orders.orders.find((o) => o.side === 'BUY')).toMatchObject({ type: 'MARKET', status: 'FILLED' });
    expect(orders.orders.filter((o) => o.type === 'STOP_LOSS_LIMIT' && o.status === 'NEW')).toHaveLength(1);
  }, 90_000);
});
