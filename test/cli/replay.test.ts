/**
 * `ita replay` is resumable: a run SIGKILLed at 20 seeded random moments and restarted each time must end in exactly
 * the journal (orders, fills, positions, trades, verdicts, equity marks, balances — every row) of one uninterrupted run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { register } from '../../src/cli/commands/replay.ts';
import { seededRandom } from '../../src/engine/backtest/random.ts';
import { ROOT, samplePath } from '../helpers/candles.ts';

const TABLES = [
  'exec_positions', 'exec_orders', 'exec_fills', 'paper_orders', 'paper_balances', 'paper_prices',
  'executor_verdicts', 'executor_positions', 'executor_equity', 'executor_state',
];
/**
 * BTC/USDT 1h, 2024-07-10 to 2025-07-10 (8,777 candles), ema_cross on a perpetual account with every score taken:
 * about 130 trades, so most candles of the run have something to journal and a kill can land among them.
 */
const ARGS = ['--csv', samplePath('binance_BTCUSDT_1h_2024-07'), '--setup', 'ema_cross', '--auto-approve', '--account', 'perp', '--min-score', '0'];

/** `node bin/ita.js replay` once src/cli.ts registers the command; until then the same command through a test entry. */
function entry(): string[] {
  const registered = readFileSync(path.join(ROOT, 'src/cli.ts'), 'utf8').includes('commands/replay.ts');
  return registered ? [path.join(ROOT, 'bin/ita.js')] : ['--import', 'tsx', path.join(ROOT, 'test/engine/exec/executor/replay-entry.ts')];
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Milliseconds from the start to the first progress line (undefined without one) and to the exit. */
  firstProgressMs?: number;
  totalMs: number;
}

/**
 * Runs the replay. `kill` decides when to SIGKILL it: after `afterMs` from the start, or `afterMs` after the first
 * progress line (`--progress`), i.e. while candles are being committed.
 */
function run(db: string, kill?: { afterMs: number; mid: boolean }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const extra = kill?.mid ? ['--progress', '20'] : [];
    const child = spawn(process.execPath, [...entry(), 'replay', ...ARGS, ...extra, '--db', db], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    let firstProgressMs: number | undefined;
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), kill!.afterMs));
    if (kill && !kill.mid) arm();
    child.stderr.on('data', (d) => {
      stderr += d;
      if (firstProgressMs === undefined && stderr.includes('replay: ')) firstProgressMs = Date.now() - started;
      if (kill?.mid && stderr.includes('replay: ')) arm();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, firstProgressMs, totalMs: Date.now() - started });
    });
  });
}

function dump(file: string): Record<string, unknown[]> {
  const db = new SQLite(file, { readonly: true });
  try {
    return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}

function progress(file: string): number | undefined {
  if (!existsSync(file)) return undefined; // killed before the database was created
  const db = new SQLite(file, { readonly: true });
  try {
    const row = db.prepare(`SELECT value FROM executor_state WHERE key LIKE 'replay:%'`).get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as { lastTs: number }).lastTs : undefined;
  } catch {
    return undefined; // killed before the tables existed
  } finally {
    db.close();
  }
}

describe('ita replay', () => {
  it('killed with SIGKILL 20 times at random moments and restarted, ends in exactly the journal of an uninterrupted run', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ita-replay-'));
    const clean = path.join(dir, 'clean.sqlite');
    const killed = path.join(dir, 'killed.sqlite');

    const whole = await run(clean);
    expect(whole.stderr).toBe('');
    expect(whole.code).toBe(0);
    // Kill moments scale with what a run really takes on this machine (it varies several-fold with load); a kill
    // while committing lands within the first 1/25 of the commit phase, so twenty of them do not finish the run.
    const timing = await run(path.join(dir, 'timing.sqlite'), { afterMs: 1e9, mid: true });
    const startupMs = timing.firstProgressMs ?? timing.totalMs;
    const committingMs = Math.max(50, timing.totalMs - startupMs);

    const random = seededRandom(20261121);
    const marks = new Set<number>();
    let kills = 0;
    for (let i = 0; i < 20; i++) {
      // One kill in four lands at a random moment of start-up; the others while candles are being committed.
      const mid = random() >= 0.25;
      const result = await run(killed, mid ? { afterMs: Math.floor((random() * committingMs) / 25), mid } : { afterMs: Math.floor(random() * startupMs * 1.1), mid });
      if (result.signal === 'SIGKILL') kills++;
      const mark = progress(killed);
      if (mark !== undefined) marks.add(mark);
    }
    const last = await run(killed);
    expect(last.stderr).toBe('');
    expect(last.code).toBe(0);

    expect(kills).toBeGreaterThanOrEqual(15);
    // The kills landed at many different points of the run, not only during start-up.
    expect(marks.size).toBeGreaterThanOrEqual(5);
    const a = dump(clean);
    const b = dump(killed);
    expect(a.executor_verdicts.length).toBeGreaterThan(10);
    expect(a.exec_fills.length).toBeGreaterThan(10);
    for (const table of TABLES) expect({ table, rows: b[table] }).toEqual({ table, rows: a[table] });
  });

  it('refuses to run without --auto-approve, and names a setup that does not fit the file', async () => {
    const program = new Command('ita').exitOverride();
    register(program);
    await expect(program.parseAsync(['replay', '--csv', samplePath('binance_BTCUSDT_1h_2024-07'), '--setup', 'ema_cross'], { from: 'user' }))
      .rejects.toThrow(/--auto-approve is required/);
    await expect(program.parseAsync(['replay', '--csv', samplePath('binance_BTCUSDT_4h_2024-07'), '--setup', 'ema_cross', '--auto-approve'], { from: 'user' }))
      .rejects.toThrow(/setup ema_cross runs on 1h but .* holds 4h candles/);
  });
});
