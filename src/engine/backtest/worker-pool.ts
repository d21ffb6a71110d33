/**
 * A fixed pool of worker threads evaluating parameter sets in parallel. Workers receive a module path and plain
 * parameters (functions cannot cross threads); under tsx they load .ts modules through `--import tsx`.
 */
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tsWorkerSource } from '../ts-worker.ts';

type Params = Record<string, number>;

const WORKER_ENTRY = new URL('./optimizer-worker.ts', import.meta.url).href;
const WORKER_BOOTSTRAP = tsWorkerSource(WORKER_ENTRY);

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class WorkerPool<R = unknown> {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; params: Params }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 1;
  private readonly moduleUrl: string;

  constructor(
    modulePath: string,
    private readonly exportName = 'evaluate',
    size = os.availableParallelism?.() ?? os.cpus().length,
  ) {
    this.moduleUrl = modulePath.startsWith('file:') ? modulePath : pathToFileURL(modulePath).href;
    for (let i = 0; i < Math.max(1, size); i++) {
      // Node 20 ignores `--import tsx` in a worker's execArgv, so the entry is a small script that registers tsx's
      // loader in the worker thread and then imports the .ts worker.
      const worker = new Worker(WORKER_BOOTSTRAP, { eval: true });
      worker.on('message', (msg: { id: number; result?: unknown; error?: string }) => this.done(worker, msg));
      worker.on('error', (error) => this.failWorker(worker, error));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  evaluate(params: Params): Promise<R> {
    const id = this.nextId++;
    const result = new Promise<R>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    this.queue.push({ id, params });
    this.pump();
    return result;
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, job.id);
      worker.postMessage({ id: job.id, modulePath: this.moduleUrl, exportName: this.exportName, params: job.params });
    }
  }

  private done(worker: Worker, msg: { id: number; result?: unknown; error?: string }): void {
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (p) {
      if (msg.error !== undefined) p.reject(new Error(msg.error));
      else p.resolve(msg.result);
    }
    this.pump();
  }

  private failWorker(worker: Worker, error: Error): void {
    const id = this.busy.get(worker);
    if (id !== undefined) this.pending.get(id)?.reject(error);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
