/**
 * Signal messages: the photo with its caption and buttons, decisions through the buttons (one decision on a double
 * tap, reject with a reason, expired signals), Details and Similar, and callback data validated on return.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from './harness.ts';
import { sampleSignal } from './fake-services.ts';
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
    const signal = sampleSignal();
    const { messageId } = await h.ita.sendSignal(h.ownerId, signal, png, 'Цена вернулась в ордер-блок & держится');
    const message = h.botMessages().find((m) => m.message_id === messageId)!;
    expect(message.photo?.[0]).toMatchObject({ width: 6, height: 4, file_size: png.length });
    expect(message.parse_mode).toBe('HTML');
    expect(message.caption!.length).toBeLessThanOrEqual(1024);
    const text = plain(message);
    // The owner's client is Russian, so the signal is too.
    expect(text).toContain('🟢 ЛОНГ BTC/USDT 1h · binance');
    expect(text).toContain('Order block retest 3f9a2c1d');
    expect(text).toContain('Вход: 62850.50 (limit)');
    expect(text).toContain('Стоп: 62100.00');
    expect(text).toContain('Цель 1: 64351.50 (+2.00R, 50%)');
    expect(text).toContain('R:R 3.00 · Оценка 7.5/10 · #1');
    expect(text).toContain('✓ Bullish BOS on 4h');
    expect(text).toContain('✗ Funding is high <0.05%>');
    expect(message.caption).toContain('Funding is high &lt;0.05%&gt;');
    expect(text).toContain('История: выигрыш 55.0%, ожидание +0.42R на 40 сделках');
    expect(text).toContain('Цена вернулась в ордер-блок & держится');
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
    expect(message.caption!.length).toBeLessThanOrEqual(1024);
    expect(plain(message)).toContain('Entry: 62850.50'); // nothing heard from the owner yet: default settings language
    expect(plain(message)).toContain('Target 2: 65102.00');
  });

  it('a double tap on Approve records exactly one decision and sends no extra message', async () => {
    h = await startIta();
    const { messageId } = await h.ita.sendSignal(h.ownerId, sampleSignal(), png);
    const ref = signalRef(sampleSignal().id);
    h.emulator.userPressButton(messageId, `sg:a:${ref}`);
    h.emulator.userPressButton(messageId, `sg:a:${ref}`);
    const answers = await h.emulator.waitFor(() => (h!.emulator.callbackAnswers.length >= 2 ? h!.emulator.callbackAnswers : undefined));
    expect(h.fakes.decisions).toEqual([{ id: sampleSignal().id, decision: 'approve', by: h.ownerId, reason: undefined }]);
    expect(answers.map((a) => a.text)).toEqual(['✅ Принят: paper order placed', 'Already decided: approve']);
    expect(h.botMessages()).toHaveLength(1);
    const edited = h.botMessages()[0];
    expect(keyboardData(edited)).toEqual([`sg:n:${ref}`, `sg:d:${ref}`, `sg:s:${ref}`]);
    expect(h.emulator.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(0);
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
    h.emulator.userPressButton(messageId, `sg:s:${ref}`);
    const similar = await h.nextBotMessage(details.message_id);
    expect(plain(similar)).toContain('Похожие сигналы');
    expect(plain(similar)).toContain('+2.00R · 91%');
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
