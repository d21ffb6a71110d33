/** Repository functions over the executor's tables (see ./schema.ts). Every write is an upsert keyed by a stable id. */
import type { Kysely, Selectable } from 'kysely';
import type { ExecutorDatabase, ManagedPositionTable, VerdictTable } from './schema.ts';

export type ExecutorDb = Kysely<ExecutorDatabase>;
export type VerdictRow = Selectable<VerdictTable>;
export type ManagedPositionRow = Selectable<ManagedPositionTable>;

export function executorDb(db: Kysely<any>): ExecutorDb {
  return db as ExecutorDb;
}

export async function readState<T>(db: ExecutorDb, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('executor_state').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export async function writeState(db: ExecutorDb, key: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value);
  await db.insertInto('executor_state').values({ key, value: text }).onConflict((oc) => oc.column('key').doUpdateSet({ value: text })).execute();
}

export async function deleteState(db: ExecutorDb, key: string): Promise<void> {
  await db.deleteFrom('executor_state').where('key', '=', key).execute();
}

export async function getVerdict(db: ExecutorDb, signalId: string): Promise<VerdictRow | undefined> {
  return db.selectFrom('executor_verdicts').selectAll().where('signal_id', '=', signalId).executeTakeFirst();
}

export async function saveVerdict(db: ExecutorDb, row: VerdictRow): Promise<void> {
  await db.insertInto('executor_verdicts').values(row).onConflict((oc) => oc.column('signal_id').doUpdateSet({ ...row })).execute();
}

export async function listVerdicts(db: ExecutorDb, since = -Infinity): Promise<VerdictRow[]> {
  let query = db.selectFrom('executor_verdicts').selectAll();
  if (Number.isFinite(since)) query = query.where('decided_at', '>=', since);
  return query.orderBy('decided_at').orderBy('signal_id').execute();
}

export async function saveManagedPosition(db: ExecutorDb, row: ManagedPositionRow): Promise<void> {
  await db.insertInto('executor_positions').values(row).onConflict((oc) => oc.column('id').doUpdateSet({ ...row })).execute();
}

export async function getManagedPosition(db: ExecutorDb, id: string): Promise<ManagedPositionRow | undefined> {
  return db.selectFrom('executor_positions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listManagedPositions(db: ExecutorDb, filter: { status?: string; closedSince?: number } = {}): Promise<ManagedPositionRow[]> {
  let query = db.selectFrom('executor_positions').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.closedSince !== undefined) query = query.where('closed_at', '>=', filter.closedSince);
  return query.orderBy('opened_at').orderBy('id').execute();
}

export async function markEquity(db: ExecutorDb, ts: number, equity: number): Promise<void> {
  await db.insertInto('executor_equity').values({ ts, equity }).onConflict((oc) => oc.column('ts').doUpdateSet({ equity })).execute();
}

export async function equitySince(db: ExecutorDb, since: number): Promise<{ ts: number; equity: number }[]> {
  return db.selectFrom('executor_equity').selectAll().where('ts', '>=', since).orderBy('ts').execute();
}
