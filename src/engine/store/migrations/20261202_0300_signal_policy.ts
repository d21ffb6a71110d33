import { sql, type Kysely } from 'kysely';

/**
 * A signal the signal policy kept from the trader (account side, minimum score, cost in R) is journaled with the
 * rule and the reason, not pushed. NULL: pushed, or journaled before the policy ran in the live pipeline.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE signals ADD COLUMN policy_rule TEXT`.execute(db);
  await sql`ALTER TABLE signals ADD COLUMN policy_reason TEXT`.execute(db);
}
