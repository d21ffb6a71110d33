/** /signals over the bot: id, time, setup, side, status and R per row, buttons per row, pages edited in place. */
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from './harness.ts';
import { sampleSignal } from './fake-services.ts';
import { signalRef } from '../../src/bot/signals/refs.ts';

let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const HOUR = 3_600_000;
const data = (m: { reply_markup?: { inline_keyboard?: Array<Array<{ callback_data?: string }>> } }) => m.reply_markup?.inline_keyboard?.flat().map((b) => b.callback_data) ?? [];

describe('/signals', () => {
  it('lists each signal with its id, status and result, five a page, with Details and Similar per row', async () => {
    h = await startIta();
    h.fakes.signals.clear();
    const signals = Array.from({ length: 12 }, (_, n) => sampleSignal({ id: `sig-${n}`, ts: Date.UTC(2024, 6, 1) + n * HOUR }));
    for (const s of signals) h.fakes.signals.set(s.id, s);
    h.fakes.outcomes.set('sig-11', { status: 'closed', r: 1.37, reason: 'take-profit' });
    h.fakes.outcomes.set('sig-10', { status: 'not-placed', reason: 'daily-loss' });
    h.fakes.outcomes.set('sig-9', { status: 'rejected', reason: 'late' });
    const list = await h.say('/signals');
    const text = plain(list);
    expect(text).toContain('Сигналы 1–5 из 12, сначала новые');
    expect(text).toContain(`1. ${signalRef('sig-11')} · 2024-07-01 11:00 · ЛОНГ BTC/USDT 1h`);
    expect(text).toContain('🏁 закрыт +1.37R · тейк-профит');
    expect(text).toContain('⛔ принят, не выставлен · daily-loss');
    expect(text).toContain('❌ отклонён · late');
    expect(data(list)).toEqual([
      ...signals.slice(7).reverse().flatMap((s) => [`sg:d:${signalRef(s.id)}`, `sg:s:${signalRef(s.id)}`]),
      'sh:n', 'sh:p:5',
    ]);
    h.emulator.userPressButton(list.message_id, 'sh:p:5');
    const second = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === list.message_id && plain(m).includes('6–10 из 12')));
    expect(data(second).slice(-3)).toEqual(['sh:p:0', 'sh:n', 'sh:p:10']);
    // A row's Details button opens that signal's details.
    h.emulator.userPressButton(list.message_id, `sg:d:${signalRef('sig-6')}`);
    const details = await h.nextBotMessage(list.message_id);
    expect(plain(details)).toContain('Детали');
  });
});
