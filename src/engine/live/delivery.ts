/**
 * Drains the outbox in order through the bot's `deliver` (sendSignal). A failed delivery is retried with
 * exponential backoff (a 429 waits exactly as long as Telegram's retry_after says) and holds back the items behind
 * it, so the trader never sees signals out of order. A chat that refuses the message for good (400/403) marks the
 * item failed with its error, never silently dropped. Success is recorded with its message id in one transaction.
 *
 * A burst (many markets signalling at one close) is announced at once: Telegram takes about one message per second
 * in a chat, so forty signal cards one by one would leave the last one forty seconds late, past the trader's 30 s.
 * With `digest` set, a burst of `atLeast` or more goes out as one digest message listing every signal best first
 * (each with a button that opens its card), followed by the cards of the best `cards` of them.
 */
import type { Signal } from '../types.ts';
import { RateLimitError } from '../errors.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { headOfQueue, markFailed, markRetry, markSent, markSentTogether, queuedWith, type OutboxItem } from '../journal/outbox.ts';
import { planBurst, type BurstPage } from './burst.ts';
import type { JournalDb } from '../journal/signals.ts';
import { LiveEvents } from './events.ts';

export type Deliver = (signal: Signal, chatId: number) => Promise<{ messageId: number }>;
/** Sends one digest message of a burst (the bot's sendDigest). */
export type DeliverDigest = (chatId: number, page: BurstPage) => Promise<{ messageId: number }>;

export interface DigestOptions {
  deliver: DeliverDigest;
  /** Bursts of at least this many signals for one chat are digested (default 4: more than Telegram lets through at once). */
  atLeast?: number;
  /** Signals of a burst that also get their card at once, best first (default 1). */
  cards?: number;
  /**
   * Waits until nothing new was queued for this long (default 150 ms; a second at most) before planning: timeframes
   * closing together are ticked side by side, and a signal queued just after a digest would wait a second behind it.
   */
  gatherMs?: number;
}

const MAX_GATHER_MS = 1_000;

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
  /** Bursts announced by one digest (see above); without it every signal is its own card. */
  digest?: DigestOptions;
}

export interface DroppedItem {
  signal: Signal;
  error: string;
  /** Given up because the signal expired before it could be delivered (not refused outright). */
  expired: boolean;
  /** It expired while ITA itself held it (quiet hours, a backed-up queue), not while the chat was unreachable. */
  held?: boolean;
}

const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };
/** Items queued this close together count as one burst; the next close of the shortest timeframe is a minute later. */
const BURST_WINDOW_MS = 30_000;

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
  /** Chats that refused a digest message outright (400): their bursts go out card by card. */
  private readonly digestRefused = new Set<number>();
  /** Kicks so far, and up to which one the queue has been seen settled: a digest waits for the close's other batches. */
  private kicks = 0;
  private settledKicks = 0;
  private gatherRounds = 0;
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
    this.kicks++;
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
      const wait = head ? head.nextAttemptAt - this.now() : Infinity;
      // Nothing due: what expired in the queue is told now, in one message per reachable chat.
      if (wait > 0) await this.tellReachable();
      if (!head && untilEmpty) return;
      if (wait > 0) {
        // Idle: a day is "forever" here; kick() ends the wait as soon as something is queued.
        await this.sleep(Math.min(wait, 86_400_000), wake).catch(() => undefined);
        continue;
      }
      if (!(await this.asBurst(head!, wake))) await this.attempt(head!);
    }
  }

  /**
   * With `digest` set, a fresh head first waits for its close's other batches, then announces its burst if it is
   * one. True when it did either (the caller reads the queue again), false when the head goes out on its own.
   */
  private async asBurst(head: OutboxItem, wake: AbortSignal): Promise<boolean> {
    const digest = this.options.digest;
    if (!digest || head.kind !== 'signal' || head.attempts > 0 || this.digestRefused.has(head.chatId) || head.signal.validUntil <= this.now()) return false;
    // Counted in kicks and waits, not read off the clock: a replay's or a test's clock need not move meanwhile.
    const gatherMs = digest.gatherMs ?? 150;
    if (this.kicks !== this.settledKicks && this.gatherRounds < MAX_GATHER_MS / gatherMs) {
      this.settledKicks = this.kicks;
      this.gatherRounds++;
      await this.sleep(gatherMs, wake).catch(() => undefined);
      return true;
    }
    this.gatherRounds = 0;
    // An expired item stays out of the digest; it is dropped and told when it heads the queue.
    const burst = (await queuedWith(this.options.db, head, BURST_WINDOW_MS, this.now())).filter((item) => item.signal.validUntil > this.now());
    if (burst.length < (digest.atLeast ?? 4)) return false;
    await this.announce(burst, digest);
    return true;
  }

  /**
   * The digest pages of a burst, then the best signals' cards. Each page marks the signals it lists sent in one
   * transaction, so a crash re-sends a page whole or not at all. A failed page is retried like a failed card: the
   * oldest item not announced yet takes the retry and holds the queue; the next round plans again from what is still
   * pending. The cards after the digest are a convenience (each line opens its card): a failed one is reported, not
   * retried.
   */
  private async announce(burst: OutboxItem[], digest: DigestOptions): Promise<void> {
    const { db } = this.options;
    const chatId = burst[0].chatId;
    const plan = planBurst(burst, digest.cards ?? 1);
    for (const [p, { page, items }] of plan.pages.entries()) {
      let messageId: number;
      try {
        ({ messageId } = await digest.deliver(chatId, page));
      } catch (error) {
        // A digest the chat refuses outright (400) must not cost the burst: its signals go out one by one.
        if (isPermanent(error) && !isChatUnreachable(error)) {
          this.digestRefused.add(chatId);
          return this.attempt(items[0]);
        }
        // The oldest item not announced yet heads the queue: its retry holds back the rest of the burst.
        const unsent = plan.pages.slice(p).flatMap((rest) => rest.items);
        return this.failed(unsent.reduce((a, b) => (b.id < a.id ? b : a)), error);
      }
      const at = this.now();
      await markSentTogether(db, items, messageId, at);
      for (const item of items) {
        this.events.emit({ type: 'delivered', signalId: item.signalId, chatId, messageId, attempts: 1, latencyMs: at - closeOf(item.signal), digest: true });
      }
      if (this.unreachable.delete(chatId)) this.recoveredAt.set(chatId, at);
    }
    await this.tellDropped(chatId);
    for (const signal of plan.cards) {
      try {
        await this.options.deliver(signal, chatId);
      } catch (error) {
        this.events.emit({ type: 'error', where: `card after the digest (${signal.symbol} ${signal.timeframe})`, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
  }

  private async attempt(item: OutboxItem): Promise<void> {
    const { db } = this.options;
    const attempts = item.attempts + 1;
    // Past its validity it is no advice any more, however it was held: by a chat that refused us, by quiet hours or
    // by a backed-up queue. Dropped and told, never sent as if it were current.
    const heldBack = item.attempts > 0 || this.unreachable.has(item.chatId) || (this.recoveredAt.get(item.chatId) ?? -Infinity) >= item.createdAt;
    if (item.signal.validUntil <= this.now()) {
      const message = heldBack ? (item.lastError ?? 'expired before the chat was reachable') : 'expired before it could be sent (quiet hours or a backed-up queue)';
      await markFailed(db, item, message);
      this.events.emit({ type: 'delivery-failed', signalId: item.signalId, chatId: item.chatId, error: message, attempts: item.attempts, final: true });
      this.remember(item, message, true, !heldBack);
      return;
    }
    try {
      const { messageId } = await this.options.deliver(item.signal, item.chatId);
      const at = this.now();
      await markSent(db, item, messageId, at);
      const latencyMs = at - closeOf(item.signal);
      this.events.emit({ type: 'delivered', signalId: item.signalId, chatId: item.chatId, messageId, attempts, latencyMs });
      // The chat takes messages again: now is the time to say what it missed.
      if (this.unreachable.delete(item.chatId)) this.recoveredAt.set(item.chatId, at);
      await this.tellDropped(item.chatId);
    } catch (error) {
      await this.failed(item, error);
    }
  }

  /** Records a failed delivery: dropped for good (and told), or retried with backoff (a 429: its retry_after). */
  private async failed(item: OutboxItem, error: unknown): Promise<void> {
    const { db } = this.options;
    const attempts = item.attempts + 1;
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

  private remember(item: OutboxItem, error: string, expired: boolean, held = false): void {
    const list = this.untold.get(item.chatId) ?? [];
    list.push({ signal: item.signal, error, expired, ...(held ? { held } : {}) });
    this.untold.set(item.chatId, list);
  }

  /** Chats that take messages and have drops not told yet (a blocked chat is told once it is back). */
  private async tellReachable(): Promise<void> {
    for (const chatId of [...this.untold.keys()]) if (!this.unreachable.has(chatId)) await this.tellDropped(chatId);
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

function closeOf(signal: Signal): number {
  return signal.ts + timeframeMs(signal.timeframe);
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
