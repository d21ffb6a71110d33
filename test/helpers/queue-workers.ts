/**
 * Real `ita worker` processes for queue tests: spawned through tsx from the sources, each with its own stderr
 * log so a test can wait for a line (a job started) and SIGKILL the process at that moment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './candles.ts';

export interface QueueEnv {
  url: string;
  expireSeconds: number;
  retryLimit?: number;
}

export interface SpawnedWorker {
  child: ChildProcess;
  log(): string;
  /** Resolves with the first log line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnWorker(q: QueueEnv): SpawnedWorker {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ITA_QUEUE_URL: q.url,
    ITA_QUEUE_EXPIRE_SECONDS: String(q.expireSeconds),
    ITA_QUEUE_RETRY_LIMIT: String(q.retryLimit ?? 5),
    ITA_QUEUE_MAINTENANCE_SECONDS: '1',
    ITA_QUEUE_POLL_SECONDS: '0.5',
  };
  delete env.ITA_DATABASE_URL;
  delete env.ITA_CONFIG;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'worker'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  child.stderr!.on('data', (d) => {
    text += d;
    for (const l of listeners) l();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    log: () => text,
    exited,
    waitFor(pattern, timeoutMs = 45_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = text.match(pattern);
          if (m) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`worker never logged ${pattern}; its log:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        void exited.then(() => setTimeout(check, 0));
      });
    },
  };
}
