/**
 * Fault test through the real bot and emulator: the chat blocks the bot for a while (403), one signal is refused
 * (400, a caption Telegram would not take). Temporary failures are retried and delivered; what is finally dropped
 * is told in ONE message once the chat takes messages again. Nothing is lost silently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startIta, plain, type ItaHarness } from '../harness.ts';
import { sampleSignal } from '../fake-services.ts';
import { DeliveryWorker } from '../../../src/engine/live/delivery.ts';
import { listOutbox, enqueue } from '../../../src/engine/journal/outbox.ts';
import { saveSignals } from '../../../src/engine/journal/signals.ts';
import { openDatabase, type OpenedDatabase } from '../../../src/engine/store/database.ts';
import { solidPng } from '../../helpers/bot-api-client.ts';

let h: ItaHarness | undefined;
let journal: OpenedDatabase | undefined;
afterEach(async () => {
  await h?.stop();
  await journal?.close();
  h = undefined;
  journal = undefined;
});

describe('signal deliveries under faults', () => {
  it('a chat blocked for a while gets its signals later; expired and refused ones are told once', async () => {
    h = await startIta({ bot: { autoRetry: { maxRetryAttempts: 0 } } });
    journal = await openDatabase(':memory:');
    const now = Date.now();
    const signals = Array.from({ length: 6 }, (_, i) => sampleSignal({
      id: `sig-${i}`, setupName: `Setup ${i}`, ts: Date.UTC(2024, 6, 1, i),
      // sig-1 expires while the chat is blocked; the others stay valid.
      validUntil: i === 1 ? now + 300 : now + 3_600_000,
    }));
    await saveSignals(journal.db, signals, now);
    for (const s of signals) await enqueue(journal.db, s, h.ownerId, now, now);
    h.emulator.setBlocked(h.ownerId, true);
    setTimeout(() => h?.emulator.setBlocked(h.ownerId, false), 1500);
    const harness = h;
    let calls = 0;
    const worker = new DeliveryWorker({
      db: journal.db,
      backoff: { baseMs: 100, maxMs: 400 },
      deliver: async (signal, chatId) => {
        calls += 1;
        // sig-3's caption is refused by Telegram once the chat is reachable (a permanent 400).
        if (signal.id === 'sig-3') harness.emulator.failNext('sendPhoto', { code: 400, description: 'Bad Request: message caption is too long' });
        return harness.ita.sendSignal(chatId, signal, solidPng(4, 3, [0, 0, 0]));
      },
      notifyDropped: (chatId, dropped) => harness.ita.notifyDropped(chatId, dropped),
    });
    worker.start();
    const notices = () => h!.botMessages().filter((m) => m.text?.includes('could not be delivered'));
    await h.emulator.waitFor(() => h!.botMessages().filter((m) => m.photo).length === 4 && notices().length >= 1 ? true : undefined, 10_000, 'four photos and a notice')
      .catch(async (error) => {
        console.log(JSON.stringify((await listOutbox(journal!.db)).map((r) => [r.signalId, r.status, r.attempts, r.lastError])), h!.botMessages().map((m) => m.text ?? 'photo'), h!.logs.filter((l) => /error|warn/.test(l)).slice(0, 5));
        throw error;
      });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await worker.stop();
    expect(calls).toBeGreaterThan(6);
    const rows = await listOutbox(journal.db);
    expect(rows.map((r) => [r.signalId, r.status])).toEqual([
      ['sig-0', 'sent'], ['sig-1', 'failed'], ['sig-2', 'sent'], ['sig-3', 'failed'], ['sig-4', 'sent'], ['sig-5', 'sent'],
    ]);
    const told = notices().map(plain).join('\n');
    expect(told).toContain('Setup 1 — expired while this chat was unreachable');
    expect(told).toContain('Setup 3 — Telegram refused it (Bad Request: message caption is too long)');
    // Each dropped signal is told exactly once.
    expect(told.split('Setup 1 —').length - 1).toBe(1);
    expect(told.split('Setup 3 —').length - 1).toBe(1);
  }, 20_000);

  it('a signal that expired while ITA held it (quiet hours) is told as such, in the trader\'s language', async () => {
    h = await startIta();
    await h.say('/start');
    await h.say('/help');
    const held = sampleSignal({ id: 'held-0', setupName: 'Quiet setup', validUntil: Date.UTC(2024, 6, 11, 3, 30) });
    await h.ita.notifyDropped(h.ownerId, [{ signal: held, error: 'expired before it could be sent (quiet hours or a backed-up queue)', expired: true, held: true }]);
    const notice = await h.emulator.waitFor(() => h!.botMessages().find((m) => /Quiet setup/.test(plain(m))));
    expect(plain(notice)).toContain('Quiet setup — истёк, не дождавшись отправки (тихие часы или очередь)');
  });
});
