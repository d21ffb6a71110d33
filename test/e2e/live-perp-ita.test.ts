/**
 * The shipped application in LIVE mode on a USDT-M perpetual account: startIta with `mode: live`,
 * `exchange.account: perp` and `exchange.leverage: 2`, ccxt's real binanceusdm class against the exchange fake's
 * futures venue (its clock moved one hour per candle), the real grammY bot on the built-in emulator.
 * The trader switches to live with the one-time code and approves a SHORT: the SELL entry fills at the fake, a
 * reduce-only BUY STOP_MARKET rests in the algo service at the signal's stop, the leverage is set on the symbol.
 * Three candles later price trades through the stop: the position closes at about −1 R net. A restart reconciles
 * the books with the exchange ("books match") and no clientOrderId was ever sent twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import type { ExchangeFeed } from '../../src/app/feeds/exchange-feed.ts';
import { LiveApp, textOf } from './live-app.ts';
import { loadSampleCandles, ROOT } from '../helpers/candles.ts';
import { mountFuturesVenue, startExchangeFake, type ExchangeFake, type FakeFutures } from '../helpers/exchange-fake.ts';

const MINUTE = 60_000;
const CANDLES = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
/**
 * 2024-07-13 19:00 UTC (index 91) closes red at 58624.38: the red_bar short, stop 1.5 % above the close (≈59503.75).
 * Candles 92 (the entry's, open 58624.38) and 93 stay below the stop; candle 94 (open 58686, high 59540) trades
 * through it. The red candle 92 fires nothing: the detector waits out the first signal's validity.
 */
const START = 91;
/** Below the governance leverage cap (3), so the value at the exchange is the configured one, not the cap. */
const LEVERAGE = 2;
/** The fake's futures commission (Binance's USDT-M taker rate), on each leg's notional. */
const COMMISSION = 0.0005;
const TICK = 0.01;

describe('ITA live on the exchange fake: USDT-M perpetual (binanceusdm)', () => {
  let fake: ExchangeFake;
  let futures: FakeFutures;
  let config: Config;
  let dataDir: string;
  let index = START;


  const app = new LiveApp(() => config, () => fake);
  const start = () => app.start();
  const stop = () => app.stop();
  const emulator = () => app.emulator();
  const botMessages = () => app.botMessages();
  const startupReport = () => app.startupReport();
  const ask = (text: string, answer: RegExp) => app.ask(text, answer);
  /** The forming candle closes: the fake's clock moves to the next open (plus a minute), the feed polls. */
  const closeCandle = async () => {
    index += 1;
    fake.setNow(CANDLES[index].ts + MINUTE);
    await (app.ita!.feed as ExchangeFeed).poll();
  };
  const byClientId = () => {
    const counts = new Map<string, number>();
    for (const o of futures.book.orders) counts.set(o.clientOrderId, (counts.get(o.clientOrderId) ?? 0) + 1);
    return counts;
  };
  /** Signed POSTs as the venue read them (ccxt sends their parameters in the body, which the request log omits). */
  const posts: { path: string; params: URLSearchParams }[] = [];
  /** Every order creation ccxt sent (accepted or refused), by the client id it carried. */
  const sentClientIds = () => posts
    .filter((p) => p.path === '/fapi/v1/order' || p.path === '/fapi/v1/algoOrder')
    .map((p) => p.params.get('newClientOrderId') ?? p.params.get('clientAlgoId'));
  const restingStops = () => futures.book.orders.filter((o) => o.algo?.status === 'NEW');

  beforeAll(async () => {
    fake = await startExchangeFake({ now: CANDLES[START].ts + MINUTE });
    // The venue's routes are mounted through a recorder of the POST parameters; the handlers are the fake's own.
    const recording: ExchangeFake = {
      ...fake,
      addRoute: (method, route, handler) => fake.addRoute(method, route, (req, f) => {
        if (method === 'POST') posts.push({ path: route, params: new URLSearchParams([...req.query, ...new URLSearchParams(req.body)]) });
        return handler(req, f);
      }),
    };
    futures = mountFuturesVenue(recording, { balance: 10_000, commission: COMMISSION, timeframe: '1h' });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-live-perp-e2e-'));
    config = loadConfig({
      cwd: ROOT,
      env: {
        ITA_DATA_DIR: dataDir, ITA_WEBCHAT_PORT: '0', ITA_LOG_FILES: 'false', ITA_LANGUAGE: 'en',
        ITA_MARKET: 'exchange', ITA_MODE: 'live', ITA_EXCHANGE_API_KEY: 'test-key', ITA_EXCHANGE_SECRET: 'test-secret',
        ITA_EXCHANGE_ACCOUNT: 'perp',
        ITA_SETUPS_DIR: path.join(ROOT, 'test/e2e/fixtures/live-perp-setups'), ITA_MIN_SCORE: '0',
        ITA_REPORT_DAILY: 'off', ITA_REPORT_WEEKLY: 'off', ITA_REPORT_MONTHLY: 'off',
      },
    });
    // exchange.leverage has no environment variable: it comes from the config file, set here as the file would.
    config.exchange.leverage = LEVERAGE;
    await start();
  }, 60_000);

  afterAll(async () => {
    await stop();
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on the futures venue and reconciles a fresh account: the books match', async () => {
    const report = await startupReport();
    expect(textOf(report)).toMatch(/Books match the exchange \(start-up\): 0 open positions, 0 open orders/);
    // The perp account talks to the USDT-M futures API only, never to the spot one.
    expect(fake.requests.some((r) => r.path === '/fapi/v1/openAlgoOrders')).toBe(true);
    expect(fake.requests.filter((r) => r.path.startsWith('/api/'))).toEqual([]);
  });

  it('/mode live with the one-time code switches approvals to the live broker', async () => {
    await ask('/watch BTC/USDT 1h', /BTC\/USDT/);
    expect(textOf(await ask('/status', /Mode:/))).toMatch(/Mode: paper/i);
    const warning = await ask('/mode live', /One-time code/);
    const code = /One-time code: (\d{6})/.exec(textOf(warning))?.[1];
    expect(code, textOf(warning)).toBeDefined();
    await ask(`/mode live ${code}`, /LIVE trading enabled/);
    expect(textOf(await ask('/status', /Mode:/))).toMatch(/Mode: live/i);
  });

  it('Approve on a short: SELL entry filled, reduce-only BUY STOP_MARKET resting at the signal stop, leverage set', async () => {
    await closeCandle();
    const signal = await emulator().waitFor(() => botMessages().find((m) => m.photo && m.reply_markup?.inline_keyboard?.flat().some((b) => /Approve/.test(b.text))), 30_000, 'a pushed signal');
    expect(textOf(signal)).toMatch(/short/i);
    const approve = signal.reply_markup!.inline_keyboard!.flat().find((b) => /Approve/.test(b.text)) as { callback_data: string };
    const from = botMessages().length;
    emulator().userPressButton(signal.message_id, approve.callback_data);
    const verdict = await emulator().waitFor(() => botMessages().slice(from).find((m) => /Approved and placed|Approved, but not placed/.test(textOf(m))), 30_000, 'the verdict');
    expect(textOf(verdict)).toMatch(/Approved and placed/);
    expect(textOf(verdict)).toMatch(/live/i);

    const entry = futures.book.orders.find((o) => !o.algo && o.side === 'SELL')!;
    expect(entry).toMatchObject({ symbol: 'BTCUSDT', type: 'MARKET', status: 'FILLED', reduceOnly: false });
    // A market sell meets the open of the forming candle, one tick below (the fake's fill rule).
    expect(entry.cumQuote / entry.executedQty).toBeCloseTo(CANDLES[START + 1].open - TICK, 6);
    const [stopOrder] = restingStops();
    expect(stopOrder).toMatchObject({ symbol: 'BTCUSDT', type: 'STOP_MARKET', side: 'BUY', reduceOnly: true, origQty: entry.executedQty });
    // The signal's stop: 1.5 % above the red candle's close, on the tick grid.
    expect(stopOrder.stopPrice).toBeCloseTo(CANDLES[START].close * 1.015, 1);
    expect(stopOrder.stopPrice).toBeGreaterThan(CANDLES[START + 1].high);
    expect(futures.book.positions.get('BTCUSDT')).toMatchObject({ amt: -entry.executedQty, leverage: LEVERAGE, marginType: 'ISOLATED' });
    // Set once, before the entry, with the configured value.
    expect(posts.map((p) => p.path)).toEqual(['/fapi/v1/marginType', '/fapi/v1/leverage', '/fapi/v1/order', '/fapi/v1/algoOrder']);
    expect(Object.fromEntries(posts[1].params)).toMatchObject({ symbol: 'BTCUSDT', leverage: String(LEVERAGE) });
  }, 60_000);

  it('price trades through the stop three candles later: the position closes at about −1 R net', async () => {
    const entry = futures.book.orders.find((o) => !o.algo && o.side === 'SELL')!;
    const [stopOrder] = restingStops();
    const closedMessage = () => botMessages().find((m) => /Trade closed/.test(textOf(m)));
    // Candles 92 and 93 close below the stop, then candle 94 trades through it.
    for (let n = 0; n < 3; n++) await closeCandle();
    const closed = await emulator().waitFor(closedMessage, 20_000, 'the trade-closed message');
    expect(futures.book.positions.get('BTCUSDT')?.amt).toBe(0);
    expect(futures.book.orders.find((o) => o.clientOrderId === stopOrder.clientOrderId)?.algo?.status).toBe('FINISHED');
    expect(restingStops()).toEqual([]);
    // Worked out from the fake's fills: the stop bought back at its trigger (candle 94 opened below it).
    const units = entry.executedQty;
    const entryPrice = entry.cumQuote / units;
    const net = -units * (stopOrder.stopPrice - entryPrice) - units * (entryPrice + stopOrder.stopPrice) * COMMISSION;
    const text = textOf(closed);
    expect(text).toMatch(/BTC\/USDT/);
    expect(text).toMatch(/red_bar/);
    const pnl = Number(/PnL ([−-]?[\d,.]+)/.exec(text)?.[1].replace('−', '-').replace(/,/g, ''));
    expect(pnl).toBeCloseTo(net, 1);
    const r = Number(/\(([−+-]?[\d.]+)\s*R\)/.exec(text)?.[1].replace('−', '-'));
    expect(r, text).toBeLessThan(-0.9);
    expect(r, text).toBeGreaterThan(-1.2);
  }, 60_000);

  it('after a restart the books match the exchange and no clientOrderId was sent twice', async () => {
    const created = futures.created();
    await stop();
    await start();
    const report = await startupReport();
    expect(textOf(report)).toMatch(/Books match the exchange \(start-up\): 0 open positions, 0 open orders/);
    expect(futures.created()).toBe(created);
    const sent = sentClientIds();
    expect(sent.length).toBe(created);
    expect(new Set(sent).size).toBe(sent.length);
    expect([...byClientId().values()].every((n) => n === 1)).toBe(true);
    expect(textOf(await ask('/risk', /Risk/))).toMatch(/mode live/i);
    expect(fake.unrouted).toEqual([]);
  }, 60_000);
});
