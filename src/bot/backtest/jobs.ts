/**
 * Running backtests, one per chat, each cancellable through its AbortController. The run happens outside the
 * update that started it (the chat stays responsive, so the Cancel press can arrive while it runs).
 */
import type { OptimizedParameters } from '../services.ts';

export interface BacktestJob {
  id: string;
  chatId: number;
  signal: AbortSignal;
}

/** How long an optimizer's "apply these parameters" button stays valid (in memory: a restart also ends it). */
const OFFER_TTL_MS = 24 * 3_600_000;

export class BacktestJobs {
  private readonly running = new Map<string, { chatId: number; controller: AbortController }>();
  private readonly offers = new Map<string, { chatId: number; at: number; optimized: OptimizedParameters }>();
  private sequence = 0;

  /** Keeps an optimizer result for its "apply" button; the id goes into the button's callback data. */
  offer(chatId: number, optimized: OptimizedParameters, now = Date.now()): string {
    for (const [id, o] of this.offers) if (now - o.at > OFFER_TTL_MS) this.offers.delete(id);
    const id = `${now.toString(36)}${(this.sequence++).toString(36)}`;
    this.offers.set(id, { chatId, at: now, optimized });
    return id;
  }

  /** The offer behind a button, once, and only for the chat it was made in. */
  takeOffer(id: string, chatId: number, now = Date.now()): OptimizedParameters | undefined {
    const o = this.offers.get(id);
    if (!o || o.chatId !== chatId) return undefined;
    this.offers.delete(id);
    return now - o.at > OFFER_TTL_MS ? undefined : o.optimized;
  }

  begin(chatId: number): BacktestJob | undefined {
    if ([...this.running.values()].some((job) => job.chatId === chatId)) return undefined;
    const id = `${Date.now().toString(36)}${(this.sequence++).toString(36)}`;
    const controller = new AbortController();
    this.running.set(id, { chatId, controller });
    return { id, chatId, signal: controller.signal };
  }

  /** Only the chat that started a job may cancel it. */
  cancel(id: string, chatId: number): boolean {
    const job = this.running.get(id);
    if (!job || job.chatId !== chatId) return false;
    job.controller.abort(new Error('cancelled by the user'));
    return true;
  }

  end(id: string): void {
    this.running.delete(id);
  }

  cancelAll(): void {
    for (const job of this.running.values()) job.controller.abort(new Error('bot stopping'));
  }
}
