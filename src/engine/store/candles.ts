/**
 * Candle repository. Reads go through Kysely (`db`). On SQLite the bulk upsert takes the raw better-sqlite3
 * connection (`OpenedDatabase.sqlite`) because a million rows through Kysely's async path costs minutes, while
 * prepared multi-row statements inside one transaction take seconds; on PostgreSQL it is one INSERT … SELECT FROM
 * unnest(arrays) … ON CONFLICT per 50,000 candles, in one transaction, each statement counting its own inserts.
 */
import type SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Candle, MarketKey } from '../types.ts';
import type { Database } from './schema.ts';
import { dialectOf } from './dialect.ts';
import { InputError } from '../errors.ts';

/** Where candles are written: Kysely always, and the raw SQLite connection when there is one (the fast path). */
export interface CandleStore {
  db: Kysely<Database>;
  sqlite?: SQLite.Database;
}

/** Rows per INSERT: 9 parameters each stays far below SQLite's 32766-variable limit. */
const CHUNK_ROWS = 500;
const COLUMNS = 9;

export interface UpsertResult {
  inserted: number;
  /** Rows that existed with different values and were overwritten. */
  updated: number;
  /** Rows that existed with identical values. */
  unchanged: number;
}

const statementCache = new WeakMap<SQLite.Database, Map<number, SQLite.Statement>>();

function upsertStatement(sqlite: SQLite.Database, rows: number): SQLite.Statement {
  let byRows = statementCache.get(sqlite);
  if (!byRows) statementCache.set(sqlite, (byRows = new Map()));
  let statement = byRows.get(rows);
  if (!statement) {
    const values = Array.from({ length: rows }, () => '(?,?,?,?,?,?,?,?,?)').join(',');
    // The WHERE clause makes identical re-imports no-ops, so changes() counts only real inserts and updates.
    statement = sqlite.prepare(
      `INSERT INTO candles (exchange, symbol, timeframe, ts, open, high, low, close, volume) VALUES ${values}
       ON CONFLICT (exchange, symbol, timeframe, ts) DO UPDATE SET
         open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
       WHERE candles.open <> excluded.open OR candles.high <> excluded.high OR candles.low <> excluded.low
          OR candles.close <> excluded.close OR candles.volume <> excluded.volume`,
    );
    byRows.set(rows, statement);
  }
  return statement;
}

function countRows(sqlite: SQLite.Database, market: MarketKey): number {
  const row = sqlite
    .prepare('SELECT count(*) AS n FROM candles WHERE exchange = ? AND symbol = ? AND timeframe = ?')
    .get(market.exchange, market.symbol, market.timeframe) as { n: number };
  return row.n;
}

/**
 * Inserts or updates candles of one market, all or nothing (one transaction): importing the same data twice
 * leaves one copy; a candle whose values changed is overwritten. Candles must be unique by ts.
 */
export async function upsertCandles(store: CandleStore, market: MarketKey, candles: readonly Candle[]): Promise<UpsertResult> {
  return store.sqlite ? upsertSqlite(store.sqlite, market, candles) : upsertPortable(store.db, market, candles);
}

function upsertSqlite(sqlite: SQLite.Database, market: MarketKey, candles: readonly Candle[]): UpsertResult {
  const run = sqlite.transaction((): UpsertResult => {
    const before = countRows(sqlite, market);
    let changes = 0;
    const params: unknown[] = new Array(CHUNK_ROWS * COLUMNS);
    for (let start = 0; start < candles.length; start += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, candles.length - start);
      const args = rows === CHUNK_ROWS ? params : new Array(rows * COLUMNS);
      for (let r = 0; r < rows; r++) {
        const c = candles[start + r];
        const o = r * COLUMNS;
        args[o] = market.exchange;
        args[o + 1] = market.symbol;
        args[o + 2] = market.timeframe;
        args[o + 3] = c.ts;
        args[o + 4] = c.open;
        args[o + 5] = c.high;
        args[o + 6] = c.low;
        args[o + 7] = c.close;
        args[o + 8] = c.volume;
      }
      changes += upsertStatement(sqlite, rows).run(args).changes;
    }
    const inserted = countRows(sqlite, market) - before;
    const updated = changes - inserted;
    return { inserted, updated, unchanged: candles.length - inserted - updated };
  });
  return run.immediate();
}

/**
 * On PostgreSQL a batch is one statement over six array parameters (`unnest`): a multi-row VALUES list costs a
 * parameter per cell and a round trip per 500 rows, which made 100k candles take ~7 s. The arrays travel as text
 * in JavaScript's shortest round-trip number form, which float8 parses back to the same double.
 */
const PG_BATCH_ROWS = 50_000;

async function upsertPortable(db: Kysely<Database>, market: MarketKey, candles: readonly Candle[]): Promise<UpsertResult> {
  if (dialectOf(db) === 'postgres') return upsertPostgres(db, market, candles);
  return db.transaction().execute(async (trx) => {
    const before = await countPortable(trx, market);
    let changes = 0;
    for (let start = 0; start < candles.length; start += CHUNK_ROWS) changes += await upsertValues(trx, market, candles.slice(start, start + CHUNK_ROWS));
    const inserted = (await countPortable(trx, market)) - before;
    const updated = changes - inserted;
    return { inserted, updated, unchanged: candles.length - inserted - updated };
  });
}

/** Each statement counts its own inserts: no count(*) over a market of millions around a small append. */
async function upsertPostgres(db: Kysely<Database>, market: MarketKey, candles: readonly Candle[]): Promise<UpsertResult> {
  return db.transaction().execute(async (trx) => {
    let inserted = 0;
    let updated = 0;
    for (let start = 0; start < candles.length; start += PG_BATCH_ROWS) {
      const counts = await upsertUnnest(trx, market, candles.slice(start, start + PG_BATCH_ROWS));
      inserted += counts.inserted;
      updated += counts.updated;
    }
    return { inserted, updated, unchanged: candles.length - inserted - updated };
  });
}

/** Kysely's multi-row INSERT … ON CONFLICT (SQLite without its raw connection). */
async function upsertValues(trx: Kysely<Database>, market: MarketKey, batch: readonly Candle[]): Promise<number> {
  const rows = batch.map((c) => ({ ...market, ts: c.ts, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));
  const result = await trx.insertInto('candles').values(rows)
    .onConflict((oc) => oc.columns(['exchange', 'symbol', 'timeframe', 'ts']).doUpdateSet(excludedPrices)
      // As on SQLite: identical re-imports are no-ops, so the affected-row count is inserts plus real updates.
      .where((eb) => eb.or(PRICE_COLUMNS.map((c) => eb(`candles.${c}`, '<>', eb.ref(`excluded.${c}`))))))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** The same upsert on PostgreSQL, the batch as one set of column arrays. */
async function upsertUnnest(trx: Kysely<Database>, market: MarketKey, batch: readonly Candle[]): Promise<{ inserted: number; updated: number }> {
  const n = batch.length;
  const ts = new Array<number>(n), open = new Array<number>(n), high = new Array<number>(n), low = new Array<number>(n), close = new Array<number>(n), volume = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const c = batch[i];
    ts[i] = c.ts;
    open[i] = c.open;
    high[i] = c.high;
    low[i] = c.low;
    close[i] = c.close;
    volume[i] = c.volume;
  }
  // A row written by this statement's insert has no deleting transaction yet (xmax = 0); an updated one has ours.
  const { rows } = await sql<{ inserted: number; written: number }>`
    WITH written AS (
      INSERT INTO candles (exchange, symbol, timeframe, ts, open, high, low, close, volume)
      SELECT ${market.exchange}, ${market.symbol}, ${market.timeframe}, u.*
        FROM unnest(${ts}::bigint[], ${open}::float8[], ${high}::float8[], ${low}::float8[], ${close}::float8[], ${volume}::float8[]) AS u
      ON CONFLICT (exchange, symbol, timeframe, ts) DO UPDATE SET
        open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
      WHERE candles.open <> excluded.open OR candles.high <> excluded.high OR candles.low <> excluded.low
         OR candles.close <> excluded.close OR candles.volume <> excluded.volume
      RETURNING (xmax = 0) AS fresh)
    SELECT count(*) FILTER (WHERE fresh) AS inserted, count(*) AS written FROM written`.execute(trx);
  const inserted = Number(rows[0].inserted);
  return { inserted, updated: Number(rows[0].written) - inserted };
}

const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

const excludedPrices = {
  open: sql<number>`excluded.open`, high: sql<number>`excluded.high`, low: sql<number>`excluded.low`,
  close: sql<number>`excluded.close`, volume: sql<number>`excluded.volume`,
};

async function countPortable(db: Kysely<Database>, market: MarketKey): Promise<number> {
  const row = await db.selectFrom('candles').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('exchange', '=', market.exchange).where('symbol', '=', market.symbol).where('timeframe', '=', market.timeframe)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface CandleRange {
  /** Inclusive lower bound on ts. */
  from?: number;
  /** Inclusive upper bound on ts. */
  to?: number;
  /** At most this many candles, the earliest first. */
  limit?: number;
}

function forMarket(db: Kysely<Database>, market: MarketKey) {
  return db
    .selectFrom('candles')
    .where('exchange', '=', market.exchange)
    .where('symbol', '=', market.symbol)
    .where('timeframe', '=', market.timeframe);
}

/** Candles of one market in ascending ts. */
export async function getCandles(db: Kysely<Database>, market: MarketKey, range: CandleRange = {}): Promise<Candle[]> {
  let query = forMarket(db, market).select(['ts', 'open', 'high', 'low', 'close', 'volume']).orderBy('ts', 'asc');
  if (range.from !== undefined) query = query.where('ts', '>=', range.from);
  if (range.to !== undefined) query = query.where('ts', '<=', range.to);
  if (range.limit !== undefined) query = query.limit(range.limit);
  return query.execute();
}

/** The newest `count` candles, returned in ascending ts (what indicators and charts want). */
export async function getLatestCandles(db: Kysely<Database>, market: MarketKey, count: number): Promise<Candle[]> {
  const rows = await forMarket(db, market)
    .select(['ts', 'open', 'high', 'low', 'close', 'volume'])
    .orderBy('ts', 'desc')
    .limit(count)
    .execute();
  return rows.reverse();
}

export interface StoredMarket {
  exchange: string;
  symbol: string;
  timeframe: string;
  count: number;
  firstTs: number;
  lastTs: number;
}

export async function listMarkets(db: Kysely<Database>): Promise<StoredMarket[]> {
  return db
    .selectFrom('candles')
    .select((eb) => [
      'exchange',
      'symbol',
      'timeframe',
      eb.fn.countAll<number>().as('count'),
      eb.fn.min<number>('ts').as('firstTs'),
      eb.fn.max<number>('ts').as('lastTs'),
    ])
    .groupBy(['exchange', 'symbol', 'timeframe'])
    .orderBy('exchange')
    .orderBy('symbol')
    .orderBy('timeframe')
    .execute();
}

/** Removes every candle of one market; returns how many were deleted. */
export async function deleteMarket(db: Kysely<Database>, market: MarketKey): Promise<number> {
  const result = await db
    .deleteFrom('candles')
    .where('exchange', '=', market.exchange)
    .where('symbol', '=', market.symbol)
    .where('timeframe', '=', market.timeframe)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
