import { sql, type Kysely } from 'kysely';

/**
 * Each watched market has an account type: spot (long only) or perp (USDT-margined perpetual futures). NULL means
 * the configured default (exchange.account), so existing rows keep working unchanged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE watchlist ADD COLUMN account TEXT CHECK (account IS NULL OR account IN ('spot', 'perp'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE watchlist DROP COLUMN account`.execute(db);
}
