/** `ita db migrate`: opens (and so migrates) a store, then reads back each migration set's bookkeeping. */
import { sql } from 'kysely';
import { openDatabase, type OpenDatabaseOptions } from './database.ts';

export interface MigrationSetState {
  table: string;
  applied: number;
  latest?: string;
}

export async function migrateStore(target: string, options: OpenDatabaseOptions): Promise<MigrationSetState[]> {
  const store = await openDatabase(target, options);
  try {
    const states: MigrationSetState[] = [];
    for (const table of ['kysely_migration', ...Object.keys(options.extraMigrations ?? {})]) {
      const { rows } = await sql<{ name: string }>`SELECT name FROM ${sql.table(table)} ORDER BY name`.execute(store.db);
      states.push({ table, applied: rows.length, latest: rows.at(-1)?.name });
    }
    return states;
  } finally {
    await store.close();
  }
}
