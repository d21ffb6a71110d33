/**
 * Signal messages: the photo with its caption and buttons, decisions through the buttons (one decision on a double
 * tap, reject with a reason, expired signals), Details and Similar, and callback data validated on return.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from './harness.ts';
import { sampleSignal } from './fake-services.ts';
import { positionRef } from '../../src/bot/execution/refs.ts';
import { solidPng } from '../helpers/bot-api-client.ts';
import { signalRef } from '../../src/bot/signals/refs.ts';

let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const png = solidPng(6, 4, [0, 90, 0]);
const keyboardData = (m: { reply_markup?: { inline_keyboard?: Array<Array<{ callback_data?: string; text: string }>> } }) =>
  m.reply_markup?.inline_keyboard?.flat().map((b) => b.callback_data) ?? [];
const keyboardText = (m: { reply_markup?: { inline_keyboard?: Array<Array<{ text: string }>> } }) =>
  m.reply_markup?.inline_keyboard?.flat().map((b) => b.text) ?? [];

describe('signal messages', () => {
  it('sends the chart with an HTML caption and Approve / Reject / Details / Similar buttons', async () => {
    h = await startIta();
    await h.say('/start'); // the bot learns the owner's client language from any update...
    await h.say('/help'); // ...and updates of a chat run in sequence, so /start's session write is done by now
    const signal = sampleSignal({
      costs: { model: { makerFee: 0.001, takerFee: 0.001, slippage: 0.0005 }, stopCostR: 0.21, netRR: 2.31, netTargetR: [1.48, 2.31] },
      reasons: { strengths: ['Bullish BOS on 4h', 'Sweep of the Asian low', 'history: 40 trades, win rate 55%, expectancy +0.42R'], weaknesses: ['Funding is high <0.05%>'] },
    });
    const { messageId } = await h.ita.sendSignal(h.ownerId, signal, png, 'Цена вернулась в ордер-блок & держится');
    const message = h.botMessages().find((m) => m.message_id === messageId)!;
    expect(message.photo?.[0]).toMatchObject({ width: 6, height: 4, file_size: png.length });
    expect(message.parse_mode).toBe('HTML');
    // The owner's client is Russian, so the signal is too; one line per fact, each number once.
    expect(plain(message).split('\n')).toEqual([
      '🟢 ЛОНГ BTC/USDT 1h · binance',
      'Order block retest · оценка 7.5/10 · #1',
      'Почему: Bullish BOS on 4h; Sweep of the Asian low',
      'Вход 62850.50 лимит · стоп 62100.00 (1.19 % от входа)',
      'Цели 64351.50 (+1.48R) · 65102.00 (+2.31R) · чистый R:R 2.31',
      'За вычетом комиссий 0.1 %/сторона и проскальзывания 0.05 %; выход по стопу — ещё 0.21R',
      'История: 40 сделок · выигрыш 55.0% · +0.42R/сделку',
      'Против: Funding is high <0.05%>',
      'Действует до 2099-01-01 00:00 UTC',
      'Цена вернулась в ордер-блок & держится',
    ]);
    expect(message.caption).toContain('Funding is high &lt;0.05%&gt;');
    const ref = signalRef(signal.id);
    expect(keyboardData(message)).toEqual([`sg:a:${ref}`, `sg:r:${ref}`, `sg:d:${ref}`, `sg:s:${ref}`]);
    expect(keyboardText(message)).toEqual(['✅ Принять', '❌ Отклонить', '🔎 Детали', '📚 Похожие']);
    for (const data of keyboardData(message)) expect(Buffer.byteLength(data!)).toBeLessThanOrEqual(64);
  });

  it('keeps the caption within 1024 characters when reasons and comment are long', async () => {
    h = await startIta();
    const long = sampleSignal({ reasons: { strengths: Array(12).fill('A strength described at great length '.repeat(3)), weaknesses: Array(12).fill('W'.repeat(120)) } });
    await h.ita.sendSignal(h.ownerId, long, png, 'c'.repeat(2000));
    const [message] = h.botMessages();
    expect(plain(message).length).toBeLessThanOrEqual(1024);
    // Nothing heard from the owner yet: the configured language. Levels and targets are always there.
    expect(plain(message)).toContain('Entry 62850.50 limit · stop 62100.00');
    expect(plain(message)).toContain('Targets 64351.50 (+2.00R) · 65102.00 (+3.00R) · R:R 3.00 before costs');
    expect(plain(message)).toMatch(/\nc+…$/);
  });

  it('a double tap on Approve records exactly one decision and sends no extra message', async () => {
    h = await startIta();
    const { messageId } = await h.ita.sendSignal(h.ownerId, sampleSignal(), png);
    const ref = signalRef(sampleSignal().id);
    h.emulator.userPressButton(messageId, `sg:a:${ref}`);
    h.emulator.userPressButton(messageId, `sg:a:${ref}`);
    const answers = await h.emulator.waitFor(() => (h!.emulator.callbackAnswers.length >= 2 ? h!.emulator.callbackAnswers : undefined));
    expect(h.fakes.decisions).toEqual([{ id: sampleSignal().id, decision: 'approve', by: h.ownerId, reason: undefined }]);
    expect(answers.map((a) => a.text)).toEqual(['✅ Принят · выставлен: подробности в сообщении ниже', 'Already decided: approve']);
    const edited = h.botMessages()[0];
    expect(keyboardData(edited)).toEqual([`sg:n:${ref}`, `sg:d:${ref}`, `sg:s:${ref}`]);
    expect(keyboardText(edited)[0]).toBe('✅ Принят · выставлен');
    // One verdict message, in full: size, risk, what reduced it, the orders, and Cancel for the resting entry.
    const verdicts = h.emulator.calls.filter((c) => c.method === 'sendMessage');
    expect(verdicts).toHaveLength(1);
    const verdict = h.botMessages().find((m) => m.message_id !== messageId)!;
    expect(plain(verdict).split('\n')).toEqual([
      '✅ Принят и выставлен · бумажный счёт',
      '🟢 ЛОНГ BTC/USDT 1h · binance',
      'Объём 0.05 ед. · номинал 3142.525',
      'Риск 0.38 % капитала = 37.53',
      'Уменьшено: объём уменьшен до 0.05 ед.: общий открытый риск: 2.00 % открыто + эта сделка ≤ 3.00 %, поэтому эта сделка рискует не больше 37.53',
      'Ордера',
      '• вход лимит 62850.5: ждёт исполнения',
      '• стоп 62100',
      '• тейк-профиты 0.025 @ 64351.5, 0.025 @ 65102',
    ]);
    expect(keyboardData(verdict)).toEqual([`ex:c:${positionRef(sampleSignal().id)}`]);
  });

  it('Reject asks for a reason and records it; the keyboard then shows the decision', async () => {
    h = await startIta();
    const { messageId } = await h.ita.sendSignal(h.ownerId, sampleSignal(), png);
    const ref = signalRef(sampleSignal().id);
    h.emulator.userPressButton(messageId, `sg:r:${ref}`);
    const asking = await h.emulator.waitFor(() => h!.botMessages().find((m) => keyboardData(m).includes(`sg:rr:${ref}:trend`)));
    expect(keyboardText(asking)).toEqual(['Поздний вход', 'Против тренда', 'Впереди новости', 'Плохой R:R', 'Пропустить']);
    expect(h.fakes.decisions).toHaveLength(0);
    h.emulator.userPressButton(messageId, `sg:rr:${ref}:trend`);
    await h.emulator.waitFor(() => h!.fakes.decisions.length === 1);
    expect(h.fakes.decisions[0]).toMatchObject({ decision: 'reject', reason: 'trend' });
    const decided = await h.emulator.waitFor(() => h!.botMessages().find((m) => keyboardData(m)[0] === `sg:n:${ref}`));
    expect(keyboardText(decided)[0]).toBe('❌ Отклонён · Против тренда');
  });

  it('an expired signal cannot be approved: the service message is shown and the buttons go', async () => {
    h = await startIta();
    const expired = sampleSignal({ id: 'expired-signal', validUntil: Date.UTC(2020, 0, 1) });
    h.fakes.signals.set(expired.id, expired);
    const { messageId } = await h.ita.sendSignal(h.ownerId, expired, png);
    h.emulator.userPressButton(messageId, `sg:a:${signalRef(expired.id)}`);
    const answer = await h.emulator.waitFor(() => h!.emulator.callbackAnswers[0]);
    expect(answer).toMatchObject({ text: 'Signal expired', show_alert: true });
    expect(h.fakes.decisions).toHaveLength(0);
    const message = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.edit_date));
    expect(keyboardData(message)).not.toContain(`sg:a:${signalRef(expired.id)}`);
  });

  it('Details shows the full context and Similar lists similar signals', async () => {
    h = await startIta();
    const { messageId } = await h.ita.sendSignal(h.ownerId, sampleSignal(), png);
    const ref = signalRef(sampleSignal().id);
    h.emulator.userPressButton(messageId, `sg:d:${ref}`);
    const details = await h.nextBotMessage(messageId);
    expect(plain(details)).toContain('rsi: 41.2');
    expect(plain(details)).toContain('session: london');
    expect(plain(details)).toContain('Цель 2: 65102.00 · закрывает 50 % · +3.00R без учёта издержек');
    expect(plain(details)).toContain('✓ Sweep of the Asian low');
    h.emulator.userPressButton(messageId, `sg:s:${ref}`);
    const similar = await h.nextBotMessage(details.message_id);
    expect(plain(similar).split('\n')).toEqual([
      'Похожие прошлые сигналы ЛОНГ · Order block retest',
      '1. 2024-06-20 00:00 · журнал · +2.00R · сходство 91%',
      '2. 2024-05-02 00:00 · бэктест · −1.00R · сходство 84%',
      '3. 2024-05-01 00:00 · журнал · без сделки · сходство 80%',
      '',
      'Среди них: 1 из 2 в плюс (50%), в среднем +0.50R на сделку, за вычетом издержек',
    ]);
    // Their charts follow (an album on Telegram; the emulator has no albums, so one by one).
    const photos = await h.emulator.waitFor(() => { const p = h!.botMessages().filter((m) => m.photo && m.message_id > similar.message_id); return p.length >= 3 ? p : undefined; });
    expect(photos.map((p) => plain(p))).toEqual(['1. 2024-06-20 00:00 · +2.00R', '2. 2024-05-02 00:00 · −1.00R', '3. 2024-05-01 00:00 · без сделки']);
  });

  it('validates callback data on return: a forged or stale reference gets a notice and no decision', async () => {
    h = await startIta();
    // A message with buttons whose data the bot never issued (as a stale message from another database would be).
    const forged = await h.ita.bot.api.sendMessage(h.ownerId, 'old', {
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'sg:a:AAAAAAAAAA' }, { text: 'B', callback_data: 'sg:a:../../etc' }]] },
    });
    h.emulator.userPressButton(forged.message_id, 'sg:a:AAAAAAAAAA');
    h.emulator.userPressButton(forged.message_id, 'sg:a:../../etc');
    const answers = await h.emulator.waitFor(() => (h!.emulator.callbackAnswers.length >= 2 ? h!.emulator.callbackAnswers : undefined));
    expect(answers.map((a) => a.text).sort()).toEqual(['Эта кнопка больше не действует.', 'Этот сигнал неизвестен или уже не хранится.'].sort());
    expect(h.fakes.calls.filter((c) => c.startsWith('decide'))).toHaveLength(0);
  });
});
