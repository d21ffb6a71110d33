/**
 * The burst digest through the real bot and the Bot API emulator: what the trader reads (one line per signal, best
 * first, net R:R, validity in their time zone), Telegram's limits on the longest page, and the numbered buttons: a
 * valid signal's card is sent by the app's delivery, an expired one is refused with its expiry time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from '../harness.ts';
import { sampleSignal } from '../fake-services.ts';
import { signalRef } from '../../../src/bot/signals/refs.ts';
import type { BurstPage } from '../../../src/engine/live/burst.ts';
import type { Signal } from '../../../src/engine/types.ts';

let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const keyboard = (m: { reply_markup?: { inline_keyboard?: Array<Array<{ callback_data?: string; text: string }>> } }) =>
  m.reply_markup?.inline_keyboard?.flat().map((b) => [b.text, b.callback_data]) ?? [];

const VALID_UNTIL = Date.UTC(2099, 0, 1, 14, 45);

function signal(n: number, overrides: Partial<Signal> = {}): Signal {
  return sampleSignal({ id: `burst-${n}`, symbol: `C${n}/USDT`, validUntil: VALID_UNTIL, ...overrides });
}

describe('burst digest', () => {
  it('lists the signals best first with net R:R and validity; the buttons open each card', async () => {
    const opened: Array<[string, number]> = [];
    let markOpened = () => undefined as void;
    const cardOpened = new Promise<void>((resolve) => (markOpened = resolve));
    h = await startIta({ bot: { openSignal: async (s, chatId) => void (opened.push([s.id, chatId]), markOpened()) } });
    const costs = { model: { makerFee: 0.001, takerFee: 0.001, slippage: 0.0005 }, stopCostR: 0.2, netRR: 1.87, netTargetR: [1.87] };
    const a = signal(1, { symbol: 'SOL/USDT', timeframe: '15m', score: 8.4, costs });
    const b = signal(2, { symbol: 'ETH/USDT', side: 'short', setupName: 'Sweep & CHoCH <4h>', score: 6.1 });
    for (const s of [a, b]) h.fakes.signals.set(s.id, s);
    const page: BurstPage = { listed: [a, b], cards: [a], total: 2, from: 1 };
    const { messageId } = await h.ita.sendDigest(h.ownerId, page);
    const message = h.botMessages().find((m) => m.message_id === messageId)!;
    expect(message.parse_mode).toBe('HTML');
    expect(plain(message).split('\n')).toEqual([
      '⚡ 2 signals at one close, best first.',
      '',
      '1. 🟢 SOL/USDT 15m LONG · Order block retest · score 8.4 · net R:R 1.87 · until 14:45',
      '2. 🔴 ETH/USDT 1h SHORT · Sweep & CHoCH <4h> · score 6.1 · R:R 3.00 before costs · until 14:45',
      '',
      'The card of #1 with Approve / Reject follows.',
      'Tap a number for its chart and Approve / Reject. Times are UTC.',
    ]);
    expect(keyboard(message)).toEqual([['1', `dg:${signalRef(a.id)}`], ['2', `dg:${signalRef(b.id)}`]]);

    h.emulator.userPressButton(messageId, `dg:${signalRef(b.id)}`);
    const answer = await h.emulator.waitFor(() => h!.emulator.callbackAnswers[0]);
    expect(answer.text).toBe('📊 Открываю ETH/USDT 1h…');
    await cardOpened;
    expect(opened).toEqual([[b.id, h.ownerId]]);
  });

  it('an expired signal is refused with its expiry time and no card is sent', async () => {
    const opened: string[] = [];
    h = await startIta({ bot: { openSignal: async (s) => void opened.push(s.id) } });
    const stale = signal(3, { validUntil: Date.UTC(2024, 6, 1, 9, 30) });
    h.fakes.signals.set(stale.id, stale);
    const { messageId } = await h.ita.sendDigest(h.ownerId, { listed: [stale], cards: [], total: 1, from: 1 });
    h.emulator.userPressButton(messageId, `dg:${signalRef(stale.id)}`);
    const answer = await h.emulator.waitFor(() => h!.emulator.callbackAnswers[0]);
    // The press comes from the owner's Russian client, so its answer is Russian.
    expect(answer).toMatchObject({ text: 'Срок этого сигнала истёк в 2024-07-01 09:30 UTC: это уже не рекомендация.', show_alert: true });
    expect(opened).toEqual([]);
  });

  it('validity is judged on the run’s clock: in a replay at 09:00 a signal valid until 09:30 opens', async () => {
    let opened = () => undefined as void;
    const cardOpened = new Promise<void>((resolve) => (opened = resolve));
    h = await startIta({ bot: { openSignal: async () => opened() } });
    h.fakes.clock = Date.UTC(2024, 6, 1, 9, 0);
    const replayed = signal(4, { validUntil: Date.UTC(2024, 6, 1, 9, 30) });
    h.fakes.signals.set(replayed.id, replayed);
    const { messageId } = await h.ita.sendDigest(h.ownerId, { listed: [replayed], cards: [], total: 1, from: 1 });
    h.emulator.userPressButton(messageId, `dg:${signalRef(replayed.id)}`);
    await cardOpened;
    expect(h.emulator.callbackAnswers[0].text).toMatch(/^📊 /);
  });

  it('twenty signals with long Russian setup names fit one message; every button is within 64 bytes', async () => {
    h = await startIta();
    await h.say('/start'); // the owner's client is Russian: the digest follows it...
    await h.say('/help'); // ...once /start's session write is done (updates of a chat run in sequence)
    const listed = Array.from({ length: 20 }, (_, i) =>
      signal(100 + i, { symbol: `ОЧЕНЬДЛИННЫЙТИКЕР${i}/USDT`, setupName: 'Ретест бычьего ордер-блока после слома структуры на старшем таймфрейме & <снятие ликвидности>' }),
    );
    const { messageId } = await h.ita.sendDigest(h.ownerId, { listed, cards: listed.slice(0, 2), total: 45, from: 21 });
    const message = h.botMessages().find((m) => m.message_id === messageId)!;
    const lines = plain(message).split('\n');
    expect(lines[0]).toBe('⚡ Сигналы 21–40 из 45 на одном закрытии.');
    expect(lines.filter((l) => /^\d+\. /.test(l)).map((l) => l.split('.')[0])).toEqual(Array.from({ length: 20 }, (_, i) => `${21 + i}`));
    expect(lines[2]).toContain('· Ретест бычьего ордер-блока после слома … · оценка');
    expect(plain(message).length).toBeLessThanOrEqual(4096);
    const buttons = keyboard(message);
    expect(buttons.map(([text]) => text)).toEqual(Array.from({ length: 20 }, (_, i) => `${21 + i}`));
    for (const [, data] of buttons) expect(Buffer.byteLength(data!)).toBeLessThanOrEqual(64);
  });
});
