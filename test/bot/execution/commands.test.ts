/**
 * /positions, /close, /closeall, /pnl, /risk, /pause, /resume, /report, /journal through the real bot and the Bot API
 * emulator, over a fake executor. Money-moving actions ask first; No cancels, Yes acts, a stale Yes is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plain } from '../harness.ts';
import { BTC_ID, ETH_ID } from './fake-executor.ts';
import { buttons, shortId, startExecution, type ExecutionHarness } from './setup.ts';

let h: ExecutionHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const btc = shortId(BTC_ID);
const eth = shortId(ETH_ID);
const owner = 'telegram:100001';

describe('execution commands', () => {
  it('/positions lists entry, stop, size and live PnL in quote and R, with Close and Stop → BE buttons', async () => {
    h = await startExecution();
    const reply = await h.say('/positions');
    const text = plain(reply);
    expect(text).toContain('Открытые позиции · PAPER');
    expect(text).toContain(`1. 🟢 ЛОНГ BTC/USDT 1h · ob-retest · ID ${btc}`);
    expect(text).toContain('Вход 62850.50 · стоп 62100.00 · объём 0.02');
    expect(text).toContain('Цена 63225.50 · PnL +7.50 USDT (+0.50R)');
    expect(text).toContain(`2. 🔴 ШОРТ ETH/USDT 4h · fvg-fill · ID ${eth} · ⏳ вход ожидается`);
    // A pending entry is an order: shown as one, with Cancel (nothing to move to break-even).
    expect(text).toMatch(/Ордер на вход [\d.]+ \(ждёт исполнения\)/);
    expect(buttons(reply)).toEqual([
      ['✖️ Закрыть #1', `ex:c:${btc}`], ['🛡 Стоп → б/у #1', `ex:b:${btc}`], ['✖️ Отменить ордер #2', `ex:c:${eth}`],
    ]);
    h.emulator.userPressButton(reply.message_id, `ex:c:${eth}`);
    const question = await h.nextBotMessage(reply.message_id);
    expect(plain(question)).toMatch(/^Отменить ордер на вход ШОРТ ETH\/USDT 4h .* Он ещё не исполнен/);
  });

  it('Close asks Yes / No: No cancels and changes nothing', async () => {
    h = await startExecution();
    const list = await h.say('/positions');
    h.emulator.userPressButton(list.message_id, `ex:c:${btc}`);
    const question = await h.nextBotMessage(list.message_id);
    expect(plain(question)).toContain('Закрыть ЛОНГ BTC/USDT 1h');
    expect(plain(question)).toContain('PnL сейчас: +7.50 USDT (+0.50R)');
    expect(buttons(question)).toEqual([['✅ Да', `ex:cy:${btc}`], ['❌ Нет', 'ex:no']]);
    h.emulator.userPressButton(question.message_id, 'ex:no');
    const edited = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === question.message_id && m.edit_date));
    expect(plain(edited)).toBe('Отменено; ничего не изменено.');
    expect(buttons(edited)).toEqual([]);
    expect(h.executor.calls).toEqual([]);
  });

  it('Yes closes the position; a stale Yes after it closed is refused and does nothing', async () => {
    h = await startExecution();
    const first = await h.say(`/close ${btc}`);
    const second = await h.say('/close btc/usdt'); // the same position by symbol: a second question
    expect(buttons(second)).toEqual(buttons(first));
    h.emulator.userPressButton(first.message_id, `ex:cy:${btc}`);
    const done = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === first.message_id && m.edit_date));
    // The executor's English sentence reaches the Russian client in Russian (src/bot/i18n/engine-texts.ts).
    expect(plain(done)).toBe('✅ BTC/USDT лонг закрыта: +7.50 (+0.50R)');
    expect(h.executor.calls).toEqual([`close ${BTC_ID} ${owner}`]);
    h.emulator.userPressButton(second.message_id, `ex:cy:${btc}`);
    const refused = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === second.message_id && m.edit_date));
    expect(plain(refused)).toBe('Не выполнено: эта позиция уже закрыта.');
    expect(h.emulator.callbackAnswers.at(-1)).toMatchObject({ text: 'Не выполнено: эта позиция уже закрыта.', show_alert: true });
    expect(h.executor.calls).toHaveLength(1);
  });

  it('Stop → break-even asks first and then moves the stop', async () => {
    h = await startExecution();
    const list = await h.say('/positions');
    h.emulator.userPressButton(list.message_id, `ex:b:${btc}`);
    const question = await h.nextBotMessage(list.message_id);
    expect(plain(question)).toBe(`Перенести стоп ЛОНГ BTC/USDT 1h (ID ${btc}) в безубыток (62850.50)?`);
    expect(h.executor.calls).toEqual([]);
    h.emulator.userPressButton(question.message_id, `ex:by:${btc}`);
    const done = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === question.message_id && m.edit_date));
    expect(plain(done)).toBe('🛡 BTC/USDT: стоп перенесён в безубыток 62850.5');
    expect(h.executor.calls).toEqual([`breakEven ${BTC_ID}`]);
  });

  it('/close validates its argument', async () => {
    h = await startExecution();
    expect(plain(await h.say('/close'))).toContain('Формат: /close ID');
    expect(plain(await h.say('/close deadbeef'))).toBe('Нет открытой позиции «deadbeef». Список: /positions.');
    expect(h.executor.calls).toEqual([]);
  });

  it('/closeall lists what it will close and acts only on that same set', async () => {
    h = await startExecution();
    const question = await h.say('/closeall');
    const text = plain(question);
    expect(text).toContain('Закрыть ВСЕ позиции (2) по рынку?');
    expect(text).toContain(`1. ЛОНГ BTC/USDT 1h (ID ${btc}) · +7.50 USDT (+0.50R)`);
    expect(text).toContain(`2. ШОРТ ETH/USDT 4h (ID ${eth})`);
    // The set changes before the answer (the BTC stop was hit): the old question no longer acts.
    h.executor.open = h.executor.open.filter((p) => p.id !== BTC_ID);
    h.emulator.userPressButton(question.message_id, buttons(question)[0][1]);
    const refused = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === question.message_id && m.edit_date));
    expect(plain(refused)).toContain('список позиций изменился');
    expect(h.executor.calls).toEqual([]);
    const again = await h.say('/closeall');
    h.emulator.userPressButton(again.message_id, buttons(again)[0][1]);
    const done = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === again.message_id && m.edit_date));
    expect(plain(done)).toBe('Закрыто: 1\n• ETH/USDT short closed');
    expect(h.executor.calls).toEqual([`closeAll ${owner}`]);
  });

  it('/pnl shows realized, unrealized, R and per setup; the period is checked', async () => {
    h = await startExecution();
    const text = plain(await h.say('/pnl'));
    // Europe/Moscow is UTC+3: 2024-07-01 00:00 UTC → 03:00.
    expect(text).toContain('Результат · день (2024-07-01 03:00 → 2024-07-01 15:00)');
    expect(text).toContain('Зафиксировано: +12.30 (+1.20R) · сделок 3, в плюс 2');
    expect(text).toContain('Нереализовано: −4.00 (−0.40R)');
    expect(text).toContain('Итого: +8.30');
    expect(text).toContain('• ob-retest: сделок 2, +10.00 (+1.00R), открыто −4.00');
    expect(plain(await h.say('/pnl week'))).toContain('Результат · неделя');
    expect(plain(await h.say('/pnl year'))).toContain('Формат: /pnl [day|week|month]');
    expect(h.executor.calls).toEqual(['pnl day', 'pnl week']);
  });

  it('/risk shows the executor’s lines; /pause is immediate; /resume says it lifts the kill switch and asks', async () => {
    h = await startExecution();
    const risk = await h.say('/risk');
    expect(plain(risk)).toBe('Риск · режим PAPER\nrisk per trade 1% of equity\ndaily loss 1.2% of 3% used\nkill switch: armed <ok>');
    expect(plain(await h.say('/pause'))).toContain('⏸ пауза: новых входов нет; открытые позиции сохраняют стопы и сопровождение');
    const question = await h.say('/resume');
    expect(plain(question)).toContain('Если сработал аварийный стоп (kill switch), это его снимет');
    expect(h.executor.calls).toEqual([`pause ${owner}`]);
    h.emulator.userPressButton(question.message_id, yesOf(question));
    const done = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === question.message_id && m.edit_date));
    expect(plain(done)).toBe(`▶️ аварийный стоп снят (${owner}); окно просадки начинается заново`);
    expect(h.executor.calls).toEqual([`pause ${owner}`, `resume ${owner}`]);
  });

  it('a stale Yes under /resume does nothing after a later /pause, and says so', async () => {
    h = await startExecution();
    const question = await h.say('/resume');
    await h.say('/pause');
    h.emulator.userPressButton(question.message_id, yesOf(question));
    const done = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === question.message_id && m.edit_date));
    expect(plain(done)).toContain('Ничего не возобновлено; отправьте /resume ещё раз.');
    expect(h.executor.calls).toEqual([`pause ${owner}`]);
  });

  it('/report sends the equity chart as a photo with the report; /journal sends journal.csv', async () => {
    h = await startExecution();
    const report = await h.say('/report week');
    expect(report.photo?.[0]).toMatchObject({ width: 8, height: 5 });
    expect(plain(report)).toBe('Отчёт · неделя\nReport week: 3 trades, +12.30 (+1.20R)');
    const journal = await h.say('/journal');
    expect(journal.document?.file_name).toBe('journal.csv');
    const stored = h.emulator.file(journal.document!.file_id)!;
    expect(stored.bytes.toString('utf8')).toBe('closed_at,symbol,setup,pnl,r\n2024-07-01T10:00:00Z,BTC/USDT,ob-retest,7.51,0.50\n');
    expect(h.executor.calls).toEqual(['report week']);
  });

  it('a forged ex: button gets a notice and no action; a stranger gets nothing at all', async () => {
    h = await startExecution();
    const forged = await h.ita.bot.api.sendMessage(h.ownerId, 'old', { reply_markup: { inline_keyboard: [[{ text: 'X', callback_data: 'ex:cy:../../x' }]] } });
    h.emulator.userPressButton(forged.message_id, 'ex:cy:../../x');
    await h.emulator.waitFor(() => h!.emulator.callbackAnswers.length === 1);
    expect(h.emulator.callbackAnswers[0].text).toBe('Эта кнопка больше не действует.');
    const stranger = h.emulator.stranger;
    for (const command of ['/positions', '/closeall', '/pause', '/mode live', '/journal']) h.emulator.userSendText(stranger, command);
    const list = await h.say('/positions'); // handled after the stranger's updates: one update queue
    h.emulator.userPressButton(list.message_id, `ex:c:${btc}`, stranger);
    expect(plain(await h.say('/risk'))).toContain('Риск');
    expect(h.emulator.messages(stranger).filter((m) => m.sender === 'bot')).toHaveLength(0);
    expect(h.emulator.callbackAnswers).toHaveLength(1);
    expect(h.executor.calls).toEqual([]);
  });
});

/** The callback data of a confirmation's Yes button. */
function yesOf(message: { reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] } }): string {
  const yes = message.reply_markup?.inline_keyboard?.flat().find((b) => b.callback_data?.startsWith('ex:ry'));
  if (!yes?.callback_data) throw new Error('no Yes button on the question');
  return yes.callback_data;
}
