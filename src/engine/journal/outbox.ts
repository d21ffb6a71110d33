/**
 * The delivery outbox: signals waiting to reach a chat, delivered in insertion order (a burst of one close is
 * announced together, best first: live/delivery.ts). An item becomes `sent` in the same transaction that records its
 * message id and marks the signal pushed, so after a restart a pending item is sent again and a sent one never is.
 */
import type { Selectable } from 'kysely';
import type { Signal } from '../types.ts';
import type { OutboxTable } from '../store/schema.ts';
import type { JournalDb } from './signals.ts';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxItem {
  id: number;
  signalId: string;
  chatId: number;
  kind: string;
  signal: Signal;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  messageId?: number;
  createdAt: number;
  sentAt?: number;
}

/** Queues a signal for a chat; false when it was already queued (same signal, chat and kind). */
export async function enqueue(db: JournalDb, signal: Signal, chatId: number, notBefore: number, now: number, kind = 'signal'): Promise<boolean> {
  const result = await db
    .insertInto('outbox')
    .values({ signal_id: signal.id, chat_id: chatId, kind, payload: JSON.stringify(signal), next_attempt_at: notBefore, last_error: null, message_id: null, created_at: now, sent_at: null })
    .onConflict((oc) => oc.columns(['signal_id', 'chat_id', 'kind']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The oldest pending item: delivery is in order, so a held or retrying item holds back the ones behind it. */
export async function headOfQueue(db: JournalDb): Promise<OutboxItem | undefined> {
  const row = await db.selectFrom('outbox').selectAll().where('status', '=', 'pending').orderBy('id').limit(1).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The first `limit` pending items in delivery order (the chart service renders their charts ahead of time). */
export async function pendingItems(db: JournalDb, limit: number): Promise<OutboxItem[]> {
  const rows = await db.selectFrom('outbox').selectAll().where('status', '=', 'pending').orderBy('id').limit(limit).execute();
  return rows.map(fromRow);
}

export async function markSent(db: JournalDb, item: OutboxItem, messageId: number, now: number): Promise<void> {
  await markSentTogether(db, [item], messageId, now);
}

/**
 * Fresh items of one chat due together with `head`: never tried, due now, of the same kind, and either queued within
 * `windowMs` of it (signals of one candle close are queued within milliseconds of each other; the next close comes a
 * whole timeframe later) or released at the same moment as it (held by quiet hours until the same morning).
 */
export async function queuedWith(db: JournalDb, head: OutboxItem, windowMs: number, now: number): Promise<OutboxItem[]> {
  const released = head.nextAttemptAt > head.createdAt;
  const rows = await db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('chat_id', '=', head.chatId)
    .where('kind', '=', head.kind)
    .where('attempts', '=', 0)
    .where('next_attempt_at', '<=', now)
    .where((eb) => {
      const sameClose = eb.and([eb('created_at', '>=', head.createdAt), eb('created_at', '<=', head.createdAt + windowMs)]);
      return released ? eb.or([sameClose, eb('next_attempt_at', '=', head.nextAttemptAt)]) : sameClose;
    })
    .orderBy('id')
    .execute();
  return rows.map(fromRow);
}

/** Items announced together by one message (a burst digest): all sent, or (on a crash) none, in one transaction. */
export async function markSentTogether(db: JournalDb, items: readonly OutboxItem[], messageId: number, now: number): Promise<void> {
  if (items.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const item of items) {
      await trx.updateTable('outbox').set({ status: 'sent', message_id: messageId, sent_at: now, attempts: item.attempts + 1, last_error: null }).where('id', '=', item.id).execute();
      // The first delivery of a signal is its push time (decision latency is measured from it).
      await trx.updateTable('signals').set({ pushed: 1, pushed_at: now }).where('id', '=', item.signalId).where('pushed', '=', 0).execute();
    }
  });
}

export async function markRetry(db: JournalDb, item: OutboxItem, error: string, nextAttemptAt: number): Promise<void> {
  await db.updateTable('outbox').set({ attempts: item.attempts + 1, last_error: error, next_attempt_at: nextAttemptAt }).where('id', '=', item.id).execute();
}

/** Given up for good (the chat refused it); kept in the table with its error, never silently dropped. */
export async function markFailed(db: JournalDb, item: OutboxItem, error: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'failed', attempts: item.attempts + 1, last_error: error }).where('id', '=', item.id).execute();
}

export async function countPending(db: JournalDb): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listOutbox(db: JournalDb): Promise<OutboxItem[]> {
  const rows = await db.selectFrom('outbox').selectAll().orderBy('id').execute();
  return rows.map(fromRow);
}

function fromRow(row: Selectable<OutboxTable>): OutboxItem {
  return {
    id: row.id,
    signalId: row.signal_id,
    chatId: row.chat_id,
    kind: row.kind,
    signal: JSON.parse(row.payload) as Signal,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? undefined,
    messageId: row.message_id ?? undefined,
    createdAt: row.created_at,
    sentAt: row.sent_at ?? undefined,
  };
}
