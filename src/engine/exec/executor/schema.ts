/**
 * The executor's journal tables (migration set `executor_migration`, next to the broker's `exec_migration`):
 * every verdict, every managed position with its outcome in quote and R, equity marks, and a small key/value
 * table for the governor's PortfolioState, flags and replay progress. Epoch-ms integers, JSON text for lists.
 * Never edit a migration once it has landed; add a new one.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export interface VerdictTable {
  signal_id: string;
  setup_id: string;
  setup_version: string;
  symbol: string;
  timeframe: string;
  side: string;
  signal_ts: number;
  entry: number;
  stop: number;
  decided_by: string;
  decided_at: number;
  /** accepted | refused | failed (accepted by the governor, then the broker would not place it). */
  status: string;
  /** Governor rule id, or an executor gate: paused, exchange-unavailable, expired, broker. */
  rule: string | null;
  reason: string | null;
  units: number | null;
  risk_pct: number | null;
  risk_quote: number | null;
  effective_risk_pct: number | null;
  equity: number;
  day_pnl: number;
  adjustments: string;
  outcome: string;
  account: string;
}

export interface ManagedPositionTable {
  id: string;
  account: string;
  signal_id: string;
  setup_id: string;
  setup_version: string;
  symbol: string;
  timeframe: string;
  side: string;
  status: string;
  opened_at: number;
  entry_price: number;
  initial_stop: number;
  stop: number;
  size: number;
  risk_per_unit: number;
  take_profit_count: number;
  targets_taken: number;
  best: number;
  bars_held: number;
  atr: number;
  break_even_at_r: number;
  trail_atr: number;
  time_stop_bars: number;
  last_bar_ts: number;
  closed_at: number | null;
  pnl: number | null;
  r_multiple: number | null;
  fees: number | null;
  exit_price: number | null;
  close_reason: string | null;
}

export interface EquityMarkTable {
  ts: number;
  equity: number;
}

export interface ExecutorStateTable {
  key: string;
  value: string;
}

export interface ExecutorDatabase {
  executor_verdicts: VerdictTable;
  executor_positions: ManagedPositionTable;
  executor_equity: EquityMarkTable;
  executor_state: ExecutorStateTable;
}

const m20261121_0001_executor: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await sql`
      CREATE TABLE executor_verdicts (
        signal_id          TEXT    PRIMARY KEY,
        setup_id           TEXT    NOT NULL,
        setup_version      TEXT    NOT NULL,
        symbol             TEXT    NOT NULL,
        timeframe          TEXT    NOT NULL,
        side               TEXT    NOT NULL,
        signal_ts          INTEGER NOT NULL,
        entry              REAL    NOT NULL,
        stop               REAL    NOT NULL,
        decided_by         TEXT    NOT NULL,
        decided_at         INTEGER NOT NULL,
        status             TEXT    NOT NULL,
        rule               TEXT,
        reason             TEXT,
        units              REAL,
        risk_pct           REAL,
        risk_quote         REAL,
        effective_risk_pct REAL,
        equity             REAL    NOT NULL,
        day_pnl            REAL    NOT NULL,
        adjustments        TEXT    NOT NULL,
        outcome            TEXT    NOT NULL,
        account            TEXT    NOT NULL
      )
    `.execute(db);
    await sql`CREATE INDEX executor_verdicts_by_time ON executor_verdicts (decided_at)`.execute(db);
    await sql`
      CREATE TABLE executor_positions (
        id                TEXT    PRIMARY KEY,
        account           TEXT    NOT NULL,
        signal_id         TEXT    NOT NULL,
        setup_id          TEXT    NOT NULL,
        setup_version     TEXT    NOT NULL,
        symbol            TEXT    NOT NULL,
        timeframe         TEXT    NOT NULL,
        side              TEXT    NOT NULL,
        status            TEXT    NOT NULL,
        opened_at         INTEGER NOT NULL,
        entry_price       REAL    NOT NULL,
        initial_stop      REAL    NOT NULL,
        stop              REAL    NOT NULL,
        size              REAL    NOT NULL,
        risk_per_unit     REAL    NOT NULL,
        take_profit_count INTEGER NOT NULL,
        targets_taken     INTEGER NOT NULL,
        best              REAL    NOT NULL,
        bars_held         INTEGER NOT NULL,
        atr               REAL    NOT NULL,
        break_even_at_r   REAL    NOT NULL,
        trail_atr         REAL    NOT NULL,
        time_stop_bars    INTEGER NOT NULL,
        last_bar_ts       INTEGER NOT NULL,
        closed_at         INTEGER,
        pnl               REAL,
        r_multiple        REAL,
        fees              REAL,
        exit_price        REAL,
        close_reason      TEXT
      )
    `.execute(db);
    await sql`CREATE INDEX executor_positions_by_status ON executor_positions (status, closed_at)`.execute(db);
    await sql`CREATE TABLE executor_equity (ts INTEGER PRIMARY KEY, equity REAL NOT NULL)`.execute(db);
    await sql`CREATE TABLE executor_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)`.execute(db);
  },
};

export const executorMigrations: Record<string, Migration> = {
  '20261121_0001_executor': m20261121_0001_executor,
};

export const EXECUTOR_MIGRATION_TABLE = 'executor_migration';
