/**
 * A knowledge base opened on a store handle another module opened (`ita ask`, `ita lab`, `ita start`): on SQLite it
 * migrates its tables itself; on PostgreSQL the migrations' SQLite DDL is only translated by openDatabase's migrator,
 * so a handle opened without the knowledge migrations is refused with what to run, and one opened with them works.
 */
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/engine/store/database.ts';
import { LocalHashEmbedder } from '../../src/knowledge/embedding/local.ts';
import { knowledgeMigrations, openKnowledgeBase } from '../../src/knowledge/index.ts';
import { describeBackends, type StoreLocation } from '../helpers/backends.ts';

const note = new TextEncoder().encode('# Quorvane notes\n\nThe quorvane setup waits for the London open before the entry.');

describeBackends('a knowledge base on a store handle opened elsewhere', (backend) => {
  let location: StoreLocation;
  let opened: OpenedDatabase | undefined;

  beforeEach(async () => {
    location = await backend.create();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await location.drop();
  });

  const openOn = (db: OpenedDatabase) =>
    openKnowledgeBase({ dataDir: path.join(location.dir, 'kb'), dbFile: location.target, db: db.db, embedding: new LocalHashEmbedder(64) });

  const works = async (db: OpenedDatabase) => {
    const kb = await openOn(db);
    try {
      await kb.ingestBuffer('quorvane.md', note);
      expect((await kb.retrieve('quorvane London open', 3))[0].document).toBe('quorvane.md');
    } finally {
      await kb.close();
    }
  };

  if (backend.dialect === 'sqlite') {
    it('migrates the knowledge tables itself when the handle was opened without them', async () => {
      opened = await openDatabase(location.target);
      await works(opened);
    });
  } else {
    it('refuses a handle opened without the knowledge migrations, naming the command to run', async () => {
      opened = await openDatabase(location.target);
      await expect(openOn(opened)).rejects.toThrow(/knowledge tables on PostgreSQL not migrated \(20261121_0101_knowledge, .*ita db migrate/);
    });

    it('works on a handle opened with the knowledge migrations', async () => {
      opened = await openDatabase(location.target, { extraMigrations: { knowledge_migration: knowledgeMigrations } });
      await works(opened);
    });
  }
});
