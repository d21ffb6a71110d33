/**
 * Candle repository. Reads go through Kysely (`db`). On SQLite the bulk upsert takes the raw better-sqlite3
 * connection (`OpenedDatabase.sqlite`) because a million rows through Kysely's async path costs minutes, while
 * prepared multi-row statements inside one transaction take seconds; on PostgreSQL it is one INSERT … SELECT FROM
 * unnest(arrays) … ON CONFLICT per 50,000 candles, in one transaction.
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
  const postgres = dialectOf(db) === 'postgres';
  const batchRows = postgres ? PG_BATCH_ROWS : CHUNK_ROWS;
  return db.transaction().execute(async (trx) => {
    const before = await countPortable(trx, market);
    let changes = 0;
    for (let start = 0; start < candles.length; start += batchRows) {
      const batch = candles.slice(start, start + batchRows);
      changes += postgres ? await upsertUnnest(trx, market, batch) : await upsertValues(trx, market, batch);
    }
    const inserted = (await countPortable(trx, market)) - before;
    const updated = changes - inserted;
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
async function upsertUnnest(trx: Kysely<Database>, market: MarketKey, batch: readonly Candle[]): Promise<number> {
  const result = await sql`
    INSERT INTO candles (exchange, symbol, timeframe, ts, open, high, low, close, volume)
    SELECT ${market.exchange}, ${market.symbol}, ${market.timeframe}, u.*
      FROM unnest(${arrayLiteral(batch, 'ts')}::bigint[], ${arrayLiteral(batch, 'open')}::float8[],
                  ${arrayLiteral(batch, 'high')}::float8[], ${arrayLiteral(batch, 'low')}::float8[],
                  ${arrayLiteral(batch, 'close')}::float8[], ${arrayLiteral(batch, 'volume')}::float8[]) AS u
    ON CONFLICT (exchange, symbol, timeframe, ts) DO UPDATE SET
      open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
    WHERE candles.open <> excluded.open OR candles.high <> excluded.high OR candles.low <> excluded.low
       OR candles.close <> excluded.close OR candles.volume <> excluded.volume`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * One column of a batch as a PostgreSQL array literal, `{1,2.5,NULL}`. pg would serialize a JS array itself, but
 * quoting and escaping every element cost ~250 ms per 100k values, more than the server's whole insert. A number
 * is written as String() writes it (the shortest form that reads back as the same double, or NaN / Infinity, which
 * float8 reads too); a missing value as NULL, so the NOT NULL constraint refuses it as it would a bound parameter.
 */
function arrayLiteral(batch: readonly Candle[], column: keyof Candle): string {
  const parts = new Array<string>(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const value: unknown = batch[i][column];
    if (typeof value === 'number') parts[i] = String(value);
    else if (value === null || value === undefined) parts[i] = 'NULL';
    else throw new InputError(`candle at ts ${String(batch[i].ts)}: ${column} is ${JSON.stringify(value)}, not a number`, { field: column, value });
  }
  return `{${parts.join(',')}}`;
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
