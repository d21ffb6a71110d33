/** Typed events of the live pipeline, for /status, logs and the bot's notifier. */
import type { Candle, MarketKey, Signal } from '../types.ts';
import type { Regime } from '../regime/types.ts';

export type LiveEvent =
  | { type: 'candle'; market: MarketKey; candle: Candle; backfilled: boolean; /** The market's regime as of this candle's close (undefined while warming up). */ regime?: Regime }
  | { type: 'backfill'; market: MarketKey; missing: number; filled: number }
  | { type: 'signal'; signal: Signal; queued: boolean; /** Why it was not queued (below min score, expired, paused). */ held?: string }
  | { type: 'delivered'; signalId: string; chatId: number; messageId: number; attempts: number; /** Candle close → accepted by Telegram. */ latencyMs: number; /** Announced in a burst digest, not by its own card. */ digest?: boolean }
  | { type: 'delivery-failed'; signalId: string; chatId: number; error: string; attempts: number; /** True when it will not be retried. */ final: boolean; retryAt?: number }
  | { type: 'feed-stale'; market: MarketKey; lastTs?: number; expectedTs: number }
  | { type: 'error'; where: string; error: Error; market?: MarketKey };

export type LiveListener = (event: LiveEvent) => void;

export class LiveEvents {
  private readonly listeners = new Set<LiveListener>();

  on(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: LiveEvent): void {
    for (const listener of this.listeners) {
      // A failing subscriber (a log sink, the notifier) must not stop candle processing.
      try {
        listener(event);
      } catch {
        /* subscribers own their errors */
      }
    }
  }
}

export const marketKey = (m: MarketKey): string => `${m.exchange}:${m.symbol}:${m.timeframe}`;
