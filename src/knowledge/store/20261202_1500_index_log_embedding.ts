import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Which embedding computed a logged vector. Instances sharing one PostgreSQL database may run different embeddings;
  // one whose embedding differs from the writer's re-embeds the chunk's text instead of inserting a foreign vector.
  // Rows logged before this column existed were written by the only instance there was (NULL: "the reader's own").
  await sql`ALTER TABLE knowledge_index_log ADD COLUMN embedding TEXT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE knowledge_index_log DROP COLUMN embedding`.execute(db);
}
