import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/engine/store/database.ts';
import { knowledgeMigrations } from '../../../src/knowledge/index.ts';
import { chunksByIds, insertDocumentWithChunks } from '../../../src/knowledge/store/repository.ts';
import type { KnowledgeDatabase } from '../../../src/knowledge/store/schema.ts';

describe('chunksByIds (its compiled query is reused per id count)', () => {
  let dir: string;
  let close: () => Promise<void>;
  let db: Kysely<KnowledgeDatabase>;
  let ids: number[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-chunks-by-ids-'));
    const opened = await openDatabase(path.join(dir, 'kb.sqlite'), { extraMigrations: { knowledge_migration: knowledgeMigrations } });
    db = opened.db as unknown as Kysely<KnowledgeDatabase>;
    close = opened.close;
    const texts = ['alpha', 'beta', 'gamma', 'delta'];
    const doc = { name: 'notes.md', format: 'md', contentHash: 'h1', sizeBytes: 1, createdAt: 1 };
    ({ chunkIds: ids } = await insertDocumentWithChunks(db, doc, texts.map((text, ordinal) => ({ ordinal, text }))));
  });

  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  const texts = async (wanted: number[]): Promise<string[]> => (await chunksByIds(db, wanted)).map((r) => r.text).sort();

  it('answers each call with its own ids, whatever an earlier call of the same size asked', async () => {
    expect(await texts([ids[0], ids[1]])).toEqual(['alpha', 'beta']);
    expect(await texts([ids[3], ids[2]])).toEqual(['delta', 'gamma']);
    expect(await texts([ids[1]])).toEqual(['beta']);
    expect(await texts([ids[2], ids[0], ids[3]])).toEqual(['alpha', 'delta', 'gamma']);
    expect(await texts([ids[0], 999_999])).toEqual(['alpha']);
    expect((await chunksByIds(db, [ids[1]]))[0].document_name).toBe('notes.md');
  });
});
