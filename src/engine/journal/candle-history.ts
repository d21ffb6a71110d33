/** Candle access the live pipeline needs beyond the candle repository: history before a time, cheap per-close writes. */
import type SQLite from 'better-sqlite3';
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
export function storeCandles(sqlite: SQLite.Database, market: MarketKey, candles: readonly Candle[]): void {
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
