/**
 * Opens the SQLite database (WAL) through Kysely and runs pending migrations.
 * The engine's migrations live in ./migrations, one timestamped file each, listed in ./migrations/index.ts.
 * Other modules (knowledge) keep their own migration list and table and migrate the same file.
 */
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { ItaError } from '../errors.ts';
import type { Database } from './schema.ts';
import { engineMigrations } from './migrations/index.ts';
import { ensurePrivateDir, OWNER_ONLY_FILE, tightenDatabaseFiles } from './file-modes.ts';

export interface OpenDatabaseOptions {
  /** Extra migration sets (name of their bookkeeping table → migrations), e.g. the knowledge base's. */
  extraMigrations?: Record<string, Record<string, Migration>>;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  /** The raw connection, for bulk paths that need prepared statements (candle import). */
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

export async function openDatabase(file: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  if (file !== ':memory:') {
    ensurePrivateDir(path.dirname(file));
    // Created owner-only before SQLite opens it; SQLite gives its WAL and SHM files the database file's mode.
    if (!existsSync(file)) closeSync(openSync(file, 'a', OWNER_ONLY_FILE));
    tightenDatabaseFiles(file);
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    // Kysely runs SQLite migrations outside a transaction (its adapter says SQLite has no transactional DDL; it does).
    // A kill between a migration's CREATE TABLE and its bookkeeping row would make every later start fail with
    // "table already exists", so all pending migrations commit together or not at all.
    sqlite.exec('BEGIN IMMEDIATE');
    await migrate(db, 'kysely_migration', engineMigrations);
    for (const [table, migrations] of Object.entries(options.extraMigrations ?? {})) {
      await migrate(db, table, migrations);
    }
    sqlite.exec('COMMIT');
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    await db.destroy();
    throw error;
  }
  return { db, sqlite, close: () => db.destroy() };
}

async function migrate(db: Kysely<Database>, table: string, migrations: Record<string, Migration>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: table,
    migrationLockTableName: `${table}_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new ItaError(`database migration ${failed ?? '(unknown)'} failed: ${(error as Error).message}`, {}, { cause: error });
  }
}
