/**
 * The job queue on PostgreSQL (pg-boss 10: the last line that runs on Node 20; no Redis to operate). The
 * coordinator (the bot or a CLI run) inserts self-contained jobs and polls for their outcome; `ita worker`
 * processes on any machine fetch them (see worker.ts). A job a worker took and did not finish within
 * `expireSeconds` (the worker was killed, its machine lost power) is failed by pg-boss's maintenance and retried,
 * up to `retryLimit` times, by whichever worker asks next. pg-boss manages its own schema; the candle inputs live in
 * one table of ours (`ita_queue_input`), stored once per content hash.
 */
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { ItaError } from '../errors.ts';
import { decodeValue, encodeValue, packSeries, unpackSeries, type SeriesInput } from './codec.ts';
import type { Task } from './tasks.ts';

export interface QueueSettings {
  url: string;
  batchSize: number;
  expireSeconds: number;
  retryLimit: number;
  maintenanceSeconds: number;
  pollSeconds: number;
  /** pg-boss's schema (default `pgboss`). */
  schema?: string;
  /** Candle inputs no run has used for this many days are deleted when a queue opens; 0 keeps them forever. */
  inputRetentionDays?: number;
}

/** A week: long enough for a rerun of last week's optimization to find its candles, short of filling the disk. */
export const DEFAULT_INPUT_RETENTION_DAYS = 7;

/** The one pg-boss queue every kind of ITA job goes through (the task's `kind` says what to run). */
export const WORK_QUEUE = 'ita-work';

/** A job that failed on every attempt, or was cancelled by someone else. */
export class JobFailedError extends ItaError {}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface JobRow {
  id: string;
  state: string;
  output: { body?: string; message?: string; value?: { message?: string } } | null;
  retry_count: number;
}

/** The coordinator's side of the queue (workers use `boss` and `series` through worker.ts). */
export class JobQueue {
  private readonly waiting = new Map<string, Waiter>();
  private readonly cache = new Map<string, Promise<SeriesInput>>();
  private readonly bySignal = new WeakMap<AbortSignal, Set<string>>();
  private readonly cancelling = new Set<Promise<void>>();
  private pollTimer: NodeJS.Timeout | undefined;
  private closed = false;
  readonly schema: string;
  /** Unused candle inputs deleted when this queue opened (see pruneInputs). */
  prunedInputs = 0;

  private constructor(
    readonly boss: PgBoss,
    readonly settings: QueueSettings,
  ) {
    this.schema = settings.schema ?? 'pgboss';
  }

  /** Connects, installs or migrates pg-boss's schema, creates the work queue and our input table when missing. */
  static async open(settings: QueueSettings, onError: (error: Error) => void = () => {}): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: settings.url,
      schema: settings.schema,
      application_name: 'ita-queue',
      max: 4,
      // Expiry of a lost job is found by maintenance; every process may run it (pg-boss lets one per interval do so).
      supervise: true,
      maintenanceIntervalSeconds: settings.maintenanceSeconds,
      schedule: false,
    });
    // pg-boss emits connection and maintenance errors as events: an unhandled 'error' event would end the process.
    boss.on('error', onError);
    try {
      await boss.start();
    } catch (cause) {
      throw new JobFailedError(`cannot start the job queue at ${describeUrl(settings.url)}: ${(cause as Error).message}`, { field: 'queue.url' }, { cause });
    }
    const queue = new JobQueue(boss, settings);
    await queue.ensureSchema();
    queue.prunedInputs = await queue.pruneInputs(settings.inputRetentionDays ?? DEFAULT_INPUT_RETENTION_DAYS);
    return queue;
  }

  private async ensureSchema(): Promise<void> {
    if (!(await this.boss.getQueue(WORK_QUEUE))) {
      try {
        await this.boss.createQueue(WORK_QUEUE);
      } catch (error) {
        // Another process created it between our look and our insert.
        if (!(await this.boss.getQueue(WORK_QUEUE))) throw error;
      }
    }
    await this.sql(`CREATE TABLE IF NOT EXISTS ita_queue_input (hash text PRIMARY KEY, body bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`).catch(async (error) => {
      // Two processes creating the table at once: one wins, the other sees a duplicate type; the table is there.
      if (!(await this.sql(`SELECT to_regclass('ita_queue_input') AS t`)).rows[0]?.t) throw error;
    });
    // Tables made before pruning existed lack the column; IF NOT EXISTS keeps concurrent openers harmless.
    await this.sql('ALTER TABLE ita_queue_input ADD COLUMN IF NOT EXISTS used_at timestamptz NOT NULL DEFAULT now()');
  }

  /**
   * Deletes candle inputs no run has stored or reused for `retentionDays` days, except those a job still waiting or
   * running names (a job's body holds its inputs' hashes as JSON strings). Without this the table only grows: every
   * distinct backtest input stays, and a 5M-candle series is some 100 MB. 0 days = never delete.
   */
  async pruneInputs(retentionDays: number): Promise<number> {
    if (!(retentionDays > 0)) return 0;
    const { rows } = await this.sql(
      `DELETE FROM ita_queue_input i WHERE i.used_at < now() - make_interval(secs => $1)
         AND NOT EXISTS (SELECT 1 FROM ${this.schema}.job j WHERE j.name = $2 AND j.state IN ('created', 'retry', 'active')
                           AND j.data->>'body' LIKE '%"' || i.hash || '"%')
       RETURNING i.hash`,
      [retentionDays * 86_400, WORK_QUEUE],
    );
    return rows.length;
  }

  private sql(text: string, values: unknown[] = []): Promise<{ rows: any[] }> {
    return this.boss.getDb().executeSql(text, values);
  }

  /** Stores the candles once (by content hash) and returns the hash jobs refer to. */
  async putSeries(series: SeriesInput): Promise<string> {
    const packed = packSeries(series);
    // Asked each time (not remembered by this process): the table may have been pruned or truncated since the last
    // run. A hit only marks the input used (it restarts its retention), so the body is sent once.
    const { rows } = await this.sql('UPDATE ita_queue_input SET used_at = now() WHERE hash = $1 RETURNING 1', [packed.hash]);
    if (rows.length === 0) {
      await this.sql('INSERT INTO ita_queue_input (hash, body) VALUES ($1, $2) ON CONFLICT (hash) DO UPDATE SET used_at = now()', [packed.hash, packed.body]);
    }
    return packed.hash;
  }

  /** The candles behind a hash; a worker keeps the last few in memory, so a run's jobs read them once. */
  series(hash: string): Promise<SeriesInput> {
    let found = this.cache.get(hash);
    if (!found) {
      found = this.sql('SELECT body FROM ita_queue_input WHERE hash = $1', [hash]).then(({ rows }) => {
        if (rows.length === 0) throw new JobFailedError(`queue input ${hash.slice(0, 12)}… is not in ita_queue_input (deleted while its job waited?)`, { value: hash });
        return unpackSeries(rows[0].body as Buffer);
      });
      found.catch(() => this.cache.delete(hash));
      this.cache.set(hash, found);
      if (this.cache.size > 16) this.cache.delete(this.cache.keys().next().value!);
    }
    return found;
  }

  /**
   * Inserts one job per task; each returned promise settles with that task's result (or its final failure). An
   * abort cancels the jobs still open, then rejects their promises with the abort reason.
   */
  async submit(tasks: Task[], signal?: AbortSignal): Promise<Promise<unknown>[]> {
    signal?.throwIfAborted();
    if (this.closed) throw new JobFailedError('the job queue is closed');
    const { expireSeconds, retryLimit } = this.settings;
    const jobs = tasks.map((task) => ({ id: randomUUID(), name: WORK_QUEUE, data: { kind: task.kind, body: encodeValue(task) }, retryLimit, retryDelay: 0, expireInSeconds: expireSeconds }));
    const promises = jobs.map((job) => new Promise<unknown>((resolve, reject) => this.waiting.set(job.id, { resolve, reject })));
    // The caller may stop listening after the first failure; the others must not surface as unhandled.
    for (const p of promises) p.catch(() => {});
    await this.boss.insert(jobs);
    if (signal) this.cancelOnAbort(signal, jobs.map((j) => j.id));
    this.schedulePoll();
    return promises;
  }

  /**
   * One abort listener per signal, however many submits share it (a walk-forward queues dozens of windows under
   * the run's one signal); finished ids are skipped by cancel().
   */
  private cancelOnAbort(signal: AbortSignal, ids: string[]): void {
    // Aborted while the jobs were being inserted: no 'abort' event will come for them.
    if (signal.aborted) return this.cancelTracked(ids, signal.reason);
    let ofSignal = this.bySignal.get(signal);
    if (!ofSignal) {
      const set = (ofSignal = new Set<string>());
      this.bySignal.set(signal, set);
      signal.addEventListener('abort', () => this.cancelTracked([...set], signal.reason), { once: true });
    }
    for (const id of ids) ofSignal.add(id);
  }

  /** close() waits for it: a CLI interrupted by Ctrl-C must not disconnect before pg-boss has the cancel. */
  private cancelTracked(ids: string[], reason: unknown): void {
    const done: Promise<void> = this.cancel(ids, reason).finally(() => this.cancelling.delete(done));
    this.cancelling.add(done);
  }

  /** Cancels the jobs still waiting or running, then rejects their promises. */
  async cancel(ids: string[], reason: unknown): Promise<void> {
    const open = ids.filter((id) => this.waiting.has(id));
    if (open.length === 0) return;
    await this.boss.cancel(WORK_QUEUE, open).catch(() => {});
    const error = reason instanceof Error ? reason : new JobFailedError(String(reason ?? 'cancelled'));
    for (const id of open) {
      this.waiting.get(id)?.reject(error);
      this.waiting.delete(id);
    }
  }

  /** Whether a worker should keep going: false once the job was cancelled (or handed to another worker). */
  async isActive(id: string): Promise<boolean> {
    const { rows } = await this.sql(`SELECT state FROM ${this.schema}.job WHERE name = $1 AND id = $2`, [WORK_QUEUE, id]);
    return rows[0]?.state === 'active';
  }

  /** This coordinator's unfinished jobs: waiting for a worker (new or to be retried) and taken by one. */
  async openJobs(): Promise<{ queued: number; active: number }> {
    const ids = [...this.waiting.keys()];
    if (ids.length === 0) return { queued: 0, active: 0 };
    const { rows } = await this.sql(`SELECT state, count(*)::int AS n FROM ${this.schema}.job WHERE name = $1 AND id = ANY($2::uuid[]) GROUP BY state`, [WORK_QUEUE, ids]);
    const count = (states: string[]) => (rows as { state: string; n: number }[]).filter((r) => states.includes(r.state)).reduce((sum, r) => sum + r.n, 0);
    return { queued: count(['created', 'retry']), active: count(['active']) };
  }

  /** Jobs waiting for a worker (new or to be retried) and jobs a worker is on. */
  async depth(): Promise<{ queued: number; active: number }> {
    const queued = await this.boss.getQueueSize(WORK_QUEUE);
    const unfinished = await this.boss.getQueueSize(WORK_QUEUE, { before: 'completed' });
    return { queued, active: unfinished - queued };
  }

  /** Attempts so far per job id (0 = first); for tests and diagnostics. */
  async retries(): Promise<Map<string, number>> {
    const { rows } = await this.sql(`SELECT id, retry_count FROM ${this.schema}.job WHERE name = $1`, [WORK_QUEUE]);
    return new Map(rows.map((r: JobRow) => [r.id, r.retry_count]));
  }

  private schedulePoll(): void {
    if (this.pollTimer || this.closed || this.waiting.size === 0) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.poll().catch(() => {}).finally(() => this.schedulePoll());
    }, this.settings.pollSeconds * 1000);
  }

  private async poll(): Promise<void> {
    const ids = [...this.waiting.keys()];
    if (ids.length === 0) return;
    const { rows } = await this.sql(
      `SELECT id, state, output, retry_count FROM ${this.schema}.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state IN ('completed', 'failed', 'cancelled')`,
      [WORK_QUEUE, ids],
    );
    for (const row of rows as JobRow[]) {
      const waiter = this.waiting.get(row.id);
      if (!waiter) continue;
      this.waiting.delete(row.id);
      if (row.state === 'completed' && typeof row.output?.body === 'string') waiter.resolve(decodeValue(row.output.body));
      else waiter.reject(new JobFailedError(failureText(row), { job: row.id, state: row.state, attempts: row.retry_count + 1 }));
    }
  }

  /** `graceful`: a worker finishes the job in hand (up to `timeoutMs`); one it cannot finish is failed, so it is retried. */
  async close(o: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await Promise.all(this.cancelling);
    this.closed = true;
    clearTimeout(this.pollTimer);
    for (const [id, waiter] of this.waiting) {
      waiter.reject(new JobFailedError('the job queue was closed before the job finished', { job: id }));
    }
    this.waiting.clear();
    await this.boss.stop({ graceful: o.graceful ?? false, wait: true, close: true, timeout: o.timeoutMs ?? 30_000 });
  }
}

function failureText(row: JobRow): string {
  if (row.state === 'cancelled') return `job ${row.id} was cancelled`;
  const message = row.output?.message ?? row.output?.value?.message ?? 'no error message';
  return `job ${row.id} failed after ${row.retry_count + 1} attempt(s): ${message}`;
}

/** host:port/database, never the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
