/**
 * `ita ask` on a shared PostgreSQL store it is the first to open: it runs the knowledge migrations on the store it
 * hands the knowledge base, so a fresh database answers ("nothing found") instead of refusing with "not migrated";
 * after `ita ingest` on another data directory (another instance) the same question is answered with a citation.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIta as ita } from '../helpers/ita-cli.ts';
import { createTestDatabase, hasPostgres, skipWithoutPostgres, type TestDatabase } from '../helpers/postgres.ts';



describe.skipIf(!hasPostgres)(`ita ask on a fresh PostgreSQL store${skipWithoutPostgres}`, () => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => {
    db = await createTestDatabase('ita_cli_ask');
    home = mkdtempSync(path.join(tmpdir(), 'ita-ask-pg-'));
  });
  afterAll(async () => {
    rmSync(home, { recursive: true, force: true });
    await db?.drop();
  });

  it('answers on a database nobody migrated yet, then cites a document another instance ingested', { timeout: 120_000 }, async () => {
    const question = 'When should the trading journal be reviewed?';
    const first = await ita(['ask', question], { ITA_DATABASE_URL: db.url, ITA_DATA_DIR: path.join(home, 'a') });
    expect(first.stderr).not.toMatch(/not migrated|migration failed/);
    expect(first.code).toBe(0);

    const doc = path.join(home, 'journal-rules.md');
    writeFileSync(doc, '# Journal rules\n\nReview the trading journal every weekend: note each trade, its setup and the lesson it taught.\n');
    const ingest = await ita(['ingest', doc], { ITA_DATABASE_URL: db.url, ITA_DATA_DIR: path.join(home, 'b') });
    expect(ingest.code, ingest.stderr).toBe(0);

    const second = await ita(['ask', question], { ITA_DATABASE_URL: db.url, ITA_DATA_DIR: path.join(home, 'a') });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('journal-rules.md');
    expect(second.stdout).toMatch(/every weekend/);
  });
});
