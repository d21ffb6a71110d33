import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // content_hash is UNIQUE: the same file sent twice is one document, whatever it was called.
  await sql`
    CREATE TABLE knowledge_documents (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      name         TEXT    NOT NULL,
      format       TEXT    NOT NULL,
      content_hash TEXT    NOT NULL UNIQUE,
      size_bytes   INTEGER NOT NULL,
      pages        INTEGER,
      chunk_count  INTEGER NOT NULL,
      created_at   INTEGER NOT NULL
    )
  `.execute(db);
  // AUTOINCREMENT: chunk ids are the vector index labels and must never be reused after a removal.
  await sql`
    CREATE TABLE knowledge_chunks (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      document_id INTEGER NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
      ordinal     INTEGER NOT NULL,
      page        INTEGER,
      heading     TEXT,
      text        TEXT    NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX knowledge_chunks_document ON knowledge_chunks (document_id, ordinal)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('knowledge_chunks').execute();
  await db.schema.dropTable('knowledge_documents').execute();
}
