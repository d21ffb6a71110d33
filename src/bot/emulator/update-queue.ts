/**
 * The getUpdates side of the Bot API: a queue confirmed by offset and real long polling — a request is held until
 * an update arrives or its timeout ends, never answered by spinning.
 */
import type { ApiUpdate } from './api-types.ts';
import { conflict, type BotApiError } from './api-error.ts';

export interface PollRequest {
  offset?: number;
  limit?: number;
  timeoutSeconds?: number;
  allowedUpdates?: string[];
}

interface Waiter {
  limit: number;
  resolve: (updates: ApiUpdate[]) => void;
  reject: (error: BotApiError) => void;
  timer: NodeJS.Timeout;
}

// Telegram's default when allowed_updates was never set: every type except these.
const OFF_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export class UpdateQueue {
  private updates: ApiUpdate[] = [];
  private nextId = 1;
  private allowed: Set<string> | undefined;
  private waiter: Waiter | undefined;

  constructor(private readonly onWait: () => void = () => undefined) {}

  /** Set while a webhook is active: updates are handed to it instead of waiting for getUpdates. */
  onPush: (() => void) | undefined;

  push(update: Omit<ApiUpdate, 'update_id'>): ApiUpdate {
    const full = { update_id: this.nextId++, ...update } as ApiUpdate;
    this.updates.push(full);
    this.wake();
    this.onPush?.();
    return full;
  }

  /** The oldest undelivered update (webhook delivery), removed once `confirm` says it was accepted. */
  peek(): ApiUpdate | undefined {
    return this.select(1)[0];
  }

  drop(updateId: number): void {
    this.updates = this.updates.filter((u) => u.update_id !== updateId);
  }

  get pendingCount(): number {
    return this.updates.length;
  }

  get isPolling(): boolean {
    return this.waiter !== undefined;
  }

  clear(): void {
    this.updates = [];
  }

  poll(request: PollRequest, signal?: AbortSignal): Promise<ApiUpdate[]> {
    if (request.allowedUpdates) this.allowed = request.allowedUpdates.length ? new Set(request.allowedUpdates) : undefined;
    this.confirm(request.offset);
    const limit = Math.min(Math.max(request.limit ?? 100, 1), 100);
    const ready = this.select(limit);
    const timeoutSeconds = request.timeoutSeconds ?? 0;
    if (ready.length > 0 || timeoutSeconds <= 0) return Promise.resolve(ready);
    // Telegram lets only one getUpdates wait; a newer request terminates the older one.
    this.finish((waiter) => waiter.reject(conflict('terminated by other getUpdates request; make sure that only one bot instance is running')));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.finish((waiter) => waiter.resolve([])), timeoutSeconds * 1000);
      const waiter: Waiter = { limit, resolve, reject, timer };
      this.waiter = waiter;
      this.onWait();
      signal?.addEventListener('abort', () => {
        if (this.waiter === waiter) this.finish((w) => w.resolve([]));
      });
    });
  }

  /** Answers a waiting poll with nothing (used on shutdown so no request hangs). */
  releaseWaiter(): void {
    this.finish((waiter) => waiter.resolve([]));
  }

  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset < 0) {
      this.updates = this.updates.slice(offset);
      return;
    }
    this.updates = this.updates.filter((update) => update.update_id >= offset);
  }

  private select(limit: number): ApiUpdate[] {
    // Updates of types the bot did not ask for are never delivered; Telegram does not keep them either.
    this.updates = this.updates.filter((update) => this.isAllowed(update));
    return this.updates.slice(0, limit);
  }

  private isAllowed(update: ApiUpdate): boolean {
    const type = Object.keys(update).find((key) => key !== 'update_id') ?? '';
    return this.allowed ? this.allowed.has(type) : !OFF_BY_DEFAULT.has(type);
  }

  private wake(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    const ready = this.select(waiter.limit);
    if (ready.length > 0) this.finish((w) => w.resolve(ready));
  }

  private finish(settle: (waiter: Waiter) => void): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    settle(waiter);
  }
}
