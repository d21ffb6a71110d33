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
  /** Tells the trader, once, what was dropped; called when the chat takes messages again. */
  notifyDropped?: (chatId: number, dropped: DroppedItem[]) => Promise<void>;
}

export interface DroppedItem {
  signal: Signal;
  error: string;
  /** Given up because the signal expired while the chat was unreachable (not refused outright). */
  expired: boolean;
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
  /** Dropped items per chat the trader has not been told about yet. */
  private readonly untold = new Map<number, DroppedItem[]>();
  /** Chats whose last delivery answered 403 (blocked): their queued signals may expire while waiting. */
  private readonly unreachable = new Set<number>();
  /** When each chat last became reachable again: items queued before that were held back by it. */
  private readonly recoveredAt = new Map<number, number>();

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
    // Held back by a chat that refused us: once it is past its validity it is no advice any more; drop and tell.
    const heldBack = item.attempts > 0 || this.unreachable.has(item.chatId) || (this.recoveredAt.get(item.chatId) ?? -Infinity) >= item.createdAt;
    if (heldBack && item.signal.validUntil <= this.now()) {
      const message = item.lastError ?? 'expired before the chat was reachable';
      await markFailed(db, item, message);
      this.events.emit({ type: 'delivery-failed', signalId: item.signalId, chatId: item.chatId, error: message, attempts: item.attempts, final: true });
      this.remember(item, message, true);
      return;
    }
    try {
      const { messageId } = await this.options.deliver(item.signal, item.chatId);
      const at = this.now();
      await markSent(db, item, messageId, at);
      const latencyMs = at - (item.signal.ts + timeframeMs(item.signal.timeframe));
      this.events.emit({ type: 'delivered', signalId: item.signalId, chatId: item.chatId, messageId, attempts, latencyMs });
      // The chat takes messages again: now is the time to say what it missed.
      if (this.unreachable.delete(item.chatId)) this.recoveredAt.set(item.chatId, at);
      await this.tellDropped(item.chatId);
    } catch (error) {
      const description = (error as { description?: unknown })?.description;
      const message = typeof description === 'string' ? description : ((error as Error).message ?? String(error));
      if (isChatUnreachable(error)) this.unreachable.add(item.chatId);
      const expired = !isPermanent(error) && isChatUnreachable(error) && item.signal.validUntil <= this.now();
      if (isPermanent(error) || expired) {
        await markFailed(db, item, message);
        this.events.emit({ type: 'delivery-failed', signalId: item.signalId, chatId: item.chatId, error: message, attempts, final: true });
        this.remember(item, message, expired);
        // A refused message (400) means the chat itself is reachable: tell at once. A blocked chat is told later.
        if (!expired) await this.tellDropped(item.chatId);
        return;
      }
      const retryAt = this.now() + (retryAfterMs(error) ?? Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (attempts - 1)));
      await markRetry(db, item, message, retryAt);
      this.events.emit({ type: 'delivery-failed', signalId: item.signalId, chatId: item.chatId, error: message, attempts, final: false, retryAt });
    }
  }

  private remember(item: OutboxItem, error: string, expired: boolean): void {
    const list = this.untold.get(item.chatId) ?? [];
    list.push({ signal: item.signal, error, expired });
    this.untold.set(item.chatId, list);
  }

  /** Tells the trader what was dropped; a failure keeps the list for the next successful delivery. */
  private async tellDropped(chatId: number): Promise<void> {
    const dropped = this.untold.get(chatId);
    if (!dropped?.length || !this.options.notifyDropped) return;
    try {
      await this.options.notifyDropped(chatId, dropped);
      this.untold.delete(chatId);
    } catch {
      // Still unreachable: the next successful delivery tries again.
    }
  }
}

/** grammY's GrammyError carries Telegram's error_code and parameters.retry_after; ITA's RateLimitError its own. */
function retryAfterMs(error: unknown): number | undefined {
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const seconds = (error as { parameters?: { retry_after?: unknown } })?.parameters?.retry_after;
  return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * 400 (bad request: too long, bad entities, chat not found) fails the same way again, and so does a deactivated
 * user. A blocked bot (403) may be unblocked in a minute: retried with backoff until the signal expires.
 * 429, 5xx and network errors are temporary.
 */
function isPermanent(error: unknown): boolean {
  const code = (error as { error_code?: unknown })?.error_code;
  const description = String((error as { description?: unknown })?.description ?? (error as Error)?.message ?? '');
  return code === 400 || (code === 403 && /deactivated/.test(description));
}

function isChatUnreachable(error: unknown): boolean {
  return (error as { error_code?: unknown })?.error_code === 403;
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
