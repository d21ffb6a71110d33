/**
 * `ita backtest` and `ita lab generate` on a configured job queue: the real CLI process submits to pg-boss on a real
 * PostgreSQL and a real `ita worker` process runs the jobs; the report is the one the same command prints without a
 * queue. With no worker the CLI says so after ITA_QUEUE_IDLE_WARN_SECONDS, and Ctrl-C cancels its jobs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/candles.ts';
import { createTestDatabase, hasPostgres, skipWithoutPostgres, type TestDatabase } from '../helpers/postgres.ts';
import { spawnWorker, type SpawnedWorker } from '../helpers/queue-workers.ts';
import { startOpenAiFake, type OpenAiFake } from '../helpers/openai-fake.ts';

const ENTRY = path.join(ROOT, 'bin/ita.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI with only the variables given (no ITA_DATABASE_URL or config file of the machine running the tests). */
function ita(args: string[], env: Record<string, string>, onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  delete base.ITA_DATABASE_URL;
  delete base.ITA_CONFIG;
  if (!env.ITA_QUEUE_URL) delete base.ITA_QUEUE_URL;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY, ...args], { cwd: ROOT, env: base });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : -2), stdout, stderr }));
  });
}

const GOOG = ['--csv', 'data/samples/nasdaq_GOOG_1d.csv', '--exchange', 'nasdaq', '--symbol', 'GOOG', '--no-governor', '--min-score', '0'];

describe.skipIf(!hasPostgres)(`the CLI on the job queue${skipWithoutPostgres}`, () => {
  let db: TestDatabase;
  let worker: SpawnedWorker | undefined;
  let fake: OpenAiFake;
  let tmp: string;
  let queueEnv: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase('ita_cli_queue');
    fake = await startOpenAiFake();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ita-cli-queue-'));
    queueEnv = { ITA_QUEUE_URL: db.url, ITA_QUEUE_POLL_SECONDS: '0.5', ITA_DATA_DIR: tmp };
  });

  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await fake?.close();
    await db?.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function jobStates(): Promise<string[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<{ state: string }>("SELECT state FROM pgboss.job WHERE name = 'ita-work' ORDER BY created_on")).rows.map((r) => r.state);
    } finally {
      await client.end();
    }
  }

  // First, while no worker runs: the CLI must say so rather than wait in silence, and Ctrl-C must cancel its job.
  it('says no worker is taking its jobs, and Ctrl-C cancels them and exits 130', async () => {
    let interrupted = false;
    const r = await ita(['backtest', '--setup', 'sma_cross', ...GOOG], { ...queueEnv, ITA_QUEUE_IDLE_WARN_SECONDS: '1' }, (text, child) => {
      if (!interrupted && /no worker has taken one/.test(text)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    expect(r.stderr).toMatch(/^queue: 1 job\(s\) waiting \d+ s and no worker has taken one — is an `ita worker` running against 127\.0\.0\.1:\d+\/ita_cli_queue\w+\? Start one on any machine that reaches it: ITA_QUEUE_URL=postgres:\/\/user:password@127\.0\.0\.1:\d+\/\w+ ita worker$/m);
    expect(r.stderr).toContain("ita: interrupted (Ctrl-C): the run's jobs on the queue were cancelled");
    expect(r.stderr).not.toContain(':ita@');
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(await jobStates()).toEqual(['cancelled']);
  }, 90_000);

  it('prints the same backtest report through a worker as in this process: walk-forward, Monte Carlo, grid optimization', async () => {
    worker = spawnWorker({ url: db.url, expireSeconds: 60 });
    await worker.waitFor(/waiting for jobs/);
    const setupFile = path.join(tmp, 'sma_cross.yaml');
    writeFileSync(
      setupFile,
      readFileSync(path.join(ROOT, 'setups/sma_cross.yaml'), 'utf8')
        .replace(/fast: \{[^}]*\}/, 'fast: { value: 10, min: 5, max: 15, step: 5 }')
        .replace(/slow: \{[^}]*\}/, 'slow: { value: 30, min: 20, max: 30, step: 10 }'),
    );
    const walk = ['backtest', '--setup', 'sma_cross', ...GOOG, '--from', '2008-01-01', '--walk-forward', '--train-days', '365', '--test-days', '365', '--monte-carlo', '100'];
    const optimize = ['backtest', '--setup', setupFile, ...GOOG, '--optimize', 'grid', '--objective', 'sharpe', '--train-split', '0.6', '--json'];
    for (const args of [walk, optimize]) {
      const local = await ita(args, { ITA_DATA_DIR: tmp });
      const queued = await ita(args, queueEnv);
      expect(local.code, local.stderr).toBe(0);
      expect(queued.code, queued.stderr).toBe(0);
      expect(local.stderr).not.toContain('queue:');
      expect(queued.stderr).toContain('queue: jobs go to 127.0.0.1');
      expect(queued.stdout).toBe(local.stdout);
    }
    expect(worker.log()).toMatch(/job [0-9a-f-]{36} started \(sma_cross: backtest 20\d\d-\d\d-\d\d\.\.20\d\d-\d\d-\d\d/);
    expect(worker.log()).toMatch(/job [0-9a-f-]{36} started \(sma_cross: \d+ parameter set\(s\)/);
    expect(worker.log()).toMatch(/job [0-9a-f-]{36} started \(sma_cross: full backtest/);
  }, 240_000);

  it('runs `ita lab generate` optimization and walk-forward on the worker with the same verdict', async () => {
    const proposal = {
      id: 'lab_sma_q', name: 'SMA cross', description: 'Long on the fast SMA crossing above the slow one.', rationale: 'Trend following.', timeframe: '1d',
      params: { fast: { value: 10, min: 5, max: 15, step: 5 }, slow: { value: 30, min: 20, max: 30, step: 10 } },
      indicators: { sma_fast: 'sma:$fast', sma_slow: 'sma:$slow', atr: 'atr:14' },
      rules: { long: { crosses_above: ['sma_fast', 'sma_slow'] } },
      stop: { type: 'atr', mult: 3 }, targets: [{ r: 3 }],
    };
    const args = ['lab', 'generate', '--csv', 'data/samples/nasdaq_GOOG_1d.csv', '--exchange', 'nasdaq', '--symbol', 'GOOG/USD', '--n', '1', '--optimize', 'grid', '--keep', 'excellent', '--walk-forward', '--train-days', '365', '--test-days', '365'];
    const run = async (name: string, env: Record<string, string>) => {
      const home = mkdtempSync(path.join(tmp, `${name}-`));
      fake.script({ content: JSON.stringify({ proposals: [{ setup: proposal, why: 'trend' }] }) });
      return ita(args, { ITA_LLM_BASE_URL: fake.baseUrl, ITA_LLM_MODEL: 'fake-model', ITA_MIN_SCORE: '0', ITA_SETUPS_DIR: path.join(home, 'setups'), ...env, ITA_DATA_DIR: home });
    };
    const local = await run('local', {});
    const queued = await run('queued', queueEnv);
    expect(local.code, local.stderr).toBe(0);
    expect(queued.code, queued.stderr).toBe(0);
    // The run ids and the database path differ; everything judged is the same.
    const judged = (stdout: string) => stdout.split('\n').filter((line) => !/^Run stored in the database|LLM cost/.test(line)).join('\n');
    expect(judged(queued.stdout)).toBe(judged(local.stdout));
    expect(queued.stdout).toMatch(/^ {4}Walk-forward: [78] window\(s\)/m);
    expect(queued.stdout).toMatch(/^Trials: 6 variant\(s\) tried/m);
    expect(queued.stderr).toContain('queue: jobs go to 127.0.0.1');
    expect(worker!.log()).toMatch(/started \(lab_sma_q: \d+ parameter set\(s\)/);
    expect(worker!.log()).toMatch(/started \(lab_sma_q: backtest 20/);
  }, 240_000);
});
