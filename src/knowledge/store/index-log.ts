/**
 * The search indexes' write-ahead log in SQLite. An insert or removal of chunks appends rows here in its own
 * transaction; the indexes are saved as snapshots now and then (store → checkpoint), and on open the rows after the
 * snapshot's checkpoint are replayed. So adding a chunk never rewrites a 160 MiB index file, and a crash right after
 * an add loses nothing: the chunk, its vector and this row commit together.
 */
import type { Kysely } from 'kysely';
import type { KnowledgeDatabase } from './schema.ts';

export interface LoggedChange {
  seq: number;
  op: 'add' | 'remove';
  chunkId: number;
  vector?: Float32Array;
}

// 3 bound values per row; 300 rows stay far below SQLite's parameter limit.
const ROWS_PER_INSERT = 300;

/** Logs added chunks with their vectors; returns the last sequence number written (0 when none). */
export async function logAdds(db: Kysely<KnowledgeDatabase>, chunkIds: number[], vectors: Float32Array[]): Promise<number> {
  if (chunkIds.length !== vectors.length) throw new Error(`index log: ${chunkIds.length} chunks but ${vectors.length} vectors`);
  return insertRows(db, chunkIds.map((chunkId, i) => ({ op: 'add' as const, chunk_id: chunkId, vector: vectorBytes(vectors[i]) })));
}

/** Logs removed chunks; returns the last sequence number written (0 when none). */
export async function logRemoves(db: Kysely<KnowledgeDatabase>, chunkIds: number[]): Promise<number> {
  return insertRows(db, chunkIds.map((chunkId) => ({ op: 'remove' as const, chunk_id: chunkId, vector: null })));
}

async function insertRows(db: Kysely<KnowledgeDatabase>, rows: Array<{ op: 'add' | 'remove'; chunk_id: number; vector: Uint8Array | null }>): Promise<number> {
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
    yield rows.map((r) => ({ seq: r.seq, op: r.op, chunkId: r.chunk_id, vector: r.vector ? vectorFromBytes(r.vector) : undefined }));
    after = rows[rows.length - 1].seq;
  }
}

/** The newest sequence number (0 for an empty log that never had rows is fine: AUTOINCREMENT never reuses one). */
export async function lastLogSeq(db: Kysely<KnowledgeDatabase>): Promise<number> {
  const row = await db.selectFrom('knowledge_index_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

export async function countLoggedAfter(db: Kysely<KnowledgeDatabase>, afterSeq: number): Promise<number> {
  const row = await db.selectFrom('knowledge_index_log').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', '>', afterSeq).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Drops rows a saved snapshot already contains. */
export async function truncateLog(db: Kysely<KnowledgeDatabase>, uptoSeq: number): Promise<void> {
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
