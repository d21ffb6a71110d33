import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, secretsOf } from '../src/config.ts';
import { ConfigError } from '../src/engine/errors.ts';
import { databaseTarget, redactUrl } from '../src/engine/store/dialect.ts';

const cwd = () => mkdtempSync(path.join(os.tmpdir(), 'ita-config-db-'));

describe('ITA_DATABASE_URL', () => {
  it('without it the store is the SQLite file under the data directory, as before', () => {
    const dir = cwd();
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.databaseUrl).toBeUndefined();
    expect(databaseTarget(config)).toBe(path.join(dir, 'data', 'ita.sqlite'));
  });

  it('a postgres URL becomes the store, and its password a secret that logs mask', () => {
    const url = 'postgres://desk:s3cr%40t@db.local:5432/ita';
    const config = loadConfig({ env: { ITA_DATABASE_URL: url }, cwd: cwd() });
    expect(databaseTarget(config)).toBe(url);
    expect(secretsOf(config)).toContain('s3cr@t');
    expect(redactUrl(url)).toBe('postgres://desk:***@db.local:5432/ita');
  });

  it('refuses anything that is not a postgres URL, naming the key', () => {
    expect(() => loadConfig({ env: { ITA_DATABASE_URL: 'mysql://x@y/z' }, cwd: cwd() })).toThrowError(ConfigError);
    expect(() => loadConfig({ env: { ITA_DATABASE_URL: 'mysql://x@y/z' }, cwd: cwd() })).toThrowError(/databaseUrl: must be a postgres:\/\/ or postgresql:\/\/ URL \(from environment variable ITA_DATABASE_URL\)/);
  });
});
