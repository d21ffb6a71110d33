/** /status: mode, pause state, feed health per watched market, today's signal count and the delivery backlog. */
import { feedStatus } from '../market/quality.ts';
import type { MarketKey } from '../types.ts';
import { countPending } from '../journal/outbox.ts';
import { countSignalsSince, type JournalDb } from '../journal/signals.ts';
import type { SetupRegistry } from '../journal/setup-registry.ts';
import { listEntries } from './watchlist.ts';
import type { FeedStatus, StatusReport } from './types.ts';
import type { RegimeReading } from '../regime/types.ts';

/** What the running pipeline knows beyond the database. */
export interface LiveRuntime {
  paused(): boolean;
  /** A health word for a market when the pipeline has one ("backfilling", "error: ..."). */
  health?(market: MarketKey): string | undefined;
  /** The market's regime as of its last candle (the live pipeline's regime classifier). */
  regime?(market: MarketKey): RegimeReading | undefined;
}

export interface StatusServiceOptions {
  db: JournalDb;
  registry: SetupRegistry;
  /** A function when the mode can change while running (the executor's /mode live). */
  mode: 'paper' | 'live' | (() => 'paper' | 'live');
  startedAt: number;
  now: () => number;
  runtime?: LiveRuntime;
  /** Extra lines from other modules (LLM usage, risk state). */
  extra?: () => Promise<string[]>;
}

const DAY_MS = 86_400_000;

export function createStatusService(options: StatusServiceOptions): () => Promise<StatusReport> {
  const { db } = options;
  return async () => {
    const now = options.now();
    const feeds: FeedStatus[] = (await listEntries(db)).map((entry) => {
      const quality = feedStatus(entry.lastCandleTs, entry.timeframe, now);
      const special = options.runtime?.health?.(entry);
      const health = special ?? (entry.lastCandleTs === undefined ? 'no candles yet' : quality.stale ? `stale since ${hhmm(entry.lastCandleTs)} UTC` : 'ok');
      const regime = options.runtime?.regime?.(entry);
      return { ...entry, stale: quality.stale, health, ...(regime ? { regime } : {}) };
    });
    return {
      mode: typeof options.mode === 'function' ? options.mode() : options.mode,
      paused: options.runtime?.paused() ?? false,
      startedAt: options.startedAt,
      feeds,
      setupsEnabled: options.registry.enabled().length,
      // "Today" is the UTC day; the bot displays times in the user's zone.
      signalsToday: await countSignalsSince(db, now - (now % DAY_MS)),
      pendingDeliveries: await countPending(db),
      extra: (await options.extra?.()) ?? [],
    };
  };
}

function hhmm(ts: number): string {
  return new Date(ts).toISOString().slice(11, 16);
}
