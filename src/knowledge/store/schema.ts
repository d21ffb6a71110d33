import type { Generated, Kysely } from 'kysely';

/** Typed Kysely view of the knowledge tables. SQL (SQLite or a shared PostgreSQL) holds the text; each instance's vector index is derived from it. */

export interface KnowledgeDocumentTable {
  id: Generated<number>;
  name: string;
  format: string;
  content_hash: string;
  size_bytes: number;
  pages: number | null;
  chunk_count: number;
  created_at: number;
}

export interface KnowledgeChunkTable {
  id: Generated<number>;
  document_id: number;
  ordinal: number;
  page: number | null;
  heading: string | null;
  text: string;
}

/** The search indexes' write-ahead log (see the 20261202 migration). */
export interface KnowledgeIndexLogTable {
  seq: Generated<number>;
  op: 'add' | 'remove';
  chunk_id: number;
  /** Float32 little-endian vector for 'add'; null for 'remove'. */
  vector: Uint8Array | null;
  /** Id of the embedding that computed `vector` (null in rows logged before it was recorded: the reader's own). */
  embedding: string | null;
}

export interface KnowledgeIndexStateTable {
  key: string;
  value: string;
}

export interface KnowledgeDatabase {
  knowledge_documents: KnowledgeDocumentTable;
  knowledge_chunks: KnowledgeChunkTable;
  knowledge_index_log: KnowledgeIndexLogTable;
  knowledge_index_state: KnowledgeIndexStateTable;
}

/**
 * A store handle opened with the knowledge migrations (the engine's, whose own type does not list these tables),
 * seen through the knowledge tables: the one place the knowledge area narrows it; everything past here is typed.
 */
export function knowledgeDb(db: Kysely<any>): Kysely<KnowledgeDatabase> {
  return db as Kysely<KnowledgeDatabase>;
}
