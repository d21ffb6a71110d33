/** Candle access the live pipeline needs beyond the candle repository: history before a time, cheap per-close writes. */
import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { CandleStore } from '../store/candles.ts';
import type { Candle, MarketKey } from '../types.ts';
import type { JournalDb } from './signals.ts';

/** The newest `count` stored candles opening before `beforeTs`, ascending. */
export async function candlesBefore(db: JournalDb, market: MarketKey, beforeTs: number, count: number): Promise<Candle[]> {
  if (count <= 0) return [];
  const rows = await db
    .selectFrom('candles')
    .select(['ts', 'open', 'high', 'low', 'close', 'volume'])
    .where('exchange', '=', market.exchange)
    .where('symbol', '=', market.symbol)
    .where('timeframe', '=', market.timeframe)
    .where('ts', '<', beforeTs)
    .orderBy('ts', 'desc')
    .limit(count)
    .execute();
  return rows.reverse();
}

/** Stored candles with from < ts < to, ascending. */
export async function candlesBetween(db: JournalDb, market: MarketKey, afterTs: number, beforeTs: number): Promise<Candle[]> {
  return db
    .selectFrom('candles')
    .select(['ts', 'open', 'high', 'low', 'close', 'volume'])
    .where('exchange', '=', market.exchange)
    .where('symbol', '=', market.symbol)
    .where('timeframe', '=', market.timeframe)
    .where('ts', '>', afterTs)
    .where('ts', '<', beforeTs)
    .orderBy('ts', 'asc')
    .execute();
}

const upserts = new WeakMap<SQLite.Database, SQLite.Statement>();

/**
 * Stores closed candles of one market in one transaction. The live path writes one candle per close; the bulk
 * repository's upsert counts the market's rows to report inserts, which costs O(history) per call, too much there.
 */
export async function storeCandles(store: CandleStore, market: MarketKey, candles: readonly Candle[]): Promise<void> {
  if (store.sqlite) return storeSqlite(store.sqlite, market, candles);
  if (candles.length === 0) return;
  const rows = candles.map((c) => ({ ...market, ts: c.ts, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));
  await store.db.insertInto('candles').values(rows)
    .onConflict((oc) => oc.columns(['exchange', 'symbol', 'timeframe', 'ts']).doUpdateSet({
      open: sql`excluded.open`, high: sql`excluded.high`, low: sql`excluded.low`, close: sql`excluded.close`, volume: sql`excluded.volume`,
    }))
    .execute();
}

function storeSqlite(sqlite: SQLite.Database, market: MarketKey, candles: readonly Candle[]): void {
  let statement = upserts.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare(
      `INSERT INTO candles (exchange, symbol, timeframe, ts, open, high, low, close, volume) VALUES (?,?,?,?,?,?,?,?,?)
       ON CONFLICT (exchange, symbol, timeframe, ts) DO UPDATE SET
         open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume`,
    );
    upserts.set(sqlite, statement);
  }
  const run = statement;
  sqlite.transaction(() => {
    for (const c of candles) run.run(market.exchange, market.symbol, market.timeframe, c.ts, c.open, c.high, c.low, c.close, c.volume);
  })();
}
