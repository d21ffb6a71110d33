/**
 * Which SQL engine a Kysely instance talks to. Almost every query is portable; the few that are not (bulk candle
 * writes, catalog lookups) ask here instead of guessing from the connection string.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Re-exported: the store's own modules read them here; the CLI imports target.ts, which loads no Kysely.
export { databaseTarget, isPostgresUrl, redactUrl } from './target.ts';

export type DialectName = 'sqlite' | 'postgres';

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
