/** The watched markets. The live pipeline runs one detector per entry. */
import type { AccountType, MarketKey, Timeframe } from '../types.ts';
import type { JournalDb } from './signals.ts';

export interface WatchedMarket extends MarketKey {
  addedAt: number;
  /** The market's account type; undefined = the configured default (exchange.account). */
  account?: AccountType;
}

/** False when the market was already watched. */
export async function addWatched(db: JournalDb, market: MarketKey, now: number, account?: AccountType): Promise<boolean> {
  const result = await db
    .insertInto('watchlist')
    .values({ exchange: market.exchange, symbol: market.symbol, timeframe: market.timeframe, added_at: now, account: account ?? null })
    .onConflict((oc) => oc.columns(['exchange', 'symbol', 'timeframe']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function removeWatched(db: JournalDb, market: MarketKey): Promise<boolean> {
  const result = await db
    .deleteFrom('watchlist')
    .where('exchange', '=', market.exchange)
    .where('symbol', '=', market.symbol)
    .where('timeframe', '=', market.timeframe)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listWatched(db: JournalDb): Promise<WatchedMarket[]> {
  const rows = await db.selectFrom('watchlist').selectAll().orderBy('added_at').orderBy('symbol').orderBy('timeframe').execute();
  return rows.map((r) => ({
    exchange: r.exchange, symbol: r.symbol, timeframe: r.timeframe as Timeframe, addedAt: r.added_at,
    ...(r.account === 'spot' || r.account === 'perp' ? { account: r.account } : {}),
  }));
}

/** Sets (or with undefined clears back to the default) the account type of a watched market; false when not watched. */
export async function setWatchedAccount(db: JournalDb, market: MarketKey, account: AccountType | undefined): Promise<boolean> {
  const result = await db
    .updateTable('watchlist')
    .set({ account: account ?? null })
    .where('exchange', '=', market.exchange)
    .where('symbol', '=', market.symbol)
    .where('timeframe', '=', market.timeframe)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Open time of the newest stored candle of each market (undefined when none). */
export async function lastCandleTs(db: JournalDb, market: MarketKey): Promise<number | undefined> {
  const row = await db
    .selectFrom('candles')
    .select((eb) => eb.fn.max<number>('ts').as('ts'))
    .where('exchange', '=', market.exchange)
    .where('symbol', '=', market.symbol)
    .where('timeframe', '=', market.timeframe)
    .executeTakeFirst();
  return row?.ts ?? undefined;
}
