import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The search indexes' write-ahead log: every chunk added (with its vector, so a replay needs no embedding call)
  // or removed since the last saved snapshot. Written in the same transaction as the chunks, so a crash between the
  // SQLite commit and the next snapshot loses nothing; rows up to the snapshot's checkpoint are deleted after it.
  await sql`
    CREATE TABLE knowledge_index_log (
      seq      INTEGER PRIMARY KEY AUTOINCREMENT,
      op       TEXT    NOT NULL CHECK (op IN ('add', 'remove')),
      chunk_id INTEGER NOT NULL,
      vector   BLOB
    )
  `.execute(db);
  // Small state that changes with every ingest (the offline embedding's learned IDF), kept beside the chunks for the
  // same reason.
  await sql`
    CREATE TABLE knowledge_index_state (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('knowledge_index_state').execute();
  await db.schema.dropTable('knowledge_index_log').execute();
}
