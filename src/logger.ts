/**
 * A small structured logger to stderr. Known secrets are masked in every line, whatever the caller passes.
 */
import { maskSecrets } from './secrets.ts';
import type { LogSink } from './log-files.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  secrets?: string[];
  write?: (line: string) => void;
  bindings?: Record<string, unknown>;
  /** Structured copies of every line at the level (log files, see log-files.ts). */
  sinks?: LogSink[];
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const bindings = options.bindings ?? {};

  const mask = (text: string): string => maskSecrets(text, secrets);

  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < threshold) return;
    const extra = { ...bindings, ...fields };
    const parts = Object.entries(extra).map(([k, v]) => `${k}=${formatValue(v)}`);
    write(mask(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${parts.length ? ' ' + parts.join(' ') : ''}`));
    for (const sink of options.sinks ?? []) sink.write(level, message, extra);
  };

  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (more) => createLogger({ ...options, bindings: { ...bindings, ...more } }),
  };
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** A logger that drops everything: for tests and library use. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });
