/**
 * The two stores a repository test runs against: a SQLite file (always) and a throwaway PostgreSQL database (when
 * ITA_TEST_DATABASE_URL names a server; `.ci/run` starts one). `describeBackends` repeats a block once per store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe } from 'vitest';
import { openDatabase, type OpenDatabaseOptions, type OpenedDatabase } from '../../src/engine/store/database.ts';
import type { DialectName } from '../../src/engine/store/dialect.ts';
import { createTestDatabase, hasPostgres, skipWithoutPostgres } from './postgres.ts';

export interface StoreLocation {
  /** What openDatabase takes: a file path or a postgres:// URL. */
  target: string;
  /** The SQLite file's directory (a temp dir on PostgreSQL too, for files a test writes beside the store). */
  dir: string;
  drop(): Promise<void>;
}

export interface StoreBackend {
  name: string;
  dialect: DialectName;
  available: boolean;
  create(): Promise<StoreLocation>;
}

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'ita-store-'));

export const sqliteBackend: StoreBackend = {
  name: 'SQLite',
  dialect: 'sqlite',
  available: true,
  async create() {
    const dir = tempDir();
    return { target: path.join(dir, 'ita.sqlite'), dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

export const postgresBackend: StoreBackend = {
  name: `PostgreSQL${skipWithoutPostgres}`,
  dialect: 'postgres',
  available: hasPostgres,
  async create() {
    const dir = tempDir();
    const database = await createTestDatabase();
    return {
      target: database.url,
      dir,
      async drop() {
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const backends: StoreBackend[] = [sqliteBackend, postgresBackend];

/** `describe(title [backend], …)` once per backend; the PostgreSQL block is skipped (and says why) without a server. */
export function describeBackends(title: string, body: (backend: StoreBackend) => void): void {
  for (const backend of backends) describe.skipIf(!backend.available)(`${title} [${backend.name}]`, () => body(backend));
}

/**
 * Inside a `describeBackends` block: a fresh store for each test, opened with `options` (its modules' migrations),
 * closed and dropped after it. Read `.store` / `.location` inside the tests (they change per test).
 */
export function storePerTest(backend: StoreBackend, options: OpenDatabaseOptions = {}): { store: OpenedDatabase; location: StoreLocation } {
  const current = {} as { store: OpenedDatabase; location: StoreLocation };
  beforeEach(async () => {
    current.location = await backend.create();
    current.store = await openDatabase(current.location.target, options);
  });
  afterEach(async () => {
    await current.store.close();
    await current.location.drop();
  });
  return current;
}
