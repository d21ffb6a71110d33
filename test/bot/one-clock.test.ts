/**
 * One clock: in a bar replay every view reads the replay's position (services.now()), periods count back from the
 * stored data, and a request for data that is not there is answered with what is stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from './harness.ts';

let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const REPLAY_AT = Date.UTC(2025, 5, 26, 12);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Keyboarded = { reply_markup?: { inline_keyboard?: Array<Array<{ callback_data?: string }>> } };
const hasButton = (m: Keyboarded, data: string) => m.reply_markup?.inline_keyboard?.flat().some((b) => b.callback_data === data) ?? false;

describe('one clock', () => {
  it('/chart during a replay draws the market as of the replay, not the stored future', async () => {
    h = await startIta();
    h.fakes.clock = REPLAY_AT;
    await h.say('/chart BTC/USDT 1h');
    expect(h.fakes.calls).toContain(`chart BTC/USDT 1h at ${new Date(REPLAY_AT).toISOString()}`);
  });

  it('/chart of a market with no data says which data exists (no generic error)', async () => {
    h = await startIta();
    expect(plain(await h.say('/chart DOGE/USDT 1h'))).toBe('Нет сохранённых свечей DOGE/USDT 1h на binance. Есть: BTC/USDT 1h (binance), BTC/USDT 4h (binance), ETH/USDT 1h (binance).');
    expect(h.fakes.calls.filter((c) => c.startsWith('chart'))).toEqual([]);
  });

  it('a backtest period outside the stored data names the stored range', async () => {
    h = await startIta();
    expect(plain(await h.say('/backtest ob-retest BTC/USDT 4h 2021-01-01 2021-12-31')))
      .toBe('Нет свечей BTC/USDT 4h с 2021-01-01 по 2021-12-31: сохранены 2,194 свечей с 2024-05-01 по 2025-07-10.');
    expect(h.fakes.backtests).toEqual([]);
  });

  it('inline /backtest in a replay never reaches past the replay clock', async () => {
    h = await startIta();
    h.fakes.clock = REPLAY_AT;
    h.emulator.userSendText(h.ownerId, '/backtest ob-retest BTC/USDT 1h 2025-06-01');
    const request = await h.emulator.waitFor(() => h!.fakes.backtests[0]);
    expect(request).toMatchObject({ from: Date.UTC(2025, 5, 1), to: REPLAY_AT - HOUR });
  });

  it('"last 30 days" counts back from the replay clock (or the end of the data), and says so', async () => {
    h = await startIta();
    h.fakes.clock = REPLAY_AT;
    const question = await h.say('/backtest');
    h.emulator.userPressButton(question.message_id, 'bt:s:0');
    await h.emulator.waitFor(() => h!.botMessages().find((m) => hasButton(m, 'bt:m:0')));
    h.emulator.userPressButton(question.message_id, 'bt:m:0');
    await h.emulator.waitFor(() => h!.botMessages().find((m) => hasButton(m, 'bt:t:1h')));
    h.emulator.userPressButton(question.message_id, 'bt:t:1h');
    const periods = await h.emulator.waitFor(() => h!.botMessages().find((m) => hasButton(m, 'bt:p:30')));
    expect(plain(periods)).toContain('Данные: свечи с 2024-01-01 по 2025-06-26; периоды заканчиваются 2025-06-26 12:00 UTC.');
    h.emulator.userPressButton(question.message_id, 'bt:p:30');
    await h.emulator.waitFor(() => h!.botMessages().find((m) => hasButton(m, 'bt:o:plain')));
    h.emulator.userPressButton(question.message_id, 'bt:o:plain');
    const request = await h.emulator.waitFor(() => h!.fakes.backtests[0]);
    expect(request).toMatchObject({ timeframe: '1h', from: REPLAY_AT - 30 * DAY, to: REPLAY_AT - HOUR });
  });
});
