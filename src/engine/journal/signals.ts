/** Signal journal: every signal the detector produced, pushed or not. Signal ids are deterministic, so re-inserting is a no-op. */
import type { Kysely, Selectable } from 'kysely';
import type { Signal, Timeframe } from '../types.ts';
import type { Database, SignalTable } from '../store/schema.ts';

export type JournalDb = Kysely<Database>;

export async function saveSignals(db: JournalDb, signals: readonly Signal[], now: number): Promise<number> {
  if (signals.length === 0) return 0;
  const result = await db
    .insertInto('signals')
    .values(signals.map((s) => toRow(s, now)))
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function getSignal(db: JournalDb, id: string): Promise<Signal | undefined> {
  const row = await db.selectFrom('signals').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export interface SignalRecord {
  signal: Signal;
  pushed: boolean;
  /** Kept from the trader by the signal policy: its rule and reason. */
  filtered?: { rule: string; reason: string };
  pushedAt?: number;
  createdAt: number;
}

export async function getSignalRecord(db: JournalDb, id: string): Promise<SignalRecord | undefined> {
  const row = await db.selectFrom('signals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const filtered = row.policy_rule !== null ? { rule: row.policy_rule, reason: row.policy_reason ?? '' } : undefined;
  return { signal: fromRow(row), pushed: row.pushed === 1, ...(filtered ? { filtered } : {}), pushedAt: row.pushed_at ?? undefined, createdAt: row.created_at };
}

/** Journals why the signal policy kept a signal from the trader (it stays in the journal, not pushed). */
export async function markFiltered(db: JournalDb, signalId: string, rule: string, reason: string): Promise<void> {
  await db.updateTable('signals').set({ policy_rule: rule, policy_reason: reason }).where('id', '=', signalId).execute();
}

/** Newest first: by candle time, then rank. */
export async function recentSignals(db: JournalDb, limit: number): Promise<Signal[]> {
  const rows = await db.selectFrom('signals').selectAll().orderBy('ts', 'desc').orderBy('rank', 'asc').orderBy('id').limit(limit).execute();
  return rows.map(fromRow);
}

/** Every signal of a setup (all versions), oldest first. */
export async function signalsOfSetup(db: JournalDb, setupId: string): Promise<Signal[]> {
  const rows = await db.selectFrom('signals').selectAll().where('setup_id', '=', setupId).orderBy('ts').orderBy('id').execute();
  return rows.map(fromRow);
}

export async function countSignalsSince(db: JournalDb, since: number): Promise<number> {
  const row = await db.selectFrom('signals').select((eb) => eb.fn.countAll<number>().as('n')).where('created_at', '>=', since).executeTakeFirstOrThrow();
  return Number(row.n);
}

function toRow(s: Signal, now: number) {
  return {
    id: s.id,
    setup_id: s.setupId,
    setup_version: s.setupVersion,
    setup_name: s.setupName,
    exchange: s.exchange,
    symbol: s.symbol,
    timeframe: s.timeframe,
    side: s.side,
    ts: s.ts,
    entry_type: s.entryType,
    entry: s.entry,
    stop: s.stop,
    targets: JSON.stringify(s.targets),
    rr: s.rr,
    score: s.score,
    rank: s.rank,
    reasons: JSON.stringify(s.reasons),
    context: JSON.stringify(s.context),
    valid_until: s.validUntil,
    costs: s.costs ? JSON.stringify(s.costs) : null,
    pushed_at: null,
    created_at: now,
  };
}

export function fromRow(row: Selectable<SignalTable>): Signal {
  return {
    id: row.id,
    setupId: row.setup_id,
    setupVersion: row.setup_version,
    setupName: row.setup_name,
    exchange: row.exchange,
    symbol: row.symbol,
    timeframe: row.timeframe as Timeframe,
    side: row.side as Signal['side'],
    ts: row.ts,
    entryType: row.entry_type as Signal['entryType'],
    entry: row.entry,
    stop: row.stop,
    targets: JSON.parse(row.targets) as Signal['targets'],
    rr: row.rr,
    score: row.score,
    rank: row.rank,
    reasons: JSON.parse(row.reasons) as Signal['reasons'],
    context: JSON.parse(row.context) as Signal['context'],
    validUntil: row.valid_until,
    ...(row.costs ? { costs: JSON.parse(row.costs) as Signal['costs'] } : {}),
  };
}

/** One page of the journal, newest first (as recentSignals), and the total count for paging. */
export async function signalsPage(db: JournalDb, offset: number, limit: number): Promise<{ signals: Signal[]; total: number }> {
  const rows = await db.selectFrom('signals').selectAll().orderBy('ts', 'desc').orderBy('rank', 'asc').orderBy('id').limit(limit).offset(offset).execute();
  const count = await db.selectFrom('signals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { signals: rows.map(fromRow), total: Number(count.n) };
}
