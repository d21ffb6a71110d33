/** Decisions on signals. One row per signal, enforced by the UNIQUE constraint, not by a read-then-write check. */
import type { JournalDb } from './signals.ts';

export type DecisionKindValue = 'approve' | 'reject';

export interface Decision {
  signalId: string;
  kind: DecisionKindValue;
  byUser: number;
  reason?: string;
  decidedAt: number;
  latencyMs: number;
}

/** True when this call recorded the decision; false when the signal already had one (a double tap). */
export async function recordDecision(db: JournalDb, decision: Decision): Promise<boolean> {
  const result = await db
    .insertInto('decisions')
    .values({
      signal_id: decision.signalId,
      kind: decision.kind,
      by_user: decision.byUser,
      reason: decision.reason ?? null,
      decided_at: decision.decidedAt,
      latency_ms: decision.latencyMs,
    })
    .onConflict((oc) => oc.column('signal_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function getDecision(db: JournalDb, signalId: string): Promise<Decision | undefined> {
  const row = await db.selectFrom('decisions').selectAll().where('signal_id', '=', signalId).executeTakeFirst();
  return row
    ? { signalId: row.signal_id, kind: row.kind as DecisionKindValue, byUser: row.by_user, reason: row.reason ?? undefined, decidedAt: row.decided_at, latencyMs: row.latency_ms }
    : undefined;
}

export async function decisionsFor(db: JournalDb, signalIds: readonly string[]): Promise<Map<string, DecisionKindValue>> {
  const out = new Map<string, DecisionKindValue>();
  if (signalIds.length === 0) return out;
  const rows = await db.selectFrom('decisions').select(['signal_id', 'kind']).where('signal_id', 'in', signalIds).execute();
  for (const row of rows) out.set(row.signal_id, row.kind as DecisionKindValue);
  return out;
}
