/**
 * Opens the store through Kysely and runs pending migrations: a SQLite file (WAL; the default) or, given a
 * `postgres://` URL, a PostgreSQL database shared by several ITA instances (./postgres.ts).
 * The engine's migrations live in ./migrations, one timestamped file each, listed in ./migrations/index.ts.
 * Other modules (knowledge) keep their own migration list and table and migrate the same database.
 */
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { ItaError } from '../errors.ts';
import type { Database } from './schema.ts';
import { engineMigrations } from './migrations/index.ts';
import { isPostgresUrl, type DialectName } from './dialect.ts';
import { migratePostgres, openPostgresKysely } from './postgres.ts';
import { ensurePrivateDir, OWNER_ONLY_FILE, tightenDatabaseFiles } from './file-modes.ts';

export interface OpenDatabaseOptions {
  /** Extra migration sets (name of their bookkeeping table → migrations), e.g. the knowledge base's. */
  extraMigrations?: Record<string, Record<string, Migration>>;
}

/** `DB`: the tables the opened migration sets create (the engine's by default; the application's: src/app/database.ts). */
export interface OpenedDatabase<DB = Database> {
  db: Kysely<DB>;
  dialect: DialectName;
  /** The raw SQLite connection, for bulk paths that need prepared statements (candle import); none on PostgreSQL. */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

/** A SQLite store: the raw connection is always there (tests and SQLite-only tools use it). */
export interface OpenedSqliteDatabase<DB = Database> extends OpenedDatabase<DB> {
  dialect: 'sqlite';
  sqlite: SQLite.Database;
}

/** `target`: a SQLite file path, `:memory:`, or a `postgres://` URL. */
export async function openDatabase<DB = Database>(target: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase<DB>> {
  if (!isPostgresUrl(target)) return openSqliteDatabase<DB>(target, options);
  await migratePostgres(target, (db) => migrateAll(db, options, true));
  const db = openPostgresKysely<DB>(target);
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

export async function openSqliteDatabase<DB = Database>(file: string, options: OpenDatabaseOptions = {}): Promise<OpenedSqliteDatabase<DB>> {
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
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    // Kysely runs SQLite migrations outside a transaction (its adapter says SQLite has no transactional DDL; it does).
    // A kill between a migration's CREATE TABLE and its bookkeeping row would make every later start fail with
    // "table already exists", so all pending migrations commit together or not at all.
    sqlite.exec('BEGIN IMMEDIATE');
    await migrateAll(db as Kysely<any>, options, false);
    sqlite.exec('COMMIT');
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    await db.destroy();
    throw error;
  }
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

/** Every set, in order, inside the transaction the caller opened (so Kysely must not open its own). */
async function migrateAll(db: Kysely<any>, options: OpenDatabaseOptions, insideTransaction: boolean): Promise<void> {
  await migrate(db, 'kysely_migration', engineMigrations, insideTransaction);
  for (const [table, migrations] of Object.entries(options.extraMigrations ?? {})) {
    await migrate(db, table, migrations, insideTransaction);
  }
}

async function migrate(db: Kysely<any>, table: string, migrations: Record<string, Migration>, insideTransaction: boolean): Promise<void> {
  const migrator = new Migrator({
    db,
    disableTransactions: insideTransaction,
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
