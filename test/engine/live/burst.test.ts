/**
 * Bursts: many signals for one chat at one close go out as a digest (best first, every signal listed once, marked
 * sent with the digest's message id in one transaction) and then the best signal's card. Smaller bursts, retried
 * items and a chat that refuses the digest go card by card; a 429 on the digest waits exactly retry_after and loses
 * or duplicates nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueue, listOutbox } from '../../../src/engine/journal/outbox.ts';
import { getSignalRecord, saveSignals } from '../../../src/engine/journal/signals.ts';
import { putStoredSettings } from '../../../src/engine/journal/settings.ts';
import { LivePipeline } from '../../../src/engine/live/pipeline.ts';
import { DeliveryWorker, type DeliverDigest } from '../../../src/engine/live/delivery.ts';
import type { BurstPage } from '../../../src/engine/live/burst.ts';
import { LiveEvents, type LiveEvent } from '../../../src/engine/live/events.ts';
import type { Signal } from '../../../src/engine/types.ts';
import { HOUR, makeSignal, T0, tempDb, type TempDb } from '../journal/fixtures.ts';
import { fakeClock, OWNER, recordingDeliver } from './rig.ts';

const SYMBOLS = ['BTC', 'ETH', 'SOL', 'XRP', 'ADA', 'DOT', 'LTC', 'BNB', 'AVAX', 'LINK'];

/** `count` signals of one close on different markets; scores (3i mod count) put the best neither first nor last in the queue. */
function burstSignals(count: number, at = T0): Signal[] {
  return Array.from({ length: count }, (_, i) => {
    const symbol = `${SYMBOLS[i % SYMBOLS.length]}${i >= SYMBOLS.length ? i : ''}/USDT`;
    return makeSignal({ id: `s${i}`, ts: at, symbol, score: (i * 3) % count, rank: i + 1, validUntil: at + 10 * HOUR });
  });
}

async function queue(t: TempDb, signals: Signal[], at: number): Promise<void> {
  await saveSignals(t.store.db, signals, at);
  for (const s of signals) await enqueue(t.store.db, s, OWNER, at, at);
}

function recordingDigest(failures: unknown[] = []) {
  const pages: BurstPage[] = [];
  let calls = 0;
  const deliver: DeliverDigest = async (_chatId, page) => {
    calls++;
    const failure = failures.shift();
    if (failure) throw failure;
    pages.push(page);
    return { messageId: 1000 + pages.length };
  };
  return { deliver, pages, calls: () => calls };
}

describe('burst digest', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('seven signals at one close: one digest listing all best first, then the best one’s card; all sent once', async () => {
    const clock = fakeClock(T0 + HOUR);
    const signals = burstSignals(7);
    await queue(t, signals, clock.now);
    const cards = recordingDeliver();
    const digest = recordingDigest();
    const events: LiveEvent[] = [];
    const live = new LiveEvents();
    live.on((e) => events.push(e));
    await new DeliveryWorker({ db: t.store.db, deliver: cards.deliver, events: live, now: () => clock.now, sleep: clock.sleep, digest: { deliver: digest.deliver } }).drain();

    // Scores 0, 3, 6, 2, 5, 1, 4 for s0…s6.
    const byScore = ['s2', 's4', 's6', 's1', 's3', 's5', 's0'];
    expect(digest.pages).toHaveLength(1);
    expect(digest.pages[0].listed.map((s) => s.id)).toEqual(byScore);
    expect(digest.pages[0]).toMatchObject({ total: 7, from: 1 });
    expect(digest.pages[0].cards.map((s) => s.id)).toEqual([byScore[0]]);
    expect(cards.calls).toEqual([byScore[0]]);
    const rows = await listOutbox(t.store.db);
    expect(rows.map((r) => [r.status, r.attempts, r.messageId])).toEqual(signals.map(() => ['sent', 1, 1001]));
    for (const s of signals) expect((await getSignalRecord(t.store.db, s.id))!.pushedAt).toBe(T0 + HOUR);
    expect(events.filter((e) => e.type === 'delivered').map((e) => e.type === 'delivered' && e.digest)).toEqual(signals.map(() => true));
  });

  it('orders by score first: the highest score heads the digest and gets the card', async () => {
    const clock = fakeClock(T0 + HOUR);
    const scores = [3.1, 9.4, 5.0, 9.4, 7.7];
    const signals = scores.map((score, i) => makeSignal({ id: `m${i}`, symbol: `${SYMBOLS[i]}/USDT`, score, rank: 5 - i, validUntil: T0 + 10 * HOUR }));
    await queue(t, signals, clock.now);
    const cards = recordingDeliver();
    const digest = recordingDigest();
    await new DeliveryWorker({ db: t.store.db, deliver: cards.deliver, now: () => clock.now, sleep: clock.sleep, digest: { deliver: digest.deliver } }).drain();
    // m1 and m3 tie at 9.4: the close's own rank (m3 is #2, m1 is #4) breaks the tie.
    expect(digest.pages[0].listed.map((s) => s.id)).toEqual(['m3', 'm1', 'm4', 'm2', 'm0']);
    expect(cards.calls).toEqual(['m3']);
  });

  it('25 signals: two pages (1–20 and 21–25), each marking its own signals sent', async () => {
    const clock = fakeClock(T0 + HOUR);
    const signals = burstSignals(25);
    await queue(t, signals, clock.now);
    const digest = recordingDigest();
    await new DeliveryWorker({ db: t.store.db, deliver: recordingDeliver().deliver, now: () => clock.now, sleep: clock.sleep, digest: { deliver: digest.deliver, cards: 2 } }).drain();
    expect(digest.pages.map((p) => [p.from, p.listed.length, p.total, p.cards.length])).toEqual([[1, 20, 25, 2], [21, 5, 25, 0]]);
    const listed = digest.pages.flatMap((p) => p.listed.map((s) => s.id));
    expect(new Set(listed).size).toBe(25);
    const rows = await listOutbox(t.store.db);
    const page = new Map(digest.pages.flatMap((p, i) => p.listed.map((s) => [s.id, 1001 + i] as const)));
    expect(rows.map((r) => [r.signalId, r.status, r.messageId])).toEqual(signals.map((s) => [s.id, 'sent', page.get(s.id)]));
  });

  it('three signals are no burst: each gets its card, in queue order, and no digest is sent', async () => {
    const clock = fakeClock(T0 + HOUR);
    await queue(t, burstSignals(3), clock.now);
    const cards = recordingDeliver();
    const digest = recordingDigest();
    await new DeliveryWorker({ db: t.store.db, deliver: cards.deliver, now: () => clock.now, sleep: clock.sleep, digest: { deliver: digest.deliver } }).drain();
    expect(cards.calls).toEqual(['s0', 's1', 's2']);
    expect(digest.calls()).toBe(0);
  });

  it('signals of a later close are a burst of their own', async () => {
    const clock = fakeClock(T0 + HOUR);
    await queue(t, burstSignals(4), clock.now);
    const later = burstSignals(4, T0 + HOUR).map((s) => ({ ...s, id: `later-${s.id}` }));
    await queue(t, later, clock.now + HOUR);
    const digest = recordingDigest();
    await new DeliveryWorker({ db: t.store.db, deliver: recordingDeliver().deliver, now: () => clock.now + HOUR, sleep: clock.sleep, digest: { deliver: digest.deliver } }).drain();
    expect(digest.pages.map((p) => p.listed.map((s) => s.id).sort())).toEqual([['s0', 's1', 's2', 's3'], ['later-s0', 'later-s1', 'later-s2', 'later-s3']]);
  });

  it('waits for the close’s other batch: three signals, then three more 100 ms later, make one digest', async () => {
    const clock = fakeClock(T0 + HOUR);
    const [first, second] = [burstSignals(3), burstSignals(6).slice(3)];
    await queue(t, first, clock.now);
    const digest = recordingDigest();
    const cards = recordingDeliver();
    let secondQueued = false;
    const worker: DeliveryWorker = new DeliveryWorker({
      db: t.store.db, deliver: cards.deliver, now: () => clock.now, digest: { deliver: digest.deliver },
      // The other timeframe's tick queues its signals while the worker waits for the close to settle.
      sleep: async (ms) => {
        clock.sleeps.push(ms);
        if (secondQueued) return void (clock.now += ms);
        secondQueued = true;
        clock.now += 100;
        await queue(t, second, clock.now);
        worker.kick();
      },
    });
    worker.kick();
    await worker.drain();
    expect(clock.sleeps).toEqual([150, 150]);
    expect(digest.pages.map((p) => p.listed.map((s) => s.id).sort())).toEqual([['s0', 's1', 's2', 's3', 's4', 's5']]);
    expect(cards.calls).toEqual([digest.pages[0].listed[0].id]);
  });

  it('signals held by quiet hours from five different closes come out in the morning as one digest', async () => {
    const clock = fakeClock(Date.UTC(2024, 6, 10, 20, 30));
    await putStoredSettings(t.store.db, OWNER, { minScore: 0, quietHours: '23:00-07:00', timezone: 'Europe/Moscow' }, clock.now);
    const pipeline = new LivePipeline({ db: t.store.db, sqlite: t.store.sqlite, setups: () => [], recipients: [{ userId: OWNER, chatId: OWNER }], settings: { minScore: 0, timezone: 'UTC' }, now: () => clock.now });
    // 20:30 … 22:30 UTC is 23:30 … 01:30 in Moscow: quiet until 07:00 Moscow = 04:00 UTC; each signal valid until noon.
    const night = Array.from({ length: 5 }, (_, i) => makeSignal({ id: `night-${i}`, symbol: `${SYMBOLS[i]}/USDT`, ts: clock.now + i * 30 * 60_000 - HOUR, score: i + 1, validUntil: Date.UTC(2024, 6, 11, 12) }));
    for (const [i, signal] of night.entries()) {
      const at = Date.UTC(2024, 6, 10, 20, 30) + i * 30 * 60_000;
      await saveSignals(t.store.db, [signal], at);
      await pipeline.queueForRecipients([signal], at);
    }
    clock.now = Date.UTC(2024, 6, 10, 22, 45);
    const digest = recordingDigest();
    const cards = recordingDeliver();
    await new DeliveryWorker({ db: t.store.db, deliver: cards.deliver, now: () => clock.now, sleep: clock.sleep, digest: { deliver: digest.deliver } }).drain();
    expect(clock.now).toBe(Date.UTC(2024, 6, 11, 4, 0));
    expect(digest.pages.map((p) => p.listed.map((s) => s.id))).toEqual([['night-4', 'night-3', 'night-2', 'night-1', 'night-0']]);
    expect(cards.calls).toEqual(['night-4']);
  });

  it('a 429 on the digest waits exactly retry_after, then the digest goes out once with every signal', async () => {
    const clock = fakeClock(T0 + HOUR);
    const signals = burstSignals(6);
    await queue(t, signals, clock.now);
    const tooMany = Object.assign(new Error('Too Many Requests: retry after 7'), { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    const cards = recordingDeliver();
    const digest = recordingDigest([tooMany]);
    await new DeliveryWorker({ db: t.store.db, deliver: cards.deliver, now: () => clock.now, sleep: clock.sleep, digest: { deliver: digest.deliver } }).drain();
    expect(clock.sleeps).toEqual([7_000]);
    // The retried item goes first on its own (it was tried once); the five fresh ones behind it are still a burst.
    const rows = await listOutbox(t.store.db);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const announced = [...cards.delivered.map((d) => d.signalId).filter((id) => !digest.pages.some((p) => p.cards.some((c) => c.id === id))), ...digest.pages.flatMap((p) => p.listed.map((s) => s.id))];
    expect(announced.sort()).toEqual(signals.map((s) => s.id).sort());
    expect(digest.calls()).toBe(2);
  });

  it('a 429 on the first page holds the whole queue, even when its oldest item sits on the second page', async () => {
    const clock = fakeClock(T0 + HOUR);
    // s0 scores 0 of 25: the worst, so it is listed on page 2, yet it heads the queue.
    await queue(t, burstSignals(25), clock.now);
    const tooMany = Object.assign(new Error('Too Many Requests: retry after 7'), { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    const cards = recordingDeliver();
    const digest = recordingDigest([tooMany]);
    const sentAt: Array<[string, number]> = [];
    const deliverDigest: DeliverDigest = async (chatId, page) => {
      const sent = await digest.deliver(chatId, page);
      sentAt.push([`page ${page.from}`, clock.now]);
      return sent;
    };
    await new DeliveryWorker({ db: t.store.db, deliver: cards.deliver, now: () => clock.now, sleep: clock.sleep, digest: { deliver: deliverDigest } }).drain();
    expect(clock.sleeps).toEqual([7_000]);
    // Nothing went out before the retry: then s0 alone (it was tried), then the other 24 as a new burst.
    expect(cards.calls[0]).toBe('s0');
    expect(sentAt).toEqual([['page 1', T0 + HOUR + 7_000], ['page 21', T0 + HOUR + 7_000]]);
    expect(digest.pages.map((p) => [p.from, p.listed.length, p.total])).toEqual([[1, 20, 24], [21, 4, 24]]);
    const rows = await listOutbox(t.store.db);
    expect(rows.find((r) => r.signalId === 's0')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('a chat that refuses the digest (400) gets every signal as its own card', async () => {
    const clock = fakeClock(T0 + HOUR);
    const signals = burstSignals(5);
    await queue(t, signals, clock.now);
    const refused = Object.assign(new Error('Bad Request: message is too long'), { error_code: 400, description: 'Bad Request: message is too long' });
    const cards = recordingDeliver();
    const digest = recordingDigest([refused]);
    await new DeliveryWorker({ db: t.store.db, deliver: cards.deliver, now: () => clock.now, sleep: clock.sleep, digest: { deliver: digest.deliver } }).drain();
    expect(digest.calls()).toBe(1);
    expect([...cards.calls].sort()).toEqual(signals.map((s) => s.id).sort());
    expect((await listOutbox(t.store.db)).map((r) => r.status)).toEqual(signals.map(() => 'sent'));
  });
});
