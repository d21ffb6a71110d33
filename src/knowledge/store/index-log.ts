/**
 * The search indexes' write-ahead log, beside the chunks (SQLite, or a PostgreSQL database several instances share).
 * An insert or removal of chunks appends rows here in its own transaction; each instance saves its indexes as
 * snapshots now and then (search-index.ts → checkpoint) and applies the rows after its position: on open, before a
 * query and after its own writes. So adding a chunk never rewrites a 160 MiB index file, a crash right after an add
 * loses nothing (the chunk, its vector and this row commit together), and an instance sees every other's documents.
 */
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { dialectOf } from '../../engine/store/dialect.ts';
import type { KnowledgeDatabase } from './schema.ts';

export interface LoggedChange {
  seq: number;
  op: 'add' | 'remove';
  chunkId: number;
  vector?: Float32Array;
  /** The embedding that computed `vector`; undefined in rows from before it was recorded. */
  embedding?: string;
}

/** Any fixed 64-bit key, not the migration lock's: every instance appending to the log takes this one. */
const INDEX_LOG_LOCK = 7_316_900_421_017;

/**
 * Call inside the writing transaction right before appending to the log. Readers remember the last sequence number
 * they applied and then ask for rows after it, so a row must never commit after a row with a higher number: that one
 * would be skipped forever. PostgreSQL hands out identity values at insert time, not at commit, so two transactions
 * could commit 11 before 10; holding this transaction-scoped advisory lock from before the numbers are drawn until
 * the commit makes appends (and their commits) one at a time, in number order. A rolled-back append leaves a gap,
 * which is harmless. SQLite needs nothing: a write transaction holds the database's only write lock until it ends.
 */
export async function lockIndexLog(trx: Kysely<KnowledgeDatabase>): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`SELECT pg_advisory_xact_lock(${sql.lit(INDEX_LOG_LOCK)})`.execute(trx);
}

// 4 bound values per row; 300 rows stay far below SQLite's parameter limit.
const ROWS_PER_INSERT = 300;

/** Logs added chunks with their vectors (computed by `embedding`); returns the last sequence number written (0 when none). */
export async function logAdds(db: Kysely<KnowledgeDatabase>, chunkIds: number[], vectors: Float32Array[], embedding: string): Promise<number> {
  if (chunkIds.length !== vectors.length) throw new Error(`index log: ${chunkIds.length} chunks but ${vectors.length} vectors`);
  return insertRows(db, chunkIds.map((chunkId, i) => ({ op: 'add' as const, chunk_id: chunkId, vector: vectorBytes(vectors[i]), embedding })));
}

/** Logs removed chunks; returns the last sequence number written (0 when none). */
export async function logRemoves(db: Kysely<KnowledgeDatabase>, chunkIds: number[]): Promise<number> {
  return insertRows(db, chunkIds.map((chunkId) => ({ op: 'remove' as const, chunk_id: chunkId, vector: null, embedding: null })));
}

type LogRow = { op: 'add' | 'remove'; chunk_id: number; vector: Uint8Array | null; embedding: string | null };

async function insertRows(db: Kysely<KnowledgeDatabase>, rows: LogRow[]): Promise<number> {
  let last = 0;
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const written = await db.insertInto('knowledge_index_log').values(rows.slice(i, i + ROWS_PER_INSERT)).returning('seq').execute();
    for (const row of written) last = Math.max(last, row.seq);
  }
  return last;
}

/** Changes after `afterSeq`, oldest first, in pages (a log is short between checkpoints, but need not be). */
export async function* loggedChanges(db: Kysely<KnowledgeDatabase>, afterSeq: number, pageSize = 2000): AsyncGenerator<LoggedChange[]> {
  let after = afterSeq;
  for (;;) {
    const rows = await db.selectFrom('knowledge_index_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      seq: r.seq,
      op: r.op,
      chunkId: r.chunk_id,
      vector: r.vector ? vectorFromBytes(r.vector) : undefined,
      embedding: r.embedding ?? undefined,
    }));
    after = rows[rows.length - 1].seq;
  }
}

/** The newest sequence number (0 for an empty log that never had rows is fine: AUTOINCREMENT never reuses one). */
export async function lastLogSeq(db: Kysely<KnowledgeDatabase>): Promise<number> {
  let query = lastSeqQueries.get(db);
  if (!query) lastSeqQueries.set(db, (query = db.selectFrom('knowledge_index_log').select((eb) => eb.fn.max('seq').as('seq')).compile()));
  const row = (await db.executeQuery(query)).rows[0];
  return Number(row?.seq ?? 0);
}

/** Compiled once per database: every query asks it (search-index.ts → behind), and building it cost more than SQLite's read. */
const lastSeqQueries = new WeakMap<Kysely<KnowledgeDatabase>, CompiledQuery<{ seq: number | null }>>();

/**
 * The newest sequence number and the chunk count, read in one statement (one snapshot): every change up to `seq` has
 * committed and nothing after it is counted (see lockIndexLog), so an index that applied exactly the log up to `seq`
 * must hold exactly `chunks` chunks, however many instances are writing meanwhile.
 */
export async function logPosition(db: Kysely<KnowledgeDatabase>): Promise<{ seq: number; chunks: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('knowledge_index_log').select((e) => e.fn.max('seq').as('s')).as('seq'),
      eb.selectFrom('knowledge_chunks').select((e) => e.fn.countAll<number>().as('n')).as('chunks'),
    ])
    .executeTakeFirstOrThrow();
  return { seq: Number(row.seq ?? 0), chunks: Number(row.chunks ?? 0) };
}

/**
 * Drops rows a saved snapshot already contains, where that is safe. A SQLite file belongs to one instance, so its
 * rows up to that instance's checkpoint are done with. A PostgreSQL log is shared: another instance may still be
 * behind it, or restart from an older snapshot and replay from there, so nothing is dropped (a new instance starts
 * from the chunks, never from the log's beginning, so the log is only ever read from some instance's position).
 */
export async function compactLog(db: Kysely<KnowledgeDatabase>, uptoSeq: number): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  await db.deleteFrom('knowledge_index_log').where('seq', '<=', uptoSeq).execute();
}

export async function readIndexState(db: Kysely<KnowledgeDatabase>, key: string): Promise<string | undefined> {
  return (await db.selectFrom('knowledge_index_state').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function writeIndexState(db: Kysely<KnowledgeDatabase>, key: string, value: string): Promise<void> {
  await db
    .insertInto('knowledge_index_state')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

function vectorBytes(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** SQLite hands back a Buffer that may sit at any offset of a shared pool: copy into an aligned Float32Array. */
function vectorFromBytes(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.byteLength >> 2);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.byteLength));
  return out;
}
