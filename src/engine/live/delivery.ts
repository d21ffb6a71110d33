/**
 * Drains the outbox in order through the bot's `deliver` (sendSignal). A failed delivery is retried with
 * exponential backoff (a 429 waits exactly as long as Telegram's retry_after says) and holds back the items behind
 * it, so the trader never sees signals out of order. A chat that refuses the message for good (400/403) marks the
 * item failed with its error, never silently dropped. Success is recorded with its message id in one transaction.
 */
import type { Signal } from '../types.ts';
import { RateLimitError } from '../errors.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { headOfQueue, markFailed, markRetry, markSent, type OutboxItem } from '../journal/outbox.ts';
import type { JournalDb } from '../journal/signals.ts';
import { LiveEvents } from './events.ts';

export type Deliver = (signal: Signal, chatId: number) => Promise<{ messageId: number }>;

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export interface DeliveryOptions {
  db: JournalDb;
  deliver: Deliver;
  now?: () => number;
  events?: LiveEvents;
  backoff?: Partial<BackoffPolicy>;
  /** Waits `ms` or until aborted (a new item arrived, or stop). Injected by tests to run on a fake clock. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

export class DeliveryWorker {
  private readonly now: () => number;
  private readonly events: LiveEvents;
  private readonly backoff: BackoffPolicy;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private wake = new AbortController();
  private stopped = false;
  private loop?: Promise<void>;

  constructor(private readonly options: DeliveryOptions) {
    this.now = options.now ?? Date.now;
    this.events = options.events ?? new LiveEvents();
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.sleep = options.sleep ?? abortableDelay;
  }

  /** Runs until stop(): pending items from before a restart go first, in their original order. */
  start(): void {
    if (this.loop) return;
    this.stopped = false;
    this.loop = this.run(false).finally(() => (this.loop = undefined));
  }

  /** New items are waiting: cut any idle wait short. */
  kick(): void {
    this.wake.abort();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.loop;
  }

  /** Delivers until the outbox holds nothing pending (waiting out backoffs and quiet hours on the injected clock). */
  async drain(): Promise<void> {
    if (this.loop) throw new Error('drain() while the worker is running; use stop() first');
    this.stopped = false;
    await this.run(true);
  }

  private async run(untilEmpty: boolean): Promise<void> {
    while (!this.stopped) {
      // Re-armed BEFORE reading the queue: a kick after the read still ends the wait below.
      if (this.wake.signal.aborted) this.wake = new AbortController();
      const wake = this.wake.signal;
      const head = await headOfQueue(this.options.db);
      if (!head && untilEmpty) return;
      const wait = head ? head.nextAttemptAt - this.now() : Infinity;
      if (wait > 0) {
        // Idle: a day is "forever" here; kick() ends the wait as soon as something is queued.
        await this.sleep(Math.min(wait, 86_400_000), wake).catch(() => undefined);
        continue;
      }
      await this.attempt(head!);
    }
  }

  private async attempt(item: OutboxItem): Promise<void> {
    const { db } = this.options;
    const attempts = item.attempts + 1;
    try {
      const { messageId } = await this.options.deliver(item.signal, item.chatId);
      const at = this.now();
      await markSent(db, item, messageId, at);
      const latencyMs = at - (item.signal.ts + timeframeMs(item.signal.timeframe));
      this.events.emit({ type: 'delivered', signalId: item.signalId, chatId: item.chatId, messageId, attempts, latencyMs });
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      if (isPermanent(error)) {
        await markFailed(db, item, message);
        this.events.emit({ type: 'delivery-failed', signalId: item.signalId, chatId: item.chatId, error: message, attempts, final: true });
        return;
      }
      const retryAt = this.now() + (retryAfterMs(error) ?? Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (attempts - 1)));
      await markRetry(db, item, message, retryAt);
      this.events.emit({ type: 'delivery-failed', signalId: item.signalId, chatId: item.chatId, error: message, attempts, final: false, retryAt });
    }
  }
}

/** grammY's GrammyError carries Telegram's error_code and parameters.retry_after; ITA's RateLimitError its own. */
function retryAfterMs(error: unknown): number | undefined {
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const seconds = (error as { parameters?: { retry_after?: unknown } })?.parameters?.retry_after;
  return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : undefined;
}

/** 400 (bad request) and 403 (bot blocked / kicked) will fail the same way again; everything else may pass later. */
function isPermanent(error: unknown): boolean {
  const code = (error as { error_code?: unknown })?.error_code;
  return code === 400 || code === 403;
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
