/**
 * The knowledge base service: ingest (detect → extract → chunk → embed → store → index), documents for `/docs`
 * and `/forget`, and hybrid retrieval (vector + BM25 fused by RRF). The SQL store (SQLite, or PostgreSQL shared by
 * several instances) is the source of truth; the search indexes are derived from it through its index log, applied
 * after this instance's writes and, before each query, whatever other instances logged (search-index.ts); they are
 * saved in the background every few hundred changes and on close. Writes, catch-ups and saves are serialized so two
 * uploads at once cannot interleave; queries wait for the last write, and for a save only when there is something
 * to catch up on.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, Migrator } from 'kysely';
import { InputError, ItaError } from '../engine/errors.ts';
import { openDatabase } from '../engine/store/database.ts';
import { dialectOf } from '../engine/store/dialect.ts';
import { chunkSections } from './chunking.ts';
import { createEmbedder } from './embedding/create.ts';
import { DEFAULT_MAX_UPLOAD_BYTES, detectFormat } from './ingest/detect.ts';
import { extractDocument } from './ingest/extract.ts';
import type {
  DocumentChunk,
  DocumentFormat,
  IngestOptions,
  IngestResult,
  KnowledgeBase,
  KnowledgeDocument,
  KnowledgeStats,
  OpenKnowledgeBaseOptions,
  RetrievedPassage,
} from './index.ts';
import { isRelevant } from './retrieval/relevance.ts';
import { retrievePassages } from './retrieval/retrieve.ts';
import { SearchIndex } from './retrieval/search-index.ts';
import { knowledgeMigrations } from './store/migrations.ts';
import * as repo from './store/repository.ts';
import { knowledgeDb, type KnowledgeDatabase } from './store/schema.ts';

export async function openKnowledgeBaseImpl(options: OpenKnowledgeBaseOptions): Promise<KnowledgeBase> {
  let db: Kysely<KnowledgeDatabase>;
  let closeDb: () => Promise<void> = async () => undefined;
  if (options.db) {
    db = knowledgeDb(options.db);
    await migrateKnowledge(db);
  } else {
    const opened = await openDatabase(options.dbFile, { extraMigrations: { knowledge_migration: knowledgeMigrations } });
    db = knowledgeDb(opened.db);
    closeDb = opened.close;
  }
  try {
    const embedder = await createEmbedder(options.embedding);
    const index = await SearchIndex.open(db, embedder, options.dataDir);
    return new KnowledgeBaseService(db, index, options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, closeDb, options.chunker ?? chunkSections);
  } catch (error) {
    await closeDb();
    throw error;
  }
}

class KnowledgeBaseService implements KnowledgeBase {
  /** Writes and index saves, one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The last write (not save): what a query must see. */
  private lastWrite: Promise<unknown> = Promise.resolve();
  private checkpointQueued = false;
  /** The catch-up queued for queries, shared by every query that finds the index behind meanwhile. */
  private catchingUp?: Promise<unknown>;

  constructor(
    private readonly db: Kysely<KnowledgeDatabase>,
    private readonly index: SearchIndex,
    private readonly maxUploadBytes: number,
    private readonly closeDb: () => Promise<void>,
    private readonly chunker: NonNullable<OpenKnowledgeBaseOptions['chunker']>,
  ) {
    // After a long replay (or a converted first-format directory) the snapshot is written without delaying queries.
    this.checkpointSoon();
  }

  async ingestFile(file: string, options: IngestOptions = {}): Promise<IngestResult> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (cause) {
      throw new InputError(`${file}: cannot read the file (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`, { file }, { cause });
    }
    return this.ingestBuffer(path.basename(file), bytes, options);
  }

  ingestBuffer(name: string, bytes: Uint8Array, options: IngestOptions = {}): Promise<IngestResult> {
    return this.serialized(() => this.ingest(path.basename(name), bytes, options));
  }

  private async ingest(name: string, bytes: Uint8Array, { onProgress }: IngestOptions): Promise<IngestResult> {
    const format = detectFormat(name, bytes, this.maxUploadBytes);
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const existing = await repo.findDocumentByHash(this.db, contentHash);
    if (existing) return { document: toDocument(existing), chunks: existing.chunk_count, duplicate: true };

    await onProgress?.({ stage: 'extracting', done: 0, total: 1 });
    const extracted = await extractDocument(name, format, bytes, (done, total) => onProgress?.({ stage: 'extracting', done, total }));
    const chunks = await this.chunker(extracted.sections);
    if (chunks.length === 0) throw new InputError(`${name}: no readable text in the document`, { file: name });
    await onProgress?.({ stage: 'chunking', done: chunks.length, total: chunks.length });
    const { vectors, state } = await this.index.embedChunks(chunks, (done, total) => onProgress?.({ stage: 'embedding', done, total }));

    await onProgress?.({ stage: 'indexing', done: 0, total: chunks.length });
    let document: repo.DocumentRow;
    try {
      ({ document } = await repo.insertDocumentWithChunks(
        this.db,
        { name, format, contentHash, sizeBytes: bytes.length, pages: extracted.pages, createdAt: Date.now() },
        chunks,
        { vectors, embedding: this.index.embedder.id, state },
      ));
    } catch (error) {
      // Another instance on the shared database stored the same file meanwhile (content_hash is unique); any other
      // failure (a lost connection, say) is reported as itself, not as whatever the look-up then runs into.
      const stored = await repo.findDocumentByHash(this.db, contentHash).catch(() => undefined);
      if (stored) return { document: toDocument(stored), chunks: stored.chunk_count, duplicate: true };
      throw error;
    }
    // From the log, in its order: other instances' changes committed before this one are applied first.
    await this.catchUpNow();
    await onProgress?.({ stage: 'done', done: chunks.length, total: chunks.length });
    return { document: toDocument(document), chunks: chunks.length, duplicate: false };
  }

  async listDocuments(): Promise<KnowledgeDocument[]> {
    return (await repo.listDocuments(this.db)).map(toDocument);
  }

  async getDocument(id: number): Promise<KnowledgeDocument | undefined> {
    const row = await repo.findDocument(this.db, id);
    return row && toDocument(row);
  }

  async listChunks(documentId: number, options: { page?: number } = {}): Promise<DocumentChunk[]> {
    // A chunk ingested a moment ago is listed too.
    await this.lastWrite.catch(() => undefined);
    return (await repo.documentChunks(this.db, documentId, options.page)).map((r) => ({
      chunkId: r.id, documentId: r.document_id, document: r.document_name, page: r.page ?? undefined, heading: r.heading ?? undefined, text: r.text,
    }));
  }

  removeDocument(id: number): Promise<boolean> {
    return this.serialized(async () => {
      const deleted = await repo.deleteDocument(this.db, id);
      if (deleted === undefined) return false;
      await this.catchUpNow();
      return true;
    });
  }

  async retrieve(query: string, k: number): Promise<RetrievedPassage[]> {
    await this.lastWrite.catch(() => undefined);
    await this.caughtUp();
    return retrievePassages(this.db, this.index, query, k);
  }

  isRelevant(passages: RetrievedPassage[]): boolean {
    return isRelevant(passages);
  }

  async stats(): Promise<KnowledgeStats> {
    await this.lastWrite.catch(() => undefined);
    await this.caughtUp();
    const documents = (await repo.listDocuments(this.db)).length;
    return {
      documents,
      chunks: await repo.countChunks(this.db),
      indexedChunks: this.index.size,
      embeddingId: this.index.embedder.id,
      dimensions: this.index.embedder.dimensions,
      indexBytes: this.index.indexBytes,
    };
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    // A crash instead of a close loses nothing (the log is replayed); saving here keeps the next start short.
    if (this.index.hasPending) await this.index.checkpoint().catch(() => undefined);
    await this.closeDb();
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.catch(() => undefined).then(work);
    this.queue = next;
    this.lastWrite = next;
    return next;
  }

  /**
   * Applies what other instances logged before a query. Nothing new (the usual case) costs one read of the log's
   * newest number; otherwise one catch-up is queued behind the writes and saves, and every query arriving meanwhile
   * waits for that same one. Checked again after it, so a change committed while it ran is not missed.
   */
  private async caughtUp(): Promise<void> {
    while (await this.index.behind()) {
      this.catchingUp ??= this.serialized(() => this.catchUpNow()).finally(() => (this.catchingUp = undefined));
      await this.catchingUp;
    }
  }

  /** Inside serialized work: applies the log after the index's position (a failure leaves it to the next call). */
  private async catchUpNow(): Promise<void> {
    if ((await this.index.catchUp()) > 0) this.checkpointSoon();
  }

  /** Queues a snapshot after the current write once enough changes piled up; a failed one leaves the log to replay. */
  private checkpointSoon(): void {
    if (!this.index.needsCheckpoint || this.checkpointQueued) return;
    this.checkpointQueued = true;
    this.queue = this.queue
      .catch(() => undefined)
      .then(() => this.index.checkpoint())
      .catch(() => undefined)
      .finally(() => {
        this.checkpointQueued = false;
      });
  }
}

function toDocument(row: repo.DocumentRow): KnowledgeDocument {
  return {
    id: row.id,
    name: row.name,
    format: row.format as DocumentFormat,
    contentHash: row.content_hash,
    sizeBytes: row.size_bytes,
    pages: row.pages ?? undefined,
    chunkCount: row.chunk_count,
    createdAt: row.created_at,
  };
}

async function migrateKnowledge(db: Kysely<KnowledgeDatabase>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => knowledgeMigrations },
    migrationTableName: 'knowledge_migration',
    migrationLockTableName: 'knowledge_migration_lock',
  });
  if (dialectOf(db) === 'postgres') {
    // The migrations' SQLite DDL is read as PostgreSQL's only by openDatabase's migrator (engine/store/postgres.ts),
    // under its advisory lock; run here it would fail on the first AUTOINCREMENT. A shared database handed in must
    // have been opened with the knowledge migrations (as `ita start` and `ita db migrate` do).
    const pending = (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
    if (pending.length > 0) {
      throw new ItaError(`knowledge tables on PostgreSQL not migrated (${pending.join(', ')}): run \`ita db migrate\`, or open the database with the knowledge migrations`, { pending });
    }
    return;
  }
  const { error } = await migrator.migrateToLatest();
  if (error) throw new ItaError(`knowledge database migration failed: ${(error as Error).message}`, {}, { cause: error });
}
