import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // WITHOUT ROWID: the primary key *is* the table, so range scans by market and time read one b-tree.
  await sql`
    CREATE TABLE candles (
      exchange  TEXT    NOT NULL,
      symbol    TEXT    NOT NULL,
      timeframe TEXT    NOT NULL,
      ts        INTEGER NOT NULL,
      open      REAL    NOT NULL,
      high      REAL    NOT NULL,
      low       REAL    NOT NULL,
      close     REAL    NOT NULL,
      volume    REAL    NOT NULL,
      PRIMARY KEY (exchange, symbol, timeframe, ts)
    ) WITHOUT ROWID
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('candles').execute();
}
