/**
 * Spawning a CLI entry many times for SIGKILL tests. tsx transpiles every source file on each start (about a second
 * of CPU on this machine), so a kill test that needs hundreds of starts bundles the entry once with esbuild (tsx's own
 * transpiler, installed with it) into data/tmp/ and runs plain node on the bundle; without esbuild it falls back to tsx.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, watch } from 'node:fs';
import path from 'node:path';
import { ROOT } from './candles.ts';

/** Removes the bundles fastEntry wrote for this process. */
export function removeFastEntries(): void {
  rmSync(path.join(ROOT, 'data/tmp', `kill-${process.pid}`), { recursive: true, force: true });
}

/** node arguments that start `entry` (a .ts file under ROOT): a bundle when esbuild is there, else tsx. */
export async function fastEntry(entry: string, name: string): Promise<string[]> {
  try {
    const esbuild = await import('esbuild');
    const dir = path.join(ROOT, 'data/tmp', `kill-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const outfile = path.join(dir, `${name}.mjs`);
    // Packages stay external (resolved from ROOT/node_modules); only the project's own TypeScript is bundled.
    await esbuild.build({ entryPoints: [path.join(ROOT, entry)], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'error' });
    return [outfile];
  } catch {
    return ['--import', 'tsx', path.join(ROOT, entry)];
  }
}

export interface KillRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

/**
 * Runs `node ...args`. `kill` picks the SIGKILL moment: `afterMs` after the start, after the first stderr line
 * containing `afterText`, or after the file `afterFile` appears (a database's -wal: its first write).
 */
export function runAndKill(args: string[], kill?: { afterMs: number; afterText?: string; afterFile?: string }): Promise<KillRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let watcher: ReturnType<typeof watch> | undefined;
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), kill!.afterMs));
    if (kill?.afterFile) {
      watcher = watch(path.dirname(kill.afterFile), (_event, file) => file === path.basename(kill.afterFile!) && arm());
    } else if (kill && !kill.afterText) arm();
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      if (kill?.afterText && stderr.includes(kill.afterText)) arm();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      watcher?.close();
      resolve({ code, signal, stderr, ms: Date.now() - started });
    });
  });
}
