/**
 * Commands end to end: the real bot, the Bot API emulator, fake services. The owner speaks Russian (language_code
 * ru), a second allowed user English.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from './harness.ts';

const ENGLISH_USER = { id: 300003, first_name: 'Anna', username: 'anna', language_code: 'en-GB' };
let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start(): Promise<ItaHarness> {
  h = await startIta({ allowedUserIds: [100001, ENGLISH_USER.id] });
  h.emulator.addUser(ENGLISH_USER);
  return h;
}

describe('commands', () => {
  it('greets in the language of the Telegram client and lists every command in /help', async () => {
    const { say } = await start();
    expect(plain(await say('/start'))).toMatch(/^👋 Привет, Owner!/);
    expect(plain(await say('/start', ENGLISH_USER.id))).toMatch(/^👋 Hi, Anna!/);
    const ru = await say('/help');
    const en = await say('/help', ENGLISH_USER.id);
    expect(plain(ru)).toContain('/watch — Следить за рынком');
    expect(plain(en)).toContain('/watch — Watch a market');
    for (const name of ['start', 'help', 'status', 'watch', 'unwatch', 'watchlist', 'setups', 'setup', 'signals', 'chart', 'backtest', 'settings', 'ask', 'docs', 'forget']) {
      expect(plain(en)).toContain(`/${name} — `);
      expect(plain(ru)).toContain(`/${name} — `);
    }
  });

  it('publishes the command menu per language', async () => {
    const { emulator } = await start();
    expect(emulator.commandsFor(emulator.owner).find((c) => c.command === 'status')?.description).toBe('Потоки, последние свечи, режим, очередь доставки');
    expect(emulator.commandsFor(ENGLISH_USER.id).find((c) => c.command === 'status')?.description).toBe('Feeds, last candles, mode, pending deliveries');
    expect(emulator.commands.map((set) => set.language_code).sort()).toEqual(['', 'ru']);
  });

  it('lets another module plug a command in with one call', async () => {
    const { ita, say } = await start();
    ita.commands.register({ name: 'pnl', description: { en: 'Profit and loss', ru: 'Прибыль и убыток' }, handler: (ctx) => ctx.reply('PnL: +1.2R') });
    expect(plain(await say('/pnl'))).toBe('PnL: +1.2R');
    expect(plain(await say('/help', ENGLISH_USER.id))).toContain('/pnl — Profit and loss');
    expect(() => ita.commands.register({ name: 'pnl', description: { en: 'x', ru: 'x' }, handler: () => undefined })).toThrow(/already registered/);
  });

  it('/watch validates symbol and timeframe with an example, then calls the watchlist', async () => {
    const { say, fakes } = await start();
    const badSymbol = await say('/watch BTCUSDT 1h', ENGLISH_USER.id);
    expect(plain(badSymbol)).toContain('“BTCUSDT” is not a symbol. Write BASE/QUOTE, e.g. BTC/USDT.');
    expect(plain(badSymbol)).toContain('/watch BTC/USDT 1h binance');
    const badTf = await say('/watch BTC/USDT 7m');
    expect(plain(badTf)).toContain('«7m» — не таймфрейм. Допустимо: 1m, 3m, 5m, 15m, 30m, 1h');
    const ok = await say('/watch btc/usdt 4h bybit');
    expect(plain(ok)).toBe('✅ Watching BTC/USDT 4h on bybit');
    expect(fakes.calls).toContain('watch bybit BTC/USDT 4h');
    expect(plain(await say('/watchlist'))).toContain('• bybit BTC/USDT 4h — свечей ещё нет');
    expect(plain(await say('/unwatch BTC/USDT 4h bybit'))).toBe('Больше не слежу за bybit BTC/USDT 4h.');
    expect(plain(await say('/unwatch BTC/USDT 4h bybit'))).toBe('bybit BTC/USDT 4h не было в списке наблюдения.');
  });

  it('/status shows feeds, last candle in the user time zone, counts and extra lines', async () => {
    const { say, fakes } = await start();
    fakes.settings.set(ENGLISH_USER.id, { language: 'en', minScore: 5, timezone: 'Europe/Moscow', askOnPlainText: false });
    const status = await say('/status', ENGLISH_USER.id);
    expect(plain(status)).toContain('Mode: paper');
    expect(plain(status)).toContain('Setups enabled: 1 · signals today: 2 · pending deliveries: 3');
    // 11:00 UTC is 14:00 in Moscow (UTC+3, no DST)
    expect(plain(status)).toContain('🟢 binance BTC/USDT 1h — last candle 2024-07-01 14:00 — ok');
    expect(plain(status)).toContain('LLM usage today: 12 calls');
  });

  it('/chart sends the PNG from services.charts.market; /setups and /signals list', async () => {
    const { say, fakes } = await start();
    const chart = await say('/chart ETH/USDT 1h', ENGLISH_USER.id);
    expect(chart.photo?.[0]).toMatchObject({ width: 4, height: 3 });
    expect(chart.caption).toBe('binance ETH/USDT 1h');
    expect(fakes.calls.some((c) => c.startsWith('chart ETH/USDT 1h at '))).toBe(true);
    const setups = await say('/setups', ENGLISH_USER.id);
    expect(plain(setups)).toContain('✅ ob-retest Order block retest · 1h · 3f9a2c1d');
    expect(plain(setups)).toContain('40 trades · win 55.0% · +0.42R/trade');
    const signals = await say('/signals', ENGLISH_USER.id);
    expect(plain(signals)).toContain('LONG BTC/USDT 1h');
    expect(plain(signals)).toContain('⏳ waiting for your decision');
  });

  it('/setup shows parameters, toggles with a button and changes a parameter only after confirmation', async () => {
    const { say, fakes, emulator, nextBotMessage } = await start();
    const shown = await say('/setup ob-retest', ENGLISH_USER.id);
    expect(plain(shown)).toContain('rsiMax = 45 [20; 60]');
    emulator.userPressButton(shown.message_id, 'su:off:ob-retest', ENGLISH_USER.id);
    await emulator.waitFor(() => fakes.calls.includes('setEnabled ob-retest false'));
    expect(plain(await say('/setup ob-retest set rsiMax 80', ENGLISH_USER.id))).toBe('rsiMax must be between 20 and 60; got 80.');
    const confirm = await say('/setup ob-retest set rsiMax 40', ENGLISH_USER.id);
    expect(plain(confirm)).toContain('Change ob-retest.rsiMax from 45 to 40?');
    expect(fakes.calls.some((c) => c.startsWith('setParam'))).toBe(false);
    emulator.userPressButton(confirm.message_id, 'su:ok', ENGLISH_USER.id);
    const done = await emulator.waitFor(() => emulator.messages(ENGLISH_USER.id).find((m) => m.message_id === confirm.message_id && m.edit_date));
    expect(plain(done)).toBe('Done: ob-retest.rsiMax = 40, new version a1b2c3d4.');
    expect(fakes.calls).toContain('setParam ob-retest rsiMax 40');
    void nextBotMessage;
  });

  it('answers that knowledge and backtests are not configured when those services are absent', async () => {
    const { createFakeServices } = await import('./fake-services.ts');
    h = await startIta({ fakes: createFakeServices({ knowledge: false, backtest: false }) });
    expect(plain(await h.say('/ask что такое FVG?'))).toBe('Эта функция не настроена: база знаний.');
    expect(plain(await h.say('/backtest'))).toBe('Эта функция не настроена: бэктесты.');
  });
});
