import type { Generated } from 'kysely';

/** Typed Kysely view of the knowledge tables. SQLite holds the text; the vector index is derived from it. */

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

export interface KnowledgeDatabase {
  knowledge_documents: KnowledgeDocumentTable;
  knowledge_chunks: KnowledgeChunkTable;
}
