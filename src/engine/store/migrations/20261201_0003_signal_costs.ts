import { sql, type Kysely } from 'kysely';

/** Signals carry their costs at the account's fees and slippage (signal.costs); the journal keeps them as JSON. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE signals ADD COLUMN costs TEXT`.execute(db);
}
