/**
 * PostgreSQL for tests: a real server, one throwaway database per caller.
 * `.ci/run` installs Debian's server, starts it and sets ITA_TEST_DATABASE_URL (an admin URL, e.g.
 * postgres://ita:ita@127.0.0.1:5432/postgres). Without it the PostgreSQL variants are skipped and say so.
 */
import { createScratchDatabase } from '../../src/engine/store/postgres.ts';

export const POSTGRES_URL = process.env.ITA_TEST_DATABASE_URL ?? '';
export const hasPostgres = POSTGRES_URL !== '';
export const skipWithoutPostgres = hasPostgres ? '' : ' (skipped: ITA_TEST_DATABASE_URL is not set)';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

let counter = 0;

/** Creates an empty database on the test server; `drop()` removes it even if clients are still connected. */
export async function createTestDatabase(prefix = 'ita_test', o: { icuLocale?: string } = {}): Promise<TestDatabase> {
  if (!hasPostgres) throw new Error('ITA_TEST_DATABASE_URL is not set: no PostgreSQL server for this test');
  counter += 1;
  return createScratchDatabase(POSTGRES_URL, `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`.toLowerCase(), o);
}
