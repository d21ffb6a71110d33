/**
 * /mode and the paper → live switch (request, typed one-time code, refusals), and executor events → one message
 * each to the owner(s), in English and Russian.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { notifyExecutorEvents, scheduleReports, telegramReportSender } from '../../../src/bot/execution/index.ts';
import { plain } from '../harness.ts';
import { BTC_ID } from './fake-executor.ts';
import { startExecution, type ExecutionHarness } from './setup.ts';

let h: ExecutionHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const ENGLISH_USER = 300003;

describe('/mode', () => {
  it('shows the mode; /mode paper in paper says so', async () => {
    h = await startExecution();
    expect(plain(await h.say('/mode'))).toBe('Режим: PAPER\nРеальная торговля: /mode live · бумажная: /mode paper');
    expect(plain(await h.say('/mode paper'))).toContain('Уже бумажный режим');
    expect(plain(await h.say('/mode turbo'))).toBe('Формат: /mode, /mode paper или /mode live');
  });

  it('/mode live explains the risk and shows a code; only typing the right code switches', async () => {
    h = await startExecution();
    const warning = plain(await h.say('/mode live'));
    expect(warning).toContain('Реальная торговля — это настоящие деньги.');
    // The fake code expires 2024-07-01 12:05 UTC, shown in the trader's zone (Moscow, UTC+3).
    expect(warning).toContain('Одноразовый код: 482913 (действует до 2024-07-01 15:05 Europe/Moscow)');
    expect(warning).toContain('НАПИШИТЕ: /mode live КОД');
    expect(h.executor.mode()).toBe('paper');
    const wrong = plain(await h.say('/mode live 111111'));
    expect(wrong).toContain('⛔ реальная торговля НЕ включена');
    expect(wrong).toContain('Запросите новый код: /mode live.');
    expect(h.executor.mode()).toBe('paper');
    // The wrong attempt burned the code: the right one no longer works either.
    expect(plain(await h.say('/mode live 482913'))).toContain('НЕ включена');
    await h.say('/mode live');
    const enabled = plain(await h.say('/mode live 482913'));
    expect(enabled).toContain('🔴 РЕАЛЬНАЯ торговля включена');
    expect(h.executor.mode()).toBe('live');
    expect(plain(await h.say('/mode'))).toContain('Режим: LIVE');
    expect(plain(await h.say('/mode paper'))).toContain('mode: paper');
    expect(h.executor.calls).toEqual(['requestLive', 'confirmLive 111111', 'confirmLive 482913', 'requestLive', 'confirmLive 482913']);
  });

  it('shows the executor’s reason when live is refused (English client)', async () => {
    h = await startExecution({ allowedUserIds: [100001, ENGLISH_USER] });
    h.emulator.addUser({ id: ENGLISH_USER, first_name: 'Eve', language_code: 'en' });
    h.executor.liveAllowed = false;
    const refused = plain(await h.say('/mode live', ENGLISH_USER));
    expect(refused).toBe('⛔ Live trading cannot be enabled: the configuration says mode: paper; set mode: live and restart to allow live trading');
    expect(h.executor.mode()).toBe('paper');
    expect(plain(await h.say('/positions', ENGLISH_USER))).toContain('Open positions · PAPER');
  });
});

describe('executor events', () => {
  it('sends one message per event to each owner and never repeats one', async () => {
    h = await startExecution();
    const stop = notifyExecutorEvents(h.ita, h.executor, [h.ownerId], 'ru', { timeZone: 'UTC' });
    const down = { type: 'exchange-unavailable', at: Date.UTC(2024, 6, 1, 10, 0), message: 'binance: 503 Service Unavailable' } as const;
    const closed = { type: 'trade-closed', positionId: BTC_ID, symbol: 'BTC/USDT', setupId: 'ob-retest', setupVersion: 'v1', pnl: -15.01, r: -1, reason: 'stop' } as const;
    const kill = { type: 'kill-switch', at: Date.UTC(2024, 6, 1, 11, 0), text: 'drawdown 8.2% over 7 days exceeds 8%' } as const;
    h.executor.emit(closed);
    h.executor.emit(closed);
    h.executor.emit({ type: 'stop-moved', positionId: BTC_ID, from: 62100, to: 62850.5, reason: 'break-even' });
    h.executor.emit({ type: 'daily-lock', at: Date.UTC(2024, 6, 1, 10, 30), text: 'daily loss 3.1% ≥ 3%' });
    h.executor.emit(kill);
    h.executor.emit(kill);
    h.executor.emit(down);
    h.executor.emit({ ...down, at: down.at + 60_000 });
    h.executor.emit({ type: 'exchange-recovered', at: Date.UTC(2024, 6, 1, 10, 20), downSince: down.at });
    const messages = await h.emulator.waitFor(() => (h!.botMessages().length >= 5 ? h!.botMessages() : undefined));
    expect(messages.map(plain)).toEqual([
      '🔴 Сделка закрыта BTC/USDT · ob-retest\nPnL −15.01 (−1.00R) · стоп',
      '🔒 Достигнут дневной лимит убытка: новых входов не будет до следующего торгового дня.\ndaily loss 3.1% ≥ 3%',
      '🛑 Сработал аварийный стоп (kill switch): все новые входы заблокированы, пока вы его не снимете.\ndrawdown 8.2% over 7 days exceeds 8%\nПосле разбора: /resume (с подтверждением).',
      '📡 Биржа недоступна с 2024-07-01 10:00 UTC: новых входов не будет, пока она не вернётся.\nbinance: 503 Service Unavailable',
      '✅ Биржа снова доступна (была недоступна с 2024-07-01 10:00 UTC).',
    ]);
    // Nothing else arrives: the repeats were dropped, not delayed.
    expect(plain(await h.say('/mode'))).toContain('Режим');
    expect(h.botMessages()).toHaveLength(6);
    stop();
    h.executor.emit({ ...closed, positionId: 'another' });
    expect(plain(await h.say('/mode'))).toContain('Режим');
    expect(h.botMessages()).toHaveLength(7);
  });
});

describe('scheduled reports over Telegram', () => {
  it('a scheduled run sends the equity chart with the report as caption', async () => {
    h = await startExecution();
    const schedule = scheduleReports({ executor: h.executor, send: telegramReportSender(h.ita.bot.api, [h.ownerId], 'en'), timezone: 'UTC' });
    await schedule.runNow('month');
    schedule();
    const [message] = h.botMessages();
    expect(message.photo?.[0]).toMatchObject({ width: 8, height: 5 });
    expect(plain(message)).toBe('Scheduled report · month\nReport month: 3 trades, +12.30 (+1.20R)');
  });
});
