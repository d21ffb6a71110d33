/**
 * Backtest runs kept in SQLite, keyed by setup id + version, so the ranking can weigh a setup version by what it
 * did on history. Its own migration set (bookkeeping table `backtest_migration`):
 * `openDatabase(file, { extraMigrations: { backtest_migration: backtestMigrations } })`.
 */
import { sql, type Generated, type Kysely, type Migration } from 'kysely';
import type { SetupHistory } from '../../signals/scoring.ts';
import type { BacktestStatistics } from '../metrics.ts';

export interface BacktestRunTable {
  id: Generated<number>;
  setup_id: string;
  setup_version: string;
  exchange: string;
  symbol: string;
  timeframe: string;
  from_ts: number;
  to_ts: number;
  trades: number;
  wins: number;
  /** Mean R of the trades that had a stop (NaN stored as NULL). */
  avg_r: number | null;
  /** Trades with a defined R multiple (the weight of avg_r when runs are combined). */
  r_trades: number;
  return_pct: number | null;
  /** JSON of the summary lines and key statistics. */
  summary: string;
  created_at: number;
}

// A type alias (not an interface) so it satisfies Kysely's `Record<string, ...>` table-map constraint.
export type BacktestTables = {
  backtest_runs: BacktestRunTable;
};

export const backtestMigrations: Record<string, Migration> = {
  '20261121_0100_backtest_runs': {
    async up(db: Kysely<any>) {
      await sql`
        CREATE TABLE backtest_runs (
          id            INTEGER PRIMARY KEY AUTOINCREMENT,
          setup_id      TEXT    NOT NULL,
          setup_version TEXT    NOT NULL,
          exchange      TEXT    NOT NULL,
          symbol        TEXT    NOT NULL,
          timeframe     TEXT    NOT NULL,
          from_ts       INTEGER NOT NULL,
          to_ts         INTEGER NOT NULL,
          trades        INTEGER NOT NULL,
          wins          INTEGER NOT NULL,
          avg_r         REAL,
          r_trades      INTEGER NOT NULL,
          return_pct    REAL,
          summary       TEXT    NOT NULL,
          created_at    INTEGER NOT NULL
        )
      `.execute(db);
      await sql`CREATE INDEX backtest_runs_setup ON backtest_runs (setup_id, setup_version, created_at)`.execute(db);
    },
    async down(db: Kysely<any>) {
      await sql`DROP TABLE backtest_runs`.execute(db);
    },
  },
};

export interface StoredRun {
  setupId: string;
  setupVersion: string;
  exchange: string;
  symbol: string;
  timeframe: string;
  from: number;
  to: number;
  stats: BacktestStatistics;
  /** Trades whose R multiple is defined. */
  rTrades: number;
  summary: string[];
  createdAt: number;
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

export async function insertRun(db: Kysely<BacktestTables>, run: StoredRun): Promise<void> {
  const s = run.stats;
  await db
    .insertInto('backtest_runs')
    .values({
      setup_id: run.setupId,
      setup_version: run.setupVersion,
      exchange: run.exchange,
      symbol: run.symbol,
      timeframe: run.timeframe,
      from_ts: run.from,
      to_ts: run.to,
      trades: s.trades,
      wins: s.wins,
      avg_r: finite(s.avgR),
      r_trades: run.rTrades,
      return_pct: finite(s.returnPct),
      summary: JSON.stringify({ lines: run.summary, sharpe: finite(s.sharpe), maxDrawdownPct: finite(s.maxDrawdownPct), profitFactor: finite(s.profitFactor) }),
      created_at: run.createdAt,
    })
    .execute();
}

/**
 * History per setup version: the latest run of each market (re-running the same market replaces, it does not add
 * the same trades twice), combined trade-weighted across markets.
 */
export async function loadHistories(db: Kysely<BacktestTables>): Promise<Map<string, SetupHistory>> {
  const rows = await db.selectFrom('backtest_runs').selectAll().orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) latest.set([row.setup_id, row.setup_version, row.exchange, row.symbol, row.timeframe].join('\u0000'), row);
  const sums = new Map<string, { trades: number; wins: number; rSum: number; rTrades: number }>();
  for (const row of latest.values()) {
    const key = historyKey(row.setup_id, row.setup_version);
    const acc = sums.get(key) ?? { trades: 0, wins: 0, rSum: 0, rTrades: 0 };
    acc.trades += row.trades;
    acc.wins += row.wins;
    if (row.avg_r !== null) {
      acc.rSum += row.avg_r * row.r_trades;
      acc.rTrades += row.r_trades;
    }
    sums.set(key, acc);
  }
  const out = new Map<string, SetupHistory>();
  for (const [key, acc] of sums) {
    if (acc.trades === 0) continue;
    out.set(key, { trades: acc.trades, winRate: acc.wins / acc.trades, expectancyR: acc.rTrades > 0 ? acc.rSum / acc.rTrades : 0 });
  }
  return out;
}

export const historyKey = (setupId: string, version: string) => `${setupId}@${version}`;

export async function countRuns(db: Kysely<BacktestTables>): Promise<number> {
  const row = await db.selectFrom('backtest_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
