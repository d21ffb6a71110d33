/** The watchlist for the bot. Adding a market can be checked against the exchange (symbol exists) before it is stored. */
import type { MarketKey } from '../types.ts';
import { addWatched, lastCandleTs, listWatched, removeWatched } from '../journal/watchlist.ts';
import type { JournalDb } from '../journal/signals.ts';
import type { EngineServices, WatchEntry } from './types.ts';

export interface WatchlistServiceOptions {
  db: JournalDb;
  now: () => number;
  /** Returns a reason when the market cannot be watched (unknown symbol, exchange not configured). */
  validate?: (market: MarketKey) => Promise<string | undefined>;
  /** The live pipeline starts or stops the market's feed. */
  onChange?: () => void;
}

export function createWatchlistService(options: WatchlistServiceOptions): EngineServices['watchlist'] {
  const { db } = options;
  const label = (m: MarketKey) => `${m.symbol} ${m.timeframe} on ${m.exchange}`;
  return {
    async add(market) {
      const problem = await options.validate?.(market);
      if (problem) return { added: false, message: `cannot watch ${label(market)}: ${problem}` };
      const added = await addWatched(db, market, options.now());
      if (added) options.onChange?.();
      return { added, message: added ? `watching ${label(market)}` : `${label(market)} is already on the watchlist` };
    },
    async remove(market) {
      const removed = await removeWatched(db, market);
      if (removed) options.onChange?.();
      return removed;
    },
    list: () => listEntries(db),
  };
}

export async function listEntries(db: JournalDb): Promise<WatchEntry[]> {
  const watched = await listWatched(db);
  return Promise.all(watched.map(async (w) => ({ ...w, lastCandleTs: await lastCandleTs(db, w) })));
}
