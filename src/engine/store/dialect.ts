/**
 * Which SQL engine a Kysely instance talks to. Almost every query is portable; the few that are not (bulk candle
 * writes, catalog lookups) ask here instead of guessing from the connection string.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** A `postgres://` or `postgresql://` URL; anything else is a SQLite file path (or `:memory:`). */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * A text column in byte order, SQLite's only order: PostgreSQL would follow the database's collation (under an ICU
 * or glibc "en" one, `a` sorts before `B` and `/` is ignored), so the same rows would come back in another order.
 */
export function byteOrder(db: Kysely<any>, column: string) {
  return dialectOf(db) === 'postgres' ? sql`${sql.ref(column)} COLLATE "C"` : sql.ref(column);
}

/** Does a table exist? SQLite keeps its catalog in sqlite_master, PostgreSQL in information_schema. */
export async function tableExists(db: Kysely<any>, name: string): Promise<boolean> {
  const query = dialectOf(db) === 'postgres'
    ? sql<{ n: number }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ${name}`
    : sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${name}`;
  const { rows } = await query.execute(db);
  return Number(rows[0]?.n ?? 0) > 0;
}

/** What openDatabase opens for a configuration: the PostgreSQL URL when one is configured, else the SQLite file. */
export function databaseTarget(config: { databaseUrl?: string; dbFile: string }): string {
  return config.databaseUrl ?? config.dbFile;
}

/** A database URL with its password replaced, for logs and error messages. */
export function redactUrl(target: string): string {
  if (!isPostgresUrl(target)) return target;
  try {
    const url = new URL(target);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
