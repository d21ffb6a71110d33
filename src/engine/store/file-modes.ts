/**
 * Runtime files hold the journal, balances, uploaded documents and reports: readable by the owner only. The process
 * umask covers every file any module creates (SQLite's WAL and SHM files, uploads, indexes, reports); opening the
 * database also tightens files an older version created world-readable.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';

export const OWNER_ONLY_FILE = 0o600;
export const OWNER_ONLY_DIR = 0o700;

/** Called once at process start (the bot and the CLI). */
export function ownerOnlyFiles(): void {
  process.umask(0o077);
}

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
}

/** The database file and its WAL/SHM companions, if they exist. */
export function tightenDatabaseFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, OWNER_ONLY_FILE);
}
