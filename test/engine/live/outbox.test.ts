import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOutbox } from '../../../src/engine/journal/outbox.ts';
import { getSignalRecord, saveSignals } from '../../../src/engine/journal/signals.ts';
import { putStoredSettings } from '../../../src/engine/journal/settings.ts';
import { LivePipeline } from '../../../src/engine/live/pipeline.ts';
import { DeliveryWorker } from '../../../src/engine/live/delivery.ts';
import type { LiveEvent } from '../../../src/engine/live/events.ts';
import { RateLimitError } from '../../../src/engine/errors.ts';
import type { Signal } from '../../../src/engine/types.ts';
import { HOUR, makeSignal, T0, tempDb, type TempDb } from '../journal/fixtures.ts';
import { fakeClock, newWorker, OWNER, recordingDeliver } from './rig.ts';
import { enqueue } from '../../../src/engine/journal/outbox.ts';

async function queue(t: TempDb, signals: Signal[], at: number): Promise<void> {
  await saveSignals(t.store.db, signals, at);
  for (const s of signals) await enqueue(t.store.db, s, OWNER, at, at);
}

describe('outbox delivery', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('a deliver that fails twice then succeeds: each signal delivered once, in order, after 1 s and 2 s backoffs', async () => {
    const clock = fakeClock(T0 + HOUR);
    const signals = [0, 1, 2].map((n) => makeSignal({ n, ts: T0, id: `s${n}` }));
    await queue(t, signals, clock.now);
    const { deliver, delivered, calls } = recordingDeliver([new Error('socket hang up'), new Error('502 Bad Gateway')]);
    await newWorker(t.store, deliver, clock).drain();

    expect(calls).toEqual(['s0', 's0', 's0', 's1', 's2']);
    expect(delivered.map((d) => [d.signalId, d.messageId])).toEqual([['s0', 1], ['s1', 2], ['s2', 3]]);
    expect(clock.sleeps).toEqual([1_000, 2_000]);
    const rows = await listOutbox(t.store.db);
    expect(rows.map((r) => [r.status, r.attempts, r.messageId])).toEqual([['sent', 3, 1], ['sent', 1, 2], ['sent', 1, 3]]);
    expect((await getSignalRecord(t.store.db, 's0'))!.pushedAt).toBe(T0 + HOUR + 3_000);
  });

  it('a 429 waits exactly retry_after; a 403 (chat blocked for a while) is retried with backoff and delivered', async () => {
    const clock = fakeClock(T0 + HOUR);
    await queue(t, [makeSignal({ id: 'a', validUntil: T0 + 10 * HOUR }), makeSignal({ id: 'b', validUntil: T0 + 10 * HOUR })], clock.now);
    const tooMany = Object.assign(new Error('Too Many Requests: retry after 7'), { error_code: 429, parameters: { retry_after: 7 } });
    const blocked = () => Object.assign(new Error('Forbidden: bot was blocked by the user'), { error_code: 403 });
    const { deliver, delivered } = recordingDeliver([tooMany, new RateLimitError('slow down', 2_500), blocked(), blocked()]);
    await newWorker(t.store, deliver, clock).drain();
    expect(clock.sleeps).toEqual([7_000, 2_500, 4_000, 8_000]);
    const rows = await listOutbox(t.store.db);
    expect(rows.map((r) => [r.signalId, r.status])).toEqual([['a', 'sent'], ['b', 'sent']]);
    expect(delivered.map((d) => d.signalId)).toEqual(['a', 'b']);
  });

  it('dropped deliveries: a 400 is dropped and told at once; a signal that expired while blocked is told once the chat is back', async () => {
    const clock = fakeClock(T0 + HOUR);
    await queue(t, [
      makeSignal({ id: 'long', validUntil: T0 + 10 * HOUR }),
      makeSignal({ id: 'soon', validUntil: T0 + HOUR + 5_000 }),
      makeSignal({ id: 'later', validUntil: T0 + 10 * HOUR }),
    ], clock.now);
    const tooLong = Object.assign(new Error('Bad Request: message caption is too long'), { error_code: 400 });
    const blocked = () => Object.assign(new Error('Forbidden: bot was blocked by the user'), { error_code: 403 });
    const { deliver, delivered } = recordingDeliver([tooLong, blocked(), blocked(), blocked(), blocked()]);
    const notices: Array<[number, string[]]> = [];
    const worker = new DeliveryWorker({
      db: t.store.db, deliver, now: () => clock.now, sleep: clock.sleep,
      notifyDropped: async (chatId, dropped) => void notices.push([chatId, dropped.map((d) => `${d.signal.id}:${d.expired ? 'expired' : d.error}`)]),
    });
    await worker.drain();
    expect(delivered.map((d) => d.signalId)).toEqual(['later']);
    expect(notices).toEqual([
      [OWNER, ['long:Bad Request: message caption is too long']],
      [OWNER, ['soon:expired']],
    ]);
    expect((await listOutbox(t.store.db)).map((r) => [r.signalId, r.status])).toEqual([['long', 'failed'], ['soon', 'failed'], ['later', 'sent']]);
  });

  it('crash and restart on the same file: pending items are delivered, sent ones never again', async () => {
    const clock = fakeClock(T0 + HOUR);
    await queue(t, [0, 1, 2].map((n) => makeSignal({ id: `c${n}` })), clock.now);
    // First process: delivers c0, then Telegram is unreachable and the process dies while c1 waits for its retry.
    const first = recordingDeliver([undefined, new Error('ETIMEDOUT')]);
    // Its retry timer never fires (the process is about to die): the sleep only ends when the worker is stopped.
    const worker = new DeliveryWorker({
      db: t.store.db,
      deliver: first.deliver,
      now: () => clock.now,
      sleep: (_ms, wake) => new Promise((resolve) => wake.addEventListener('abort', () => resolve(), { once: true })),
    });
    worker.start();
    await until(() => first.calls.length >= 2);
    await worker.stop();
    await t.store.close();
    expect(first.delivered.map((d) => d.signalId)).toEqual(['c0']);

    const reopened = await t.reopen();
    const second = recordingDeliver();
    await newWorker(reopened, second.deliver, clock).drain();
    expect(second.calls).toEqual(['c1', 'c2']);
    expect((await listOutbox(reopened.db)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });
});

describe('pipeline → outbox policy', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('journals every signal but queues only score ≥ minScore; quiet hours hold delivery until they end', async () => {
    const clock = fakeClock(Date.UTC(2024, 6, 10, 22, 30));
    await putStoredSettings(t.store.db, OWNER, { minScore: 6, quietHours: '23:00-07:00', timezone: 'Europe/Moscow' }, clock.now);
    const pipeline = new LivePipeline({ db: t.store.db, sqlite: t.store.sqlite, setups: () => [], recipients: [{ userId: OWNER, chatId: 555 }], settings: { minScore: 7, timezone: 'UTC' }, now: () => clock.now });
    const events: LiveEvent[] = [];
    pipeline.events.on((e) => events.push(e));
    const strong = makeSignal({ id: 'strong', score: 8, ts: clock.now - HOUR, validUntil: clock.now + 12 * HOUR });
    const weak = makeSignal({ id: 'weak', score: 5, ts: clock.now - HOUR, validUntil: clock.now + 12 * HOUR });
    // Drive the queueing step directly: the detector path is covered by the replay test.
    await saveSignals(t.store.db, [strong, weak], clock.now);
    await pipeline.queueForRecipients([strong, weak], clock.now);

    const rows = await listOutbox(t.store.db);
    // 22:30 UTC is 01:30 in Moscow (UTC+3): quiet until 07:00 Moscow = 04:00 UTC.
    expect(rows.map((r) => [r.signalId, r.chatId, r.nextAttemptAt])).toEqual([['strong', 555, Date.UTC(2024, 6, 11, 4, 0)]]);
    expect(events.filter((e) => e.type === 'signal').map((e) => e.type === 'signal' && [e.signal.id, e.queued, e.held])).toEqual([
      ['strong', true, 'quiet hours until 2024-07-11T04:00:00.000Z'],
      ['weak', false, 'min-score: score 5.0 is below the minimum 6'],
    ]);
    const { deliver, delivered } = recordingDeliver();
    await newWorker(t.store, deliver, clock).drain();
    expect(delivered.map((d) => d.signalId)).toEqual(['strong']);
    expect(clock.now).toBe(Date.UTC(2024, 6, 11, 4, 0));
  });

  it('a signal that expires during quiet hours is not sent in the morning; the trader is told once what expired', async () => {
    const clock = fakeClock(Date.UTC(2024, 6, 10, 22, 30));
    await putStoredSettings(t.store.db, OWNER, { minScore: 0, quietHours: '23:00-07:00', timezone: 'Europe/Moscow' }, clock.now);
    const pipeline = new LivePipeline({ db: t.store.db, sqlite: t.store.sqlite, setups: () => [], recipients: [{ userId: OWNER, chatId: 555 }], settings: { minScore: 0, timezone: 'UTC' }, now: () => clock.now });
    // Quiet until 04:00 UTC: the 15m signal is valid for half an hour, the 4h one all morning.
    const short = makeSignal({ id: 'short', symbol: 'ETH/USDT', timeframe: '15m', ts: clock.now - 15 * 60_000, validUntil: clock.now + 30 * 60_000 });
    const shortToo = makeSignal({ id: 'short-too', symbol: 'SOL/USDT', timeframe: '15m', ts: clock.now - 15 * 60_000, validUntil: clock.now + 45 * 60_000 });
    const long = makeSignal({ id: 'long', timeframe: '4h', ts: clock.now - 4 * HOUR, validUntil: clock.now + 12 * HOUR });
    await saveSignals(t.store.db, [short, shortToo, long], clock.now);
    await pipeline.queueForRecipients([short, shortToo, long], clock.now);
    const { deliver, delivered } = recordingDeliver();
    const notices: Array<[number, string[]]> = [];
    const worker = new DeliveryWorker({
      db: t.store.db, deliver, now: () => clock.now, sleep: clock.sleep,
      notifyDropped: async (chatId, dropped) => void notices.push([chatId, dropped.map((d) => `${d.signal.id}:${d.expired ? (d.held ? 'expired while held' : 'expired') : d.error}`)]),
    });
    await worker.drain();
    expect(clock.now).toBe(Date.UTC(2024, 6, 11, 4, 0));
    expect(delivered.map((d) => d.signalId)).toEqual(['long']);
    expect(notices).toEqual([[555, ['short:expired while held', 'short-too:expired while held']]]);
    const rows = await listOutbox(t.store.db);
    expect(rows.map((r) => [r.signalId, r.status])).toEqual([['short', 'failed'], ['short-too', 'failed'], ['long', 'sent']]);
    expect(rows[0].lastError).toMatch(/expired before it could be sent/);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error('condition not reached');
}
