/**
 * Crash-safe approvals. The bot journals an Approve (decisions) BEFORE it calls the executor, and the executor
 * journals its verdict only after the broker answered, so a crash in between leaves an approval without a verdict —
 * while the broker may already hold the entry (its books are written before an order is sent, and every order
 * carries a clientOrderId derived from the signal id). At start-up each such approval goes through approve() again:
 * a position the broker already holds under that id is adopted (never placed twice), a still valid signal is
 * re-driven through the governor, an expired one is refused; every answer becomes a verdict and is reported.
 */
import { sql, type Kysely } from 'kysely';
import { getSignalRecord, type JournalDb } from '../../journal/signals.ts';
import { getDecision } from '../../journal/decisions.ts';
import type { Executor, VerdictStatus } from './types.ts';

export interface ResolvedApproval {
  signalId: string;
  symbol: string;
  side: 'long' | 'short';
  setupId: string;
  status: VerdictStatus;
  /** The verdict in the executor's words (what the trader would have read after Approve). */
  outcome: string;
}

/** Approvals in the journal with no executor verdict, oldest first. */
export async function pendingApprovals(db: Kysely<any>): Promise<string[]> {
  const rows = await sql<{ signal_id: string }>`
    SELECT d.signal_id FROM decisions d
    WHERE d.kind = 'approve' AND NOT EXISTS (SELECT 1 FROM executor_verdicts v WHERE v.signal_id = d.signal_id)
    ORDER BY d.decided_at, d.signal_id`.execute(db);
  return rows.rows.map((r) => r.signal_id);
}

/** `minScoreOf`: the approving trader's own minimum score (traderMinScore), as their Approve was judged by. */
export async function resolvePendingApprovals(
  db: Kysely<any>, executor: Executor, by = 'telegram', minScoreOf?: (userId: number) => Promise<number>,
): Promise<ResolvedApproval[]> {
  const out: ResolvedApproval[] = [];
  for (const id of await pendingApprovals(db)) {
    const record = await getSignalRecord(db as JournalDb, id);
    if (!record) continue;
    const s = record.signal;
    const approver = (await getDecision(db as JournalDb, id))?.byUser;
    const minScore = approver !== undefined && minScoreOf ? await minScoreOf(approver) : undefined;
    const result = await executor.approve(s, `${by} (resolved at start-up)`, minScore !== undefined ? { minScore } : {});
    out.push({ signalId: id, symbol: s.symbol, side: s.side, setupId: s.setupId, status: result.status, outcome: result.outcome });
  }
  return out;
}
