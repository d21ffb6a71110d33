import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, hasPostgres, skipWithoutPostgres } from './postgres.ts';

describe.runIf(hasPostgres)(`test PostgreSQL server${skipWithoutPostgres}`, () => {
  it('gives each caller its own empty database and drops it', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    expect(a.name).not.toBe(b.name);
    const client = new pg.Client({ connectionString: a.url });
    await client.connect();
    await client.query('CREATE TABLE t (x int)');
    const tables = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.rows[0].n).toBe(1);
    await client.end();
    await a.drop();
    await b.drop();
    const admin = new pg.Client({ connectionString: process.env.ITA_TEST_DATABASE_URL });
    await admin.connect();
    const left = await admin.query('SELECT count(*)::int AS n FROM pg_database WHERE datname = ANY($1)', [[a.name, b.name]]);
    await admin.end();
    expect(left.rows[0].n).toBe(0);
  });
});
