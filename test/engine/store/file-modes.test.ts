import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../../src/engine/store/database.ts';

const mode = (file: string) => statSync(file).mode & 0o777;

describe('runtime files are readable by the owner only', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('a new database, its WAL and SHM files are 0600 in a 0700 directory, whatever the umask', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ita-modes-'));
    dirs.push(root);
    const file = path.join(root, 'data', 'ita.sqlite');
    const old = process.umask(0o022);
    try {
      const store = await openSqliteDatabase(file);
      store.sqlite.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);');
      expect(mode(path.dirname(file))).toBe(0o700);
      expect(mode(file)).toBe(0o600);
      expect(mode(`${file}-wal`)).toBe(0o600);
      expect(mode(`${file}-shm`)).toBe(0o600);
      await store.close();
    } finally {
      process.umask(old);
    }
  });

  it('a database an older version left world-readable is tightened on open', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ita-modes-'));
    dirs.push(root);
    const file = path.join(root, 'ita.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const store = await openSqliteDatabase(file);
    expect(mode(file)).toBe(0o600);
    await store.close();
  });
});
