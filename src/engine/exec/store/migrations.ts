/**
 * The executor's own migration set (bookkeeping table `exec_migration`), run next to the engine's by
 * `openDatabase(file, { extraMigrations: { exec_migration: execMigrations } })` or by `migrateExecStore`.
 * Every table is keyed by `account` ("paper", "live:binance", ...) so paper and live books can share one file.
 * Never edit a migration once it has landed; add a new one.
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { ItaError } from '../../errors.ts';
import { m20261202_0300_paper_perp } from './migration-paper-perp.ts';

const m20261121_0001_exec: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await sql`
      CREATE TABLE exec_positions (
        account       TEXT    NOT NULL,
        id            TEXT    NOT NULL,
        symbol        TEXT    NOT NULL,
        side          TEXT    NOT NULL,
        status        TEXT    NOT NULL,
        requested     REAL    NOT NULL,
        filled        REAL    NOT NULL,
        remaining     REAL    NOT NULL,
        entry_price   REAL    NOT NULL,
        stop          REAL    NOT NULL,
        take_profits  TEXT    NOT NULL,
        realized_pnl  REAL    NOT NULL,
        fees          REAL    NOT NULL,
        leg_seq       INTEGER NOT NULL,
        opened_at     INTEGER NOT NULL,
        closed_at     INTEGER,
        close_reason  TEXT,
        PRIMARY KEY (account, id)
      )
    `.execute(db);
    await sql`
      CREATE TABLE exec_orders (
        account     TEXT    NOT NULL,
        id          TEXT    NOT NULL,
        venue_id    TEXT,
        position_id TEXT    NOT NULL,
        symbol      TEXT    NOT NULL,
        side        TEXT    NOT NULL,
        role        TEXT    NOT NULL,
        type        TEXT    NOT NULL,
        amount      REAL    NOT NULL,
        price       REAL,
        stop_price  REAL,
        filled      REAL    NOT NULL,
        cost        REAL    NOT NULL,
        fee_base    REAL    NOT NULL,
        fee_quote   REAL    NOT NULL,
        status      TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (account, id)
      )
    `.execute(db);
    await sql`CREATE INDEX exec_orders_by_status ON exec_orders (account, status)`.execute(db);
    await sql`
      CREATE TABLE exec_fills (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        account     TEXT    NOT NULL,
        order_id    TEXT    NOT NULL,
        position_id TEXT    NOT NULL,
        symbol      TEXT    NOT NULL,
        side        TEXT    NOT NULL,
        role        TEXT    NOT NULL,
        price       REAL    NOT NULL,
        amount      REAL    NOT NULL,
        fee         REAL    NOT NULL,
        ts          INTEGER NOT NULL
      )
    `.execute(db);
    // The paper venue's side of the books: what a simulated exchange would hold.
    await sql`
      CREATE TABLE paper_orders (
        account         TEXT    NOT NULL,
        client_order_id TEXT    NOT NULL,
        venue_id        TEXT    NOT NULL,
        symbol          TEXT    NOT NULL,
        side            TEXT    NOT NULL,
        type            TEXT    NOT NULL,
        amount          REAL    NOT NULL,
        price           REAL,
        stop_price      REAL,
        filled          REAL    NOT NULL,
        cost            REAL    NOT NULL,
        fee             REAL    NOT NULL,
        status          TEXT    NOT NULL,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        PRIMARY KEY (account, client_order_id)
      )
    `.execute(db);
    await sql`
      CREATE TABLE paper_balances (
        account TEXT NOT NULL,
        asset   TEXT NOT NULL,
        free    REAL NOT NULL,
        used    REAL NOT NULL,
        PRIMARY KEY (account, asset)
      )
    `.execute(db);
    await sql`
      CREATE TABLE paper_prices (
        account TEXT    NOT NULL,
        symbol  TEXT    NOT NULL,
        price   REAL    NOT NULL,
        ts      INTEGER NOT NULL,
        PRIMARY KEY (account, symbol)
      )
    `.execute(db);
  },
};

export const execMigrations: Record<string, Migration> = {
  '20261121_0001_exec': m20261121_0001_exec,
  '20261202_0300_paper_perp': m20261202_0300_paper_perp,
};

export const EXEC_MIGRATION_TABLE = 'exec_migration';

/** Brings the executor's tables up to date on an already opened database. */
export async function migrateExecStore(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => execMigrations },
    migrationTableName: EXEC_MIGRATION_TABLE,
    migrationLockTableName: `${EXEC_MIGRATION_TABLE}_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new ItaError(`executor migration ${failed ?? '(unknown)'} failed: ${(error as Error).message}`, {}, { cause: error });
  }
}
