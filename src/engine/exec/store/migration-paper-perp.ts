/**
 * The perpetual paper venue's tables: its orders (with the reduce-only flag and the margin a resting order locks) and
 * one net position per symbol (one-way mode). Its USDT wallet is a row of paper_balances (free = available,
 * used = margin of positions and open orders). Never edit once landed; add a new migration.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const m20261202_0300_paper_perp: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await sql`
      CREATE TABLE paper_perp_orders (
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
        reduce_only     INTEGER NOT NULL,
        locked          REAL    NOT NULL,
        PRIMARY KEY (account, client_order_id)
      )
    `.execute(db);
    await sql`
      CREATE TABLE paper_perp_positions (
        account     TEXT NOT NULL,
        symbol      TEXT NOT NULL,
        amount      REAL NOT NULL,
        entry_price REAL NOT NULL,
        margin      REAL NOT NULL,
        leverage    REAL NOT NULL,
        PRIMARY KEY (account, symbol)
      )
    `.execute(db);
  },
};
