/**
 * The knowledge base's public entry point: the bot (`/docs`, `/forget`, document uploads), `ita ingest`, `ita ask`
 * and `ita eval rag` use only what is exported here.
 */
import type { Kysely } from 'kysely';
import type { Chunk } from './chunking.ts';
import type { Section } from './ingest/types.ts';
import type { Embedder, Passage, Retriever } from './types.ts';

export type { Embedder, Passage, Retriever } from './types.ts';
export { isRelevant, RELEVANCE_MIN_COVERAGE, RELEVANCE_MIN_SIMILARITY } from './retrieval/relevance.ts';
export { knowledgeMigrations } from './store/migrations.ts';

export type DocumentFormat = 'pdf' | 'docx' | 'md' | 'txt' | 'html';

export interface KnowledgeDocument {
  id: number;
  /** File name without its directory, as the trader sent it. */
  name: string;
  format: DocumentFormat;
  /** sha256 of the file's bytes; re-sending the same content is a duplicate whatever its name. */
  contentHash: string;
  sizeBytes: number;
  /** Page count for PDFs. */
  pages?: number;
  chunkCount: number;
  /** Epoch ms. */
  createdAt: number;
}

/** A stored passage of a document, as retrieval would return it but without a query (so without a score). */
export type DocumentChunk = Omit<Passage, 'score'>;

export interface IngestProgress {
  stage: 'extracting' | 'chunking' | 'embedding' | 'indexing' | 'done';
  /** Units done and total in this stage (pages while extracting, chunks while embedding). */
  done: number;
  total: number;
}

export interface IngestOptions {
  /** Called as work advances, so a bot can edit a progress message; keep it cheap (it is awaited). */
  onProgress?: (progress: IngestProgress) => void | Promise<void>;
}

export interface IngestResult {
  document: KnowledgeDocument;
  chunks: number;
  duplicate: boolean;
}

/** A passage plus the absolute signals `isRelevant` uses (the fused score is rank-based, so it cannot say "nothing"). */
export interface RetrievedPassage extends Passage {
  /** Cosine similarity of the chunk to the query in the vector index, 0 when the chunk came only from BM25. */
  similarity: number;
  /** IDF-weighted share of the question's words and vocabulary phrases (or their RU/EN translations) the chunk contains, 0..1. */
  coverage: number;
  /** Weight share of the question's words that no document contains in either language (same for every passage). */
  unknownShare?: number;
}

export interface KnowledgeStats {
  documents: number;
  chunks: number;
  /** Chunks this instance's search index holds (equal to `chunks` once it has caught up with the store's log). */
  indexedChunks: number;
  embeddingId: string;
  dimensions: number;
  /** Size of the saved search index files (hnswlib graph, BM25 postings, meta) on disk. */
  indexBytes: number;
}

export type EmbeddingConfig =
  | { kind: 'local'; dimensions?: number }
  | { kind: 'openai'; baseUrl: string; model: string; apiKey?: string; timeoutMs?: number }
  | { kind: 'ollama'; baseUrl: string; model: string; timeoutMs?: number };

export interface OpenKnowledgeBaseOptions {
  /** Index files live under `<dataDir>/vectors/`. */
  dataDir: string;
  /** SQLite file or `postgres://` URL (shared with the engine). Ignored when `db` is given. */
  dbFile: string;
  /** Defaults to the offline local embedding. An Embedder instance is accepted too (tests, custom models). */
  embedding?: EmbeddingConfig | Embedder;
  /** An already opened database (the engine's); it must have run `knowledgeMigrations`. Not closed by `close()`. */
  db?: Kysely<any>;
  /** Upload limit; Telegram bots cannot download more than 20 MB. */
  maxUploadBytes?: number;
  /** Replaces ITA's chunker (e.g. a LangChain text splitter, for `ita eval rag --langchain`). */
  chunker?: (sections: Section[]) => Chunk[] | Promise<Chunk[]>;
}

export interface KnowledgeBase extends Retriever {
  ingestFile(file: string, options?: IngestOptions): Promise<IngestResult>;
  ingestBuffer(name: string, bytes: Uint8Array, options?: IngestOptions): Promise<IngestResult>;
  listDocuments(): Promise<KnowledgeDocument[]>;
  getDocument(id: number): Promise<KnowledgeDocument | undefined>;
  /** The document's chunks in reading order (only those of `page` when given); empty for an unknown document. */
  listChunks(documentId: number, options?: { page?: number }): Promise<DocumentChunk[]>;
  /** Removes a document and its chunks (and them from the search indexes, in place); false when no such document. */
  removeDocument(id: number): Promise<boolean>;
  /** Best first; `score` is the reciprocal-rank-fusion score of the vector and BM25 rankings. */
  retrieve(query: string, k: number): Promise<RetrievedPassage[]>;
  /** Whether the passages answer anything at all; false means "not covered by your documents". */
  isRelevant(passages: RetrievedPassage[]): boolean;
  stats(): Promise<KnowledgeStats>;
  close(): Promise<void>;
}

export async function openKnowledgeBase(options: OpenKnowledgeBaseOptions): Promise<KnowledgeBase> {
  const { openKnowledgeBaseImpl } = await import('./knowledge-base.ts');
  return openKnowledgeBaseImpl(options);
}
