/**
 * A burst through the shipped application: five markets on the exchange fake serve the same candles, so the test
 * setup (a long on every green 1h candle) fires on all five at one close. The trader gets one digest naming all five,
 * best first, and the best signal's card; a digest button opens another signal's card, whose Approve places the paper
 * trade. The real grammY bot keeps Telegram's pace (one message a second per chat) against the offline emulator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import type { ExchangeFeed } from '../../src/app/feeds/exchange-feed.ts';
import { exchangeAppEnv, LiveApp, textOf } from './live-app.ts';
import { loadSampleCandles, ROOT } from '../helpers/candles.ts';
import { startExchangeFake, type ExchangeFake } from '../helpers/exchange-fake.ts';

const MINUTE = 60_000;
const BASES = ['BTC', 'ETH', 'SOL', 'XRP', 'ADA'];
const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
// 2024-07-13 09:00 UTC: this candle closes green (see live-ita.test.ts).
const START = 81;

describe('a burst of signals at one close, in the shipped app', () => {
  let fake: ExchangeFake;
  let config: Config;
  let dataDir: string;
  const app = new LiveApp(() => config, () => fake);

  beforeAll(async () => {
    fake = await startExchangeFake({
      now: candles[START].ts + MINUTE,
      series: Object.fromEntries(BASES.map((b) => [`${b}USDT`, { '1h': 'binance_BTCUSDT_1h_2024-07' }])),
      markets: BASES.map((b) => ({ id: `${b}USDT`, base: b, quote: 'USDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', minNotional: '5' })),
    });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-burst-e2e-'));
    config = loadConfig({ cwd: ROOT, env: exchangeAppEnv(dataDir, { ITA_MIN_SCORE: '0', ITA_SETUPS_DIR: path.join(ROOT, 'test/e2e/fixtures/live-setups') }) });
    await app.start();
  }, 60_000);

  afterAll(async () => {
    await app.stop();
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('one digest names all five, the best card follows, and a digest button opens a card that can be approved', async () => {
    for (const base of BASES) await app.ask(`/watch ${base}/USDT 1h`, new RegExp(`${base}/USDT`));
    const from = app.botMessages().length;
    fake.setNow(candles[START + 1].ts + MINUTE);
    await (app.ita!.feed as ExchangeFeed).poll();

    const emulator = app.emulator();
    const digest = await emulator.waitFor(() => app.botMessages().slice(from).find((m) => /5 signals at one close/.test(textOf(m))), 30_000, 'the digest');
    const lines = textOf(digest).split('\n').filter((l) => /^\d\. /.test(l));
    expect(lines).toHaveLength(5);
    for (const base of BASES) expect(lines.filter((l) => l.includes(`${base}/USDT 1h LONG · Green bar`))).toHaveLength(1);
    expect(lines.every((l) => /net R:R \d+\.\d\d · until \d\d:\d\d$/.test(l))).toBe(true);
    const buttons = digest.reply_markup!.inline_keyboard!.flat() as Array<{ text: string; callback_data: string }>;
    expect(buttons.map((b) => b.text)).toEqual(['1', '2', '3', '4', '5']);

    // The best signal's card comes after the digest, and it is the digest's first line.
    const firstCard = await app.pushedSignal(from);
    expect(firstCard.message_id).toBeGreaterThan(digest.message_id);
    const best = /^1\. 🟢 (\w+\/USDT)/.exec(lines[0])![1];
    expect(textOf(firstCard)).toContain(`LONG ${best} 1h`);

    // Line 3's button opens its card; its Approve places the paper trade.
    const third = /^3\. 🟢 (\w+\/USDT)/.exec(lines[2])![1];
    const before = app.botMessages().length;
    emulator.userPressButton(digest.message_id, buttons[2].callback_data);
    const card = await emulator.waitFor(() => app.botMessages().slice(before).find((m) => m.photo && textOf(m).includes(`LONG ${third} 1h`)), 30_000, 'the opened card');
    const approve = card.reply_markup!.inline_keyboard!.flat().find((b) => /Approve/.test(b.text)) as { callback_data: string };
    const beforeVerdict = app.botMessages().length;
    emulator.userPressButton(card.message_id, approve.callback_data);
    const verdict = await emulator.waitFor(() => app.botMessages().slice(beforeVerdict).find((m) => /Approved and placed|Approved, but not placed/.test(textOf(m))), 30_000, 'the verdict');
    expect(textOf(verdict)).toMatch(/Approved and placed/);
    expect(textOf(verdict)).toContain(third);
    // Five signals reached the chat in two messages before the tap: the digest and one card.
    expect(app.botMessages().slice(from).filter((m) => m.photo).length).toBe(2);
  }, 60_000);
});
