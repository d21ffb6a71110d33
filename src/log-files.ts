/**
 * Structured logs on disk: one JSON object per line (pino), in daily files under the data directory, kept for a
 * configurable number of days (default 183, about the six months the specification asks for). The terminal keeps
 * its short human lines (src/logger.ts); the files keep everything at the configured level, masked alike.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import buildRollingFile from 'pino-roll';
import { maskSecrets } from './secrets.ts';

export const DEFAULT_LOG_RETENTION_DAYS = 183;

export interface LogFileOptions {
  dir: string;
  retentionDays: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  secrets: readonly string[];
}

/** Where one structured record goes: level, message and the caller's fields (bindings included). */
export interface LogSink {
  write(level: LogFileOptions['level'], message: string, fields: Record<string, unknown>): void;
  /** Flushes what is buffered and closes the file. */
  close(): Promise<void>;
}

export async function openLogFiles(options: LogFileOptions): Promise<LogSink> {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  removeExpired(options.dir, options.retentionDays, Date.now());
  const stream = await buildRollingFile({
    // Written synchronously: a line logged just before a crash is on disk (ITA logs tens of lines a minute).
    sync: true,
    file: path.join(options.dir, 'ita'),
    frequency: 'daily',
    dateFormat: 'yyyy-MM-dd',
    extension: '.log',
    mkdir: true,
    // One file per day; files of earlier runs count too, so retention holds across restarts.
    limit: { count: options.retentionDays, removeOtherLogFiles: true },
  });
  const logger = pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Every serialized line passes here: secrets and credential-shaped text never reach the disk.
      hooks: { streamWrite: (line: string) => maskSecrets(line, options.secrets) },
      serializers: { error: (value: unknown) => (value instanceof Error ? value.message : value) },
    },
    stream,
  );
  return {
    write(level, message, fields) {
      logger[level](fields, message);
    },
    close: () =>
      new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        stream.end();
      }),
  };
}

const LOG_FILE = /^ita\.(\d{4}-\d{2}-\d{2})\.\d+\.log$/;

/** Files whose day is older than the retention (pino-roll itself only prunes when it rotates during a run). */
export function removeExpired(dir: string, retentionDays: number, now: number): string[] {
  const cutoff = now - retentionDays * 86_400_000;
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const day = LOG_FILE.exec(name)?.[1];
    if (day && Date.parse(`${day}T00:00:00Z`) + 86_400_000 <= cutoff) {
      rmSync(path.join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}
