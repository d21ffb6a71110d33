/**
 * A start-up killed in the middle of a migration (after its CREATE TABLE, before Kysely wrote its bookkeeping row)
 * must not brick the database: the next start runs the migration again from scratch. A migration that dies after
 * its DDL leaves exactly the state such a kill leaves when migrations are not transactional.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Migration } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/engine/store/database.ts';

const createT = async (db: Parameters<Migration['up']>[0]) => {
  await db.schema.createTable('kill_probe').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
};

describe('openDatabase migrations', () => {
  it('are all-or-nothing: a start-up that dies inside a migration leaves nothing half-applied', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ita-mig-')), 'ita.sqlite');
    const dying: Migration = { up: async (db) => {
      await createT(db);
      throw new Error('process killed here');
    } };
    await expect(openDatabase(file, { extraMigrations: { probe_migration: { '0001_probe': dying } } })).rejects.toThrow(/0001_probe failed/);

    const { db, close } = await openDatabase(file, { extraMigrations: { probe_migration: { '0001_probe': { up: createT } } } });
    const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('kill_probe', 'signals')`.execute(db);
    expect(tables.rows.map((r) => r.name).sort()).toEqual(['kill_probe', 'signals']);
    await close();
  });
});
