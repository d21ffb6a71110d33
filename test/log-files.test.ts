import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { openLogFiles, removeExpired } from '../src/log-files.ts';

describe('structured log files', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'ita-logs-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes one JSON object per line with level, time, message and fields; secrets masked', async () => {
    const dir = path.join(tempDir(), 'logs');
    const sink = await openLogFiles({ dir, retentionDays: 183, level: 'info', secrets: ['123456:SECRET-TOKEN'] });
    const logger = createLogger({ write: () => {}, sinks: [sink] }).child({ component: 'bot' });
    logger.debug('not at this level');
    logger.info('telegram reached', { url: 'https://api.telegram.org/bot123456:SECRET-TOKEN/getMe' });
    logger.error('llm failed', { error: new Error('Incorrect API key provided: Bearer sk-abcdefghijklmnop') });
    await sink.close();
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^ita\.\d{4}-\d{2}-\d{2}\.1\.log$/);
    const text = readFileSync(path.join(dir, files[0]), 'utf8');
    expect(text).not.toContain('SECRET-TOKEN');
    expect(text).not.toContain('abcdefghijklmnop');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.level, l.msg, l.component])).toEqual([
      ['info', 'telegram reached', 'bot'],
      ['error', 'llm failed', 'bot'],
    ]);
    expect(Number.isFinite(Date.parse(lines[0].time))).toBe(true);
    expect(lines[1].error).toContain('Bearer ***');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('removes the files of days older than the retention, also those of earlier runs', () => {
    const dir = tempDir();
    for (const day of ['2026-05-01', '2026-05-29', '2026-05-30', '2026-06-01']) writeFileSync(path.join(dir, `ita.${day}.1.log`), '{}\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'not a log');
    // At 2026-06-01 00:00 with 2 days kept the cut-off is 2026-05-30 00:00: the 29th ended exactly then, the 30th
    // still holds lines younger than two days.
    const removed = removeExpired(dir, 2, Date.UTC(2026, 5, 1));
    expect(removed.sort()).toEqual(['ita.2026-05-01.1.log', 'ita.2026-05-29.1.log']);
    expect(readdirSync(dir).sort()).toEqual(['ita.2026-05-30.1.log', 'ita.2026-06-01.1.log', 'notes.txt']);
  });
});
