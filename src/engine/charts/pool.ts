/**
 * Chart rendering off the main thread. A burst of signals (150 markets closing a candle together) used to render
 * one chart after another on the thread that also polls the exchanges and runs the detectors; a render costs
 * 65-155 ms, so the last signal of a burst waited for all the others. The pool renders on worker threads, several
 * at a time, while the main thread keeps delivering.
 *
 * - Same output: each thread runs the same entry points (renderSignalChart / renderEquityChart), so the PNG is
 *   byte-for-byte the in-thread one (a test holds them equal).
 * - A spec is validated here first, so a bad spec fails with the same InputError as in-thread rendering.
 * - A thread that crashes is replaced; the render it had fails with a clear error (and may be retried by the caller).
 * - A render that takes longer than `timeoutMs` fails with ChartRenderTimeoutError, and its thread is replaced
 *   (it may be stuck); the others carry on.
 * - close() rejects what is still queued and stops the threads; the threads never keep the process alive.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { tsWorkerSource } from '../ts-worker.ts';
import { InputError, ItaError, TemporaryError } from '../errors.ts';
import type { RenderedChart } from './signal-chart.ts';
import type { EquityChartSpec, SignalChartSpec } from './spec.ts';
import { validateEquityChartSpec, validateSignalChartSpec } from './validate.ts';
import type { RenderRequest, RenderResponse } from './pool-protocol.ts';
import type { SignalCardInput } from '../signals/chart-spec.ts';

const DEFAULT_ENTRY = new URL('./pool-thread.ts', import.meta.url);


/**
 * node-canvas must also be loaded on the main thread: when the last thread that loaded the addon exits, its shared
 * library is unloaded and the process dies with a segmentation fault (measured here: a render thread that used
 * canvas and then exited — terminate(), process.exit() in it, or the process exiting — took the process down with
 * exit code 139; with canvas loaded on the main thread too, all three exit cleanly).
 */
function keepCanvasLoaded(): void {
  createRequire(import.meta.url)('canvas');
}

/** The render did not finish in time (a stuck or starved thread); the chart can be asked for again. */
export class ChartRenderTimeoutError extends TemporaryError {}
/** The render thread died while rendering (it has been replaced). */
export class ChartWorkerCrashedError extends TemporaryError {}
/** The pool was closed (the service is stopping). */
export class ChartPoolClosedError extends ItaError {}

export interface ChartPoolOptions {
  /** Render threads (default: one per core, at least 2, at most 4). */
  size?: number;
  /** Longest a render may take, queueing excluded (default 20 s: a busy machine renders ~10x slower than idle). */
  timeoutMs?: number;
  /** The thread's module (tests substitute one that can crash); default pool-thread.ts. */
  entry?: URL;
}

interface Task {
  request: RenderRequest;
  resolve: (chart: RenderedChart) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task?: Task;
  timer?: NodeJS.Timeout;
  /** The thread has a request it has not answered yet (stays true after its task was failed by a timeout). */
  busy: boolean;
  /** Set once the thread is being stopped: called when it is idle (answered, exited or out of grace). */
  onRetiredIdle?: () => void;
}

const RETIRE_GRACE_MS = 30_000;

export class ChartRenderPool {
  readonly size: number;
  private readonly timeoutMs: number;
  private readonly entry: URL;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  /** Threads started to replace crashed or timed-out ones (for status and tests). */
  replacements = 0;

  constructor(options: ChartPoolOptions = {}) {
    keepCanvasLoaded();
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    this.size = Math.max(1, Math.floor(options.size ?? Math.min(4, Math.max(2, cores))));
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.entry = options.entry ?? DEFAULT_ENTRY;
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  async renderSignalChart(spec: SignalChartSpec): Promise<RenderedChart> {
    validateSignalChartSpec(spec);
    return this.submit({ id: this.nextId++, kind: 'signal', spec });
  }

  /**
   * A signal card from its signal, candles and setup: the spec is built on the render thread too (an invalid one
   * fails with the same InputError, from there).
   */
  async renderSignalCard(input: SignalCardInput): Promise<RenderedChart> {
    return this.submit({ id: this.nextId++, kind: 'signal-card', input });
  }

  async renderEquityChart(spec: EquityChartSpec): Promise<RenderedChart> {
    validateEquityChartSpec(spec);
    return this.submit({ id: this.nextId++, kind: 'equity', spec });
  }

  /** Renders waiting for a free thread. */
  get queued(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new ChartPoolClosedError('chart rendering stopped: the service is shutting down');
    for (const task of this.queue.splice(0)) task.reject(error);
    await Promise.all(
      this.slots.map((slot) => {
        this.finish(slot)?.reject(error);
        return this.retire(slot);
      }),
    );
  }

  private submit(request: RenderRequest): Promise<RenderedChart> {
    if (this.closed) return Promise.reject(new ChartPoolClosedError('chart rendering stopped: the pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.task) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.busy = true;
      slot.timer = setTimeout(() => this.timedOut(slot), this.timeoutMs);
      slot.worker.ref();
      slot.worker.postMessage(task.request);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(tsWorkerSource(this.entry), { eval: true });
    // Idle render threads must not hold a finishing CLI command or a stopping bot open (busy ones do).
    worker.unref();
    const slot: Slot = { worker, busy: false };
    worker.on('message', (response: RenderResponse) => {
      slot.busy = false;
      if (slot.onRetiredIdle) return slot.onRetiredIdle();
      const task = slot.task;
      if (!task || task.request.id !== response.id) return;
      this.finish(slot);
      if ('error' in response) task.reject(rebuildError(response.error, task.request));
      else task.resolve({ png: Buffer.from(response.png.buffer, response.png.byteOffset, response.png.byteLength), width: response.width, height: response.height, layout: response.layout });
      this.dispatch();
    });
    worker.on('error', (error) => {
      if (!slot.onRetiredIdle) this.replace(slot, new ChartWorkerCrashedError(`chart render thread crashed (${describe(slot.task)}): ${error.message}`, {}, { cause: error }));
    });
    worker.on('exit', (code) => {
      slot.busy = false;
      if (slot.onRetiredIdle) return slot.onRetiredIdle();
      this.replace(slot, new ChartWorkerCrashedError(`chart render thread exited with code ${code} (${describe(slot.task)})`));
    });
    return slot;
  }

  private timedOut(slot: Slot): void {
    const task = slot.task;
    if (!task) return;
    const error = new ChartRenderTimeoutError(`chart render timed out after ${this.timeoutMs} ms (${describe(task)}); the render thread was restarted`, {
      field: 'timeoutMs',
      value: this.timeoutMs,
    });
    this.replace(slot, error);
    void this.retire(slot);
  }

  /** Fails the slot's render (if any) and puts a fresh thread in its place. */
  private replace(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    this.finish(slot)?.reject(error);
    this.slots[index] = this.spawn();
    this.replacements++;
    this.dispatch();
  }

  /**
   * Stops a thread without cutting a render short: node-canvas aborts the whole process (a fatal N-API error) when
   * its thread is terminated while it still has PNG encoding in flight. So a busy thread is stopped when its render
   * answers, or after RETIRE_GRACE_MS if it never does (then it is stuck in JavaScript, where stopping is safe).
   */
  private retire(slot: Slot): Promise<void> {
    const stop = () => slot.worker.terminate().then(() => undefined, () => undefined);
    return new Promise<void>((resolve) => {
      const grace = setTimeout(() => slot.onRetiredIdle?.(), slot.busy ? RETIRE_GRACE_MS : 0);
      grace.unref();
      slot.onRetiredIdle = () => {
        slot.onRetiredIdle = () => undefined;
        clearTimeout(grace);
        void stop().then(resolve);
      };
      if (!slot.busy) slot.onRetiredIdle();
    });
  }

  private finish(slot: Slot): Task | undefined {
    const task = slot.task;
    clearTimeout(slot.timer);
    slot.worker.unref();
    slot.task = undefined;
    slot.timer = undefined;
    return task;
  }
}

function describe(task: Task | undefined): string {
  if (!task) return 'idle';
  const { request } = task;
  if (request.kind === 'signal') return `signal chart ${request.spec.title.symbol} ${request.spec.title.timeframe}`;
  if (request.kind === 'signal-card') return `signal chart ${request.input.signal.symbol} ${request.input.signal.timeframe}`;
  return `equity chart "${request.spec.title}"`;
}

function rebuildError(error: { name: string; message: string }, request: RenderRequest): Error {
  const described = `${error.message}`;
  if (error.name === 'InputError') return new InputError(described);
  const rebuilt = new ItaError(`${request.kind} chart render failed: ${described}`);
  rebuilt.name = error.name;
  return rebuilt;
}

let shared: ChartRenderPool | undefined;

/** The process's chart pool, started on first use (the bot's chart service and reports share it). */
export function sharedChartPool(): ChartRenderPool {
  shared ??= new ChartRenderPool();
  return shared;
}

/** Stops the shared pool (graceful shutdown); a later sharedChartPool() starts a new one. */
export async function closeSharedChartPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
