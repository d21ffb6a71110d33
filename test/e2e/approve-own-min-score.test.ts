/**
 * The trader's own minimum score decides both what is pushed to them and what their Approve may enter. The config
 * says 7; the trader lowers theirs to 3 in /settings; a signal scored 5 is pushed to them, and their Approve places
 * it (before, the push used their 3 and the Approve the config's 7: refused "min-score" for a signal ITA had just
 * offered). The shipped application in paper mode, market data from the exchange fake, the real bot on the emulator.
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
const CANDLES = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
/** 2024-07-13 09:00 UTC forms at the start and closes green: the half-score setup's signal (5/10). */
const START = 81;

describe('Approve judges the score by the trader\'s own minimum, as the push did', () => {
  let fake: ExchangeFake;
  let config: Config;
  let dataDir: string;
  const app = new LiveApp(() => config, () => fake);
  const bot = () => app.botMessages();

  beforeAll(async () => {
    fake = await startExchangeFake({ now: CANDLES[START].ts + MINUTE });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-min-score-'));
    config = loadConfig({
      cwd: ROOT,
      env: exchangeAppEnv(dataDir, { ITA_SETUPS_DIR: path.join(ROOT, 'test/e2e/fixtures/half-score-setups'), ITA_MIN_SCORE: '7' }),
    });
    await app.start();
  }, 60_000);

  afterAll(async () => {
    await app.stop();
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a signal scored 5, pushed to a trader whose minimum is 3, is placed on Approve (config minimum 7)', async () => {
    expect(textOf(await app.ask('/settings score 3', /Minimum score/))).toMatch(/Minimum score: 3/);
    await app.ask('/watch BTC/USDT 1h', /BTC\/USDT/);
    const before = bot().length;
    fake.setNow(CANDLES[START + 1].ts + MINUTE);
    await (app.ita!.feed as ExchangeFeed).poll();
    expect(textOf(await app.pushedSignal(before))).toMatch(/score 5\.0\/10/);
    const verdict = await app.approvePushed(before);
    expect(textOf(verdict)).not.toMatch(/min-score|below the minimum/);
    expect(textOf(verdict)).toMatch(/Approved and placed/);
    expect(textOf(verdict)).toMatch(/paper/i);
  }, 90_000);
});
