/**
 * The index log other instances read from: its numbers commit in order even with concurrent writers (PostgreSQL
 * hands out identity values before commit, so appends take an advisory lock), the position and the chunk count are
 * read in one snapshot, a removal logs only chunks it really removed, and a shared log is never compacted.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../../src/engine/store/database.ts';
import { knowledgeMigrations } from '../../../src/knowledge/index.ts';
import { compactLog, lockIndexLog, logAdds, loggedChanges, logPosition } from '../../../src/knowledge/store/index-log.ts';
import { deleteDocument, insertDocumentWithChunks } from '../../../src/knowledge/store/repository.ts';
import { knowledgeDb, type KnowledgeDatabase } from '../../../src/knowledge/store/schema.ts';
import { describeBackends, type StoreLocation } from '../../helpers/backends.ts';

const vector = (x: number) => Float32Array.from([x, 0, 0, 0]);
const doc = (hash: string) => ({ name: `${hash}.md`, format: 'md', contentHash: hash, sizeBytes: 1, createdAt: 1 });

async function allChanges(db: Kysely<KnowledgeDatabase>, after = 0) {
  const out = [];
  for await (const page of loggedChanges(db, after)) out.push(...page);
  return out;
}

describeBackends('the knowledge index log', (backend) => {
  let location: StoreLocation;
  let opened: OpenedDatabase;
  let db: Kysely<KnowledgeDatabase>;

  beforeEach(async () => {
    location = await backend.create();
    opened = await openDatabase(location.target, { extraMigrations: { knowledge_migration: knowledgeMigrations } });
    db = knowledgeDb(opened.db);
  });
  afterEach(async () => {
    await opened.close();
    await location.drop();
  });

  it('records which embedding computed each vector, and reads position and chunk count together', async () => {
    expect(await logPosition(db)).toEqual({ seq: 0, chunks: 0 });
    const { chunkIds, logSeq } = await insertDocumentWithChunks(db, doc('a'), [{ ordinal: 0, text: 'one' }, { ordinal: 1, text: 'two' }], {
      vectors: [vector(1), vector(2)],
      embedding: 'emb-x',
    });
    expect(await logPosition(db)).toEqual({ seq: logSeq, chunks: 2 });
    const changes = await allChanges(db);
    expect(changes.map((c) => [c.op, c.chunkId, c.embedding, Array.from(c.vector!)])).toEqual([
      ['add', chunkIds[0], 'emb-x', [1, 0, 0, 0]],
      ['add', chunkIds[1], 'emb-x', [2, 0, 0, 0]],
    ]);
  });

  it('merges the embedder state into the stored one instead of overwriting it', async () => {
    const add = (hash: string, delta: number) =>
      insertDocumentWithChunks(db, doc(hash), [{ ordinal: 0, text: hash }], {
        vectors: [vector(1)],
        embedding: 'emb-x',
        state: { key: 'k', merge: (stored) => String(Number(stored ?? 0) + delta) },
      });
    await add('a', 2);
    await add('b', 3);
    const row = await db.selectFrom('knowledge_index_state').select('value').where('key', '=', 'k').executeTakeFirstOrThrow();
    expect(row.value).toBe('5');
  });

  it('a removal logs the chunks it removed; removing the same document again logs nothing', async () => {
    const { document, chunkIds } = await insertDocumentWithChunks(db, doc('a'), [{ ordinal: 0, text: 'one' }], { vectors: [vector(1)], embedding: 'emb-x' });
    const first = await deleteDocument(db, document.id);
    expect(first?.chunkIds).toEqual(chunkIds);
    expect(await deleteDocument(db, document.id)).toBeUndefined();
    expect((await allChanges(db)).map((c) => c.op)).toEqual(['add', 'remove']);
  });

  it(backend.dialect === 'postgres' ? 'is never compacted: another instance may still need it' : 'is compacted up to the checkpoint of its only instance', async () => {
    const { logSeq } = await insertDocumentWithChunks(db, doc('a'), [{ ordinal: 0, text: 'one' }], { vectors: [vector(1)], embedding: 'emb-x' });
    await compactLog(db, logSeq);
    expect(await allChanges(db)).toHaveLength(backend.dialect === 'postgres' ? 1 : 0);
  });

  it.skipIf(backend.dialect !== 'postgres')('an append waits for an open one, so a reader never sees a higher number before a lower one', async () => {
    const otherDb = await openDatabase(location.target, { extraMigrations: { knowledge_migration: knowledgeMigrations } });
    const other = knowledgeDb(otherDb.db);
    try {
      let releaseFirst!: () => void;
      const held = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstAppended!: () => void;
      const appended = new Promise<void>((resolve) => (firstAppended = resolve));
      const first = db.transaction().execute(async (trx) => {
        await lockIndexLog(trx);
        const seq = await logAdds(trx, [1], [vector(1)], 'emb-x');
        firstAppended();
        await held; // an ingest still committing: its number is drawn, its row not yet visible
        return seq;
      });
      await appended;
      let secondDone = false;
      const second = other.transaction().execute(async (trx) => {
        await lockIndexLog(trx);
        return logAdds(trx, [2], [vector(2)], 'emb-x');
      }).finally(() => (secondDone = true));
      // Wait until the second append is queued on the lock (or, without the lock, has already committed).
      for (let i = 0; i < 200 && !secondDone; i++) {
        const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`.execute(db);
        if (Number(rows[0].n) > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      try {
        expect(secondDone).toBe(false);
        expect((await allChanges(other)).map((c) => c.chunkId)).toEqual([]); // a reader sees neither yet
      } finally {
        releaseFirst();
      }
      const [a, b] = await Promise.all([first, second]);
      expect(a).toBeLessThan(b);
      expect((await allChanges(other)).map((c) => c.chunkId)).toEqual([1, 2]);
    } finally {
      await otherDb.close();
    }
  });
});
