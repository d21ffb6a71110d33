/** Repository functions over the knowledge tables; each takes the database (or a transaction). */
import type { CompiledQuery, Kysely, Selectable } from 'kysely';
import { lockIndexLog, logAdds, logRemoves, readIndexState, writeIndexState } from './index-log.ts';
import type { KnowledgeChunkTable, KnowledgeDatabase, KnowledgeDocumentTable } from './schema.ts';

export type DocumentRow = Selectable<KnowledgeDocumentTable>;
export type ChunkRow = Selectable<KnowledgeChunkTable>;

export interface NewChunk {
  ordinal: number;
  page?: number;
  heading?: string;
  text: string;
}

export interface NewDocument {
  name: string;
  format: string;
  contentHash: string;
  sizeBytes: number;
  pages?: number;
  createdAt: number;
}

/** What the search indexes need to apply an insert later (after a crash, or on another instance). */
export interface IndexLogEntry {
  vectors: Float32Array[];
  /** Id of the embedding that computed `vectors`. */
  embedding: string;
  /** The embedder's learned state, merged into the stored one while the log is locked (no update is lost). */
  state?: { key: string; merge(stored: string | undefined): string };
}

/**
 * Inserts a document and its chunks in one transaction; returns the document row and the new chunk ids in order.
 * With `index`, the chunks' vectors go to the index log in the same transaction (see store/index-log.ts).
 */
export async function insertDocumentWithChunks(
  db: Kysely<KnowledgeDatabase>,
  doc: NewDocument,
  chunks: NewChunk[],
  index?: IndexLogEntry,
): Promise<{ document: DocumentRow; chunkIds: number[]; logSeq: number }> {
  return db.transaction().execute(async (trx) => {
    const document = await trx
      .insertInto('knowledge_documents')
      .values({
        name: doc.name,
        format: doc.format,
        content_hash: doc.contentHash,
        size_bytes: doc.sizeBytes,
        pages: doc.pages ?? null,
        chunk_count: chunks.length,
        created_at: doc.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const chunkIds: number[] = [];
    // SQLite caps bound parameters per statement; 6 columns × 100 rows stays well under it.
    for (let i = 0; i < chunks.length; i += 100) {
      const rows = await trx
        .insertInto('knowledge_chunks')
        .values(
          chunks.slice(i, i + 100).map((c) => ({
            document_id: document.id,
            ordinal: c.ordinal,
            page: c.page ?? null,
            heading: c.heading ?? null,
            text: c.text,
          })),
        )
        .returning('id')
        .execute();
      for (const row of rows) chunkIds.push(row.id);
    }
    let logSeq = 0;
    if (index) {
      await lockIndexLog(trx);
      logSeq = await logAdds(trx, chunkIds, index.vectors, index.embedding);
      if (index.state) await writeIndexState(trx, index.state.key, index.state.merge(await readIndexState(trx, index.state.key)));
    }
    return { document, chunkIds, logSeq };
  });
}

export async function findDocumentByHash(db: Kysely<KnowledgeDatabase>, hash: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('knowledge_documents').selectAll().where('content_hash', '=', hash).executeTakeFirst();
}

export async function findDocument(db: Kysely<KnowledgeDatabase>, id: number): Promise<DocumentRow | undefined> {
  return db.selectFrom('knowledge_documents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listDocuments(db: Kysely<KnowledgeDatabase>): Promise<DocumentRow[]> {
  return db.selectFrom('knowledge_documents').selectAll().orderBy('id').execute();
}

/**
 * Deletes the document and its chunks, logging their removal for the search indexes in the same transaction;
 * returns the ids of the chunks that went with it and the log's sequence number. When another instance deleted
 * the document first (a shared database), this one finds nothing to delete and logs nothing.
 */
export async function deleteDocument(db: Kysely<KnowledgeDatabase>, id: number): Promise<{ chunkIds: number[]; logSeq: number } | undefined> {
  return db.transaction().execute(async (trx) => {
    // The chunks first (the document's removal would cascade to them unseen). A concurrent deletion of the same
    // document waits on these rows and then finds none of them, nor the document: it logs nothing.
    const chunks = await trx.deleteFrom('knowledge_chunks').where('document_id', '=', id).returning('id').execute();
    const doc = await trx.deleteFrom('knowledge_documents').where('id', '=', id).executeTakeFirst();
    if (Number(doc.numDeletedRows) === 0) return undefined;
    const chunkIds = chunks.map((c) => c.id);
    await lockIndexLog(trx);
    return { chunkIds, logSeq: await logRemoves(trx, chunkIds) };
  });
}

type ChunkWithDocument = ChunkRow & { document_name: string };

/** Compiled per id count: building and compiling the query cost more than SQLite's read of five rows. */
const chunksByIdsQueries = new WeakMap<Kysely<KnowledgeDatabase>, Map<number, CompiledQuery<ChunkWithDocument>>>();

export async function chunksByIds(db: Kysely<KnowledgeDatabase>, ids: number[]): Promise<ChunkWithDocument[]> {
  if (ids.length === 0) return [];
  let byCount = chunksByIdsQueries.get(db);
  if (!byCount) chunksByIdsQueries.set(db, (byCount = new Map()));
  let compiled = byCount.get(ids.length);
  if (!compiled) {
    compiled = db
      .selectFrom('knowledge_chunks as c')
      .innerJoin('knowledge_documents as d', 'd.id', 'c.document_id')
      .selectAll('c')
      .select('d.name as document_name')
      .where('c.id', 'in', ids)
      .compile();
    if (byCount.size < 64) byCount.set(ids.length, compiled);
  }
  // The compiled query's only parameters are the ids, in order.
  const query: CompiledQuery<ChunkWithDocument> = { ...compiled, parameters: ids };
  return (await db.executeQuery(query)).rows;
}

/** One document's chunks in reading order, optionally only those of one page. */
export async function documentChunks(db: Kysely<KnowledgeDatabase>, documentId: number, page?: number): Promise<Array<ChunkRow & { document_name: string }>> {
  const q = db
    .selectFrom('knowledge_chunks as c')
    .innerJoin('knowledge_documents as d', 'd.id', 'c.document_id')
    .selectAll('c')
    .select('d.name as document_name')
    .where('c.document_id', '=', documentId);
  return (page === undefined ? q : q.where('c.page', '=', page)).orderBy('c.ordinal').execute();
}

/** Every chunk in id order, in pages of `pageSize`, so a rebuild over 100k chunks never holds two copies. */
export async function* allChunks(db: Kysely<KnowledgeDatabase>, pageSize = 5000): AsyncGenerator<ChunkRow[]> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('knowledge_chunks').selectAll().where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1].id;
  }
}

export async function countChunks(db: Kysely<KnowledgeDatabase>): Promise<number> {
  const row = await db.selectFrom('knowledge_chunks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
