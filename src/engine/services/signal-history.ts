/**
 * What became of each journaled signal: waiting for the trader, expired, rejected, or approved and then refused by
 * the risk governor, resting as an order, open, cancelled, or closed with its result in R. The executor's journal
 * (verdicts and managed positions, keyed by the signal id) is read when it exists; a bot without an executor still
 * sees decisions.
 */
import type { Kysely } from 'kysely';
import { getDecision } from '../journal/decisions.ts';
import type { JournalDb } from '../journal/signals.ts';
import { getManagedPosition, getVerdict, type ExecutorDb } from '../exec/executor/store.ts';
import type { Signal } from '../types.ts';
import type { SignalHistoryItem } from './types.ts';

async function optional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    // No executor tables in this database (a bot run without the executor's migrations).
    return undefined;
  }
}

export async function historyItem(db: JournalDb, signal: Signal, now: number): Promise<SignalHistoryItem> {
  const decision = await getDecision(db, signal.id);
  if (!decision) return { signal, status: now > signal.validUntil ? 'expired' : 'waiting' };
  const base = { signal, decidedAt: decision.decidedAt, reason: decision.reason };
  if (decision.kind === 'reject') return { ...base, status: 'rejected' };
  const executor = db as unknown as Kysely<unknown> as ExecutorDb;
  const verdict = await optional(() => getVerdict(executor, signal.id));
  if (verdict && verdict.status !== 'accepted') return { ...base, status: 'not-placed', reason: verdict.rule ?? verdict.reason ?? undefined };
  const position = await optional(() => getManagedPosition(executor, signal.id));
  if (!position) return { ...base, status: 'approved' };
  if (position.status === 'closed') return { ...base, status: 'closed', r: position.r_multiple ?? undefined, reason: position.close_reason ?? undefined };
  if (position.status === 'pending') return { ...base, status: 'order' };
  if (position.status === 'open') return { ...base, status: 'open' };
  return { ...base, status: 'cancelled', reason: position.close_reason ?? undefined };
}
