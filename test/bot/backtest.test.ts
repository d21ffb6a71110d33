/**
 * /backtest through the conversation (five steps with buttons), live progress by editing one message, delivery of
 * the summary, equity.png and trades.csv, and cancellation (of the dialog and of a running backtest).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from './harness.ts';

let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

type Keyboarded = { reply_markup?: { inline_keyboard?: Array<Array<{ callback_data?: string }>> } };
const hasButton = (m: Keyboarded, data: string) => m.reply_markup?.inline_keyboard?.flat().some((b) => b.callback_data === data) ?? false;
const withButton = (h: ItaHarness, data: string) => h.emulator.waitFor(() => h.botMessages().find((m) => hasButton(m, data)), 5000, `a button ${data}`);
const cancelButtonOf = (h: ItaHarness) =>
  h.emulator.waitFor(() => h.botMessages().flatMap((m) => (m.reply_markup?.inline_keyboard?.flat() ?? []).map((b) => ({ m, data: b.callback_data ?? '' }))).find((x) => x.data.startsWith('bt:x:')));

describe('/backtest', () => {
  it('walks through setup → market → timeframe → period → options with buttons, then delivers the results', async () => {
    h = await startIta();
    const question = await h.say('/backtest');
    expect(plain(question)).toBe('Бэктест · шаг 1/5: выберите сетап');
    // A 429 inside the conversation: its own Api must still carry auto-retry.
    h.emulator.failNext('editMessageText', { code: 429, retryAfter: 1 });
    h.emulator.userPressButton(question.message_id, 'bt:s:0');
    const market = await withButton(h, 'bt:m:1');
    expect(market.message_id).toBe(question.message_id);
    expect(plain(market)).toContain('шаг 2/5');
    expect(h.emulator.calls.filter((c) => c.method === 'editMessageText')).toHaveLength(2);
    h.emulator.userPressButton(question.message_id, 'bt:m:0');
    await withButton(h, 'bt:t:4h');
    h.emulator.userPressButton(question.message_id, 'bt:t:4h');
    await withButton(h, 'bt:p:90');
    h.emulator.userPressButton(question.message_id, 'bt:p:90');
    await withButton(h, 'bt:o:wf');
    h.emulator.userPressButton(question.message_id, 'bt:o:wf');

    const { m: progress } = await cancelButtonOf(h);
    await h.emulator.waitFor(() => plain(h!.botMessages().find((m) => m.message_id === progress.message_id)).includes('500/1000 (50%)'));
    h.fakes.backtestGate.release();
    const document = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.document));
    expect(document.document).toMatchObject({ file_name: 'trades.csv' });
    expect(h.emulator.file(document.document!.file_id)?.bytes.toString()).toBe('entry_ts,exit_ts,r\n1,2,1.5\n');
    const photo = h.botMessages().find((m) => m.photo)!;
    expect(photo.photo?.[0]).toMatchObject({ width: 5, height: 5 });
    const summary = h.botMessages().find((m) => plain(m).startsWith('Бэктест Order block retest · binance BTC/USDT 4h'))!;
    expect(plain(summary)).toContain('Expectancy: +0.41R');
    expect(summary.message_id).toBeLessThan(photo.message_id);
    expect(photo.message_id).toBeLessThan(document.message_id);
    const finished = h.botMessages().find((m) => m.message_id === progress.message_id)!;
    expect(plain(finished)).toBe('✅ Бэктест Order block retest на binance BTC/USDT 4h завершён.');
    expect(finished.reply_markup).toBeUndefined();
    const progressEdits = h.emulator.calls.filter((c) => c.method === 'editMessageText' && Number(c.params.message_id) === progress.message_id);
    expect(progressEdits.length).toBeGreaterThanOrEqual(2);

    const [request] = h.fakes.backtests;
    expect(request).toMatchObject({ setupId: 'ob-retest', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '4h', walkForward: true });
    // The stored 4h data ends with the candle of 2025-07-10 20:00 (it closes at midnight): "90 days" count back from
    // there, not from today's date (which would find no candles at all).
    expect(request.from).toBe(Date.UTC(2025, 6, 11) - 90 * 86_400_000);
    expect(request.to).toBe(Date.UTC(2025, 6, 10, 20));
  });

  it('Cancel in the dialog ends it without running anything', async () => {
    h = await startIta();
    const question = await h.say('/backtest');
    // While the dialog waits for a button, other commands still work.
    expect(plain(await h.say('/watchlist'))).toContain('Список пуст');
    h.emulator.userPressButton(question.message_id, 'bt:c');
    await h.emulator.waitFor(() => plain(h!.botMessages().find((m) => m.message_id === question.message_id)) === 'Отменено.');
    expect(h.fakes.backtests).toHaveLength(0);
    expect(h.botMessages().find((m) => m.message_id === question.message_id)?.reply_markup).toBeUndefined();
  });

  it('runs inline arguments directly and the Cancel button aborts the running backtest', async () => {
    h = await startIta();
    h.emulator.userSendText(h.ownerId, '/backtest ob-retest BTC/USDT 1h 2024-07-01 2024-07-31');
    const { m: progress, data } = await cancelButtonOf(h);
    await h.emulator.waitFor(() => h!.fakes.backtests[0]);
    expect(h.fakes.backtests[0]).toMatchObject({ symbol: 'BTC/USDT', timeframe: '1h', from: Date.UTC(2024, 6, 1), to: Date.UTC(2024, 7, 1) - 1 });
    await h.emulator.waitFor(() => plain(h!.botMessages().find((m) => m.message_id === progress.message_id)).includes('50%'));
    h.emulator.userPressButton(progress.message_id, data);
    await h.emulator.waitFor(() => plain(h!.botMessages().find((m) => m.message_id === progress.message_id)).includes('отменён'));
    expect(h.emulator.callbackAnswers.map((a) => a.text)).toContain('Отменяю…');
    expect(h.botMessages().some((m) => m.photo || m.document)).toBe(false);
  });

  it('an optimization offers its parameters; Apply drafts them against the optimized version and confirms first', async () => {
    h = await startIta();
    const question = await h.say('/backtest');
    h.emulator.userPressButton(question.message_id, 'bt:s:0');
    await withButton(h, 'bt:m:0');
    h.emulator.userPressButton(question.message_id, 'bt:m:0');
    await withButton(h, 'bt:t:4h');
    h.emulator.userPressButton(question.message_id, 'bt:t:4h');
    await withButton(h, 'bt:p:all');
    h.emulator.userPressButton(question.message_id, 'bt:p:all');
    await withButton(h, 'bt:o:opt');
    h.emulator.userPressButton(question.message_id, 'bt:o:opt');
    const { m: progress } = await cancelButtonOf(h);
    await h.emulator.waitFor(() => plain(h!.botMessages().find((m) => m.message_id === progress.message_id)).includes('50%'));
    h.fakes.backtestGate.release();
    const offer = await h.emulator.waitFor(() => h!.botMessages().find((m) => (m.reply_markup?.inline_keyboard?.flat() ?? []).some((b) => b.callback_data?.startsWith('bt:ap:'))));
    expect(h.fakes.backtests[0]).toMatchObject({ setupId: 'ob-retest', optimize: true });
    expect(plain(offer)).toBe(
      'Оптимизатор для ob-retest: fast 10 → 15. Вне выборки (последние 30 %, за вычетом издержек): сделок 34, матожидание +0.12R, доходность 4.5%. Применить эти параметры как новую версию?',
    );
    const apply = offer.reply_markup!.inline_keyboard!.flat().find((b) => b.callback_data?.startsWith('bt:ap:'))!.callback_data!;
    h.emulator.userPressButton(offer.message_id, apply);
    const confirm = await withButton(h, 'su:dok');
    expect(h.fakes.calls).toContain('draft ob-retest {"kind":"params","values":{"fast":15,"slow":30},"expectedVersion":"v0ptimized"}');
    expect(plain(confirm)).toContain('Изменить сетап ob-retest? Это будет версия f00dfeed');
    expect(h.fakes.calls.some((c) => c.startsWith('apply'))).toBe(false);
    h.emulator.userPressButton(confirm.message_id, 'su:dok');
    await h.emulator.waitFor(() => h!.fakes.calls.includes('apply ob-retest f00dfeed42'));
    // The offer is used up: a second press says so and drafts nothing.
    const drafts = h.fakes.calls.filter((c) => c.startsWith('draft')).length;
    h.emulator.userPressButton(offer.message_id, apply);
    const expired = await h.emulator.waitFor(() => h!.botMessages().find((m) => plain(m).startsWith('Этот результат оптимизации больше недоступен')));
    expect(expired).toBeDefined();
    expect(h.fakes.calls.filter((c) => c.startsWith('draft'))).toHaveLength(drafts);
  });

  it('rejects bad inline arguments with a clear message', async () => {
    h = await startIta();
    expect(plain(await h.say('/backtest ob-retest BTC/USDT 1h 2024-13-01'))).toBe('«2024-13-01» — не дата; пишите ГГГГ-ММ-ДД, например 2024-07-01.');
    expect(plain(await h.say('/backtest nope BTC/USDT 1h'))).toBe('Нет сетапа с id «nope». Список: /setups.');
    expect(h.fakes.backtests).toHaveLength(0);
  });
});
