import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, secretsOf } from '../src/config.ts';
import { ConfigError } from '../src/engine/errors.ts';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'ita-config-'));

describe('config', () => {
  it('defaults put every runtime file under data/ of the working directory', () => {
    const cwd = tmp();
    const config = loadConfig({ env: {}, cwd });
    expect(config.dataDir).toBe(path.join(cwd, 'data'));
    expect(config.dbFile).toBe(path.join(cwd, 'data', 'ita.sqlite'));
    expect(config.mode).toBe('paper');
    expect(config.signals.minScore).toBe(7);
    expect(config.telegram.allowedUserIds).toEqual([]);
  });

  it('ITA_DATA_DIR moves the database with it', () => {
    const cwd = tmp();
    const config = loadConfig({ env: { ITA_DATA_DIR: '/srv/ita' }, cwd });
    expect(config.dbFile).toBe('/srv/ita/ita.sqlite');
  });

  it('log files are on by default, under the data directory, kept for about six months', () => {
    const cwd = tmp();
    const config = loadConfig({ env: { ITA_DATA_DIR: '/srv/ita' }, cwd });
    expect(config.logs.files).toBe(true);
    expect(config.logs.dir).toBe('/srv/ita/logs');
    // Six months of days: 365 / 2 rounded up.
    expect(config.logs.retentionDays).toBe(183);
    const custom = loadConfig({ env: { ITA_DATA_DIR: '/srv/ita', ITA_LOG_DIR: 'journal-logs', ITA_LOG_RETENTION_DAYS: '30' }, cwd });
    expect(custom.logs).toMatchObject({ dir: '/srv/ita/journal-logs', retentionDays: 30 });
  });

  it('environment overrides the file, and lists of ids are parsed', () => {
    const cwd = tmp();
    writeFileSync(path.join(cwd, 'ita.config.yaml'), 'mode: paper\nsignals:\n  minScore: 6\ntelegram:\n  allowedUserIds: [1, 2]\n');
    const config = loadConfig({ env: { ITA_MIN_SCORE: '8.5', ITA_ALLOWED_USERS: '42, 43' }, cwd });
    expect(config.signals.minScore).toBe(8.5);
    expect(config.telegram.allowedUserIds).toEqual([42, 43]);
  });

  it('a bad value names the key, its source and the allowed values', () => {
    const cwd = tmp();
    expect(() => loadConfig({ env: { ITA_MODE: 'yolo' }, cwd })).toThrowError(ConfigError);
    try {
      loadConfig({ env: { ITA_MODE: 'yolo' }, cwd });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('mode');
      expect(message).toContain('ITA_MODE');
      expect(message).toMatch(/paper/);
      expect(message).toMatch(/live/);
    }
  });

  it('a bad file value names the file', () => {
    const cwd = tmp();
    writeFileSync(path.join(cwd, 'ita.config.yaml'), 'signals:\n  minScore: 11\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrowError(/signals\.minScore.*ita\.config\.yaml/s);
  });

  it('signals.maxCostR defaults to 0.25 R; a bad value names the key, its source and the allowed range', () => {
    const cwd = tmp();
    expect(loadConfig({ env: {}, cwd }).signals.maxCostR).toBe(0.25);
    expect(loadConfig({ env: { ITA_MAX_COST_R: '0.4' }, cwd }).signals.maxCostR).toBe(0.4);
    expect(() => loadConfig({ env: { ITA_MAX_COST_R: 'cheap' }, cwd })).toThrowError(/signals\.maxCostR: must be a number of R, from 0 \(no cost allowed\) to 10 \(from environment variable ITA_MAX_COST_R\)/);
    expect(() => loadConfig({ env: { ITA_MAX_COST_R: '-1' }, cwd })).toThrowError(/signals\.maxCostR: must be a number of R/);
  });

  it('a file that is not YAML is refused with its name', () => {
    const cwd = tmp();
    writeFileSync(path.join(cwd, 'broken.yaml'), 'mode: [paper\n');
    expect(() => loadConfig({ env: {}, cwd, file: 'broken.yaml' })).toThrowError(/broken\.yaml is not valid YAML/);
  });

  it('secrets come from the environment and are listed for masking', () => {
    const config = loadConfig({
      env: { TELEGRAM_BOT_TOKEN: '123:abcdef', ITA_LLM_BASE_URL: 'http://127.0.0.1:1/v1', ITA_LLM_MODEL: 'm', ITA_LLM_API_KEY: 'sk-test-1' },
      cwd: tmp(),
    });
    expect(config.telegram.token).toBe('123:abcdef');
    expect(config.llm.providers[0].apiKey).toBe('sk-test-1');
    expect(secretsOf(config)).toEqual(expect.arrayContaining(['123:abcdef', 'sk-test-1']));
  });

  it('has no job queue by default: everything runs in-process', () => {
    expect(loadConfig({ env: {}, cwd: os.tmpdir() }).queue.url).toBeUndefined();
    expect(loadConfig({ env: { ITA_DB_FILE: 'data/other.sqlite' }, cwd: os.tmpdir() }).queue.url).toBeUndefined();
  });

  it('takes the queue URL from ITA_QUEUE_URL, else from a postgres ITA_DATABASE_URL, and masks its password', () => {
    const own = loadConfig({ env: { ITA_QUEUE_URL: 'postgres://w:s3cr%40t@q:5432/jobs', ITA_DATABASE_URL: 'postgres://a:b@db/ita', ITA_QUEUE_EXPIRE_SECONDS: '30' }, cwd: os.tmpdir() });
    expect(own.queue.url).toBe('postgres://w:s3cr%40t@q:5432/jobs');
    expect(own.queue.expireSeconds).toBe(30);
    expect(secretsOf(own)).toContain('s3cr@t');
    expect(loadConfig({ env: { ITA_DATABASE_URL: 'postgresql://a:bb@db/ita' }, cwd: os.tmpdir() }).queue.url).toBe('postgresql://a:bb@db/ita');
    expect(() => loadConfig({ env: { ITA_QUEUE_URL: 'redis://localhost' }, cwd: os.tmpdir() })).toThrowError(/queue\.url: must be a postgres:\/\/ URL/);
  });
});
