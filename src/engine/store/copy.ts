/**
 * `ita db copy`: moves an installation's SQLite file into a (PostgreSQL) store, table by table.
 *
 * Both sides are first migrated to the same schema (every set), so the bookkeeping tables already agree and only
 * data tables are copied. Each table is copied in its own transaction, parents before children (foreign keys), so
 * an interrupted copy leaves whole tables: running it again skips every table whose row count already matches
 * (resume) and copies the empty ones. A table holding other rows is refused unless `force`, which merges (rows
 * whose key already exists are kept as they are). Identity sequences are moved past the copied ids, and every
 * table's count is verified at the end.
 */
import { existsSync } from 'node:fs';
import type SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { InputError, ItaError } from '../errors.ts';
import { openDatabase, openSqliteDatabase, type OpenDatabaseOptions } from './database.ts';
import { dialectOf, redactUrl } from './dialect.ts';

export interface CopyOptions {
  /** The SQLite file to read. */
  from: string;
  /** Where to write: a postgres:// URL (or another SQLite file). */
  to: string;
  migrations: OpenDatabaseOptions;
  /** Copy into tables that already hold other rows (merging: existing keys are kept). */
  force?: boolean;
  onTable?: (report: TableCopy) => void;
}

export interface TableCopy {
  table: string;
  source: number;
  /** Rows written by this run. */
  copied: number;
  /** Rows in the target afterwards. */
  target: number;
  status: 'copied' | 'already there' | 'empty' | 'merged';
}

export interface CopyReport {
  tables: TableCopy[];
  rows: number;
}

/** PostgreSQL takes at most 65535 parameters per statement. */
const MAX_PARAMETERS = 60_000;
const MAX_BATCH_ROWS = 1_000;

const isBookkeeping = (table: string) => /_migration(_lock)?$/.test(table);

export async function copyDatabase(options: CopyOptions): Promise<CopyReport> {
  if (!existsSync(options.from)) throw new InputError(`no SQLite file at ${options.from}`, { field: 'from', value: options.from });
  const source = await openSqliteDatabase(options.from, options.migrations);
  try {
    const target = await openDatabase(options.to, options.migrations);
    try {
      const tables = orderByForeignKeys(source.sqlite, dataTables(source.sqlite));
      const plan = await planTables(source.sqlite, target.db, tables, options.force ?? false, options.to);
      const reports: TableCopy[] = [];
      for (const { table, sourceCount, targetCount } of plan) {
        const report = await copyTable(source.sqlite, target.db, table, sourceCount, targetCount);
        reports.push(report);
        options.onTable?.(report);
      }
      return { tables: reports, rows: reports.reduce((sum, r) => sum + r.copied, 0) };
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

function dataTables(sqlite: SQLite.Database): string[] {
  const rows = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return rows.map((r) => r.name).filter((name) => !isBookkeeping(name));
}

/** Parents first: a table comes after every table its foreign keys reference. */
function orderByForeignKeys(sqlite: SQLite.Database, tables: string[]): string[] {
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    const parents = sqlite.prepare('SELECT DISTINCT "table" AS parent FROM pragma_foreign_key_list(?)').all(table) as { parent: string }[];
    for (const { parent } of parents) if (tables.includes(parent) && parent !== table) visit(parent);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

interface PlannedTable {
  table: string;
  sourceCount: number;
  targetCount: number;
}

/** Counts both sides first and refuses before writing anything when the target holds rows of its own. */
async function planTables(sqlite: SQLite.Database, db: Kysely<any>, tables: string[], force: boolean, to: string): Promise<PlannedTable[]> {
  const plan: PlannedTable[] = [];
  const foreign: string[] = [];
  for (const table of tables) {
    const sourceCount = sqliteCount(sqlite, table);
    const targetCount = await targetCountOf(db, table);
    if (targetCount > 0 && targetCount !== sourceCount) foreign.push(`${table} (${targetCount} rows there, ${sourceCount} here)`);
    plan.push({ table, sourceCount, targetCount });
  }
  if (foreign.length > 0 && !force) {
    throw new InputError(`the target ${redactUrl(to)} already holds other data in ${foreign.join(', ')}: copy into an empty database, or pass --force to merge (existing rows are kept)`, { field: 'to' });
  }
  return plan;
}

const sqliteCount = (sqlite: SQLite.Database, table: string) =>
  (sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;

async function targetCountOf(db: Kysely<any>, table: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function copyTable(sqlite: SQLite.Database, db: Kysely<any>, table: string, sourceCount: number, targetCount: number): Promise<TableCopy> {
  if (sourceCount === 0) return { table, source: 0, copied: 0, target: targetCount, status: 'empty' };
  if (targetCount === sourceCount) return { table, source: sourceCount, copied: 0, target: targetCount, status: 'already there' };
  const columns = await sharedColumns(sqlite, db, table);
  const batchRows = Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  const select = sqlite.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}"`);
  let copied = 0;
  await db.transaction().execute(async (trx) => {
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      // Rows whose key is already there (a --force merge) are kept; everything else is inserted.
      const result = await trx.insertInto(table).values(batch).onConflict((oc) => oc.doNothing()).executeTakeFirst()
        .catch((error: Error) => {
          throw new ItaError(`copying table ${table}: ${error.message}`, { table }, { cause: error });
        });
      copied += Number(result.numInsertedOrUpdatedRows ?? 0);
      batch = [];
    };
    for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
      batch.push(row);
      if (batch.length >= batchRows) await flush();
    }
    await flush();
    await advanceIdentities(trx, table);
  });
  const target = await targetCountOf(db, table);
  if (target < sourceCount) throw new ItaError(`copy of table ${table} is incomplete: ${sourceCount} rows in the source, ${target} in the target`, { table });
  return { table, source: sourceCount, copied, target, status: targetCount > 0 ? 'merged' : 'copied' };
}

/** Columns both sides have (the same migrations ran on both, so normally all of them). */
async function sharedColumns(sqlite: SQLite.Database, db: Kysely<any>, table: string): Promise<string[]> {
  const source = (sqlite.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(table) as { name: string }[]).map((c) => c.name);
  const target = new Set((await db.introspection.getTables()).find((t) => t.name === table)?.columns.map((c) => c.name) ?? []);
  const shared = source.filter((c) => target.has(c));
  if (shared.length === 0) throw new ItaError(`table ${table} has no column the target knows`, { table });
  return shared;
}

/**
 * PostgreSQL identity columns hand out ids from a sequence that explicit inserts do not move: without this, the
 * next journal row written by ITA would collide with a copied id.
 */
async function advanceIdentities(db: Kysely<any>, table: string): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  const identities = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${table} AND is_identity = 'YES'`.execute(db);
  for (const { column_name: column } of identities.rows) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), (SELECT coalesce(max(${sql.ref(column)}), 0) + 1 FROM ${sql.table(table)}), false)`.execute(db);
  }
}
