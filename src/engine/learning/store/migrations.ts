/**
 * The learning module's own migration set (bookkeeping table `learning_migration`): success models per setup version
 * and the trader's labelled examples. Run by `openDatabase(target, { extraMigrations: { learning_migration:
 * learningMigrations } })`, which also reads their SQLite DDL as PostgreSQL's on a shared store (a bare Migrator would
 * not). Never edit a migration once it has landed; add one.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const m20261201_0001_learning: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await sql`
      CREATE TABLE learning_models (
        setup_id       TEXT    NOT NULL,
        setup_version  TEXT    NOT NULL,
        trained_at     INTEGER NOT NULL,
        n              INTEGER NOT NULL,
        n_oos          INTEGER NOT NULL,
        auc            REAL,
        auc_low        REAL,
        auc_high       REAL,
        brier          REAL,
        model_json     TEXT    NOT NULL,
        report_json    TEXT    NOT NULL,
        PRIMARY KEY (setup_id, setup_version)
      )
    `.execute(db);
    await sql`
      CREATE TABLE learning_labels (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        setup_id      TEXT    NOT NULL,
        symbol        TEXT    NOT NULL,
        timeframe     TEXT    NOT NULL,
        ts            INTEGER NOT NULL,
        side          TEXT    NOT NULL,
        source        TEXT    NOT NULL,
        screenshot    TEXT,
        created_at    INTEGER NOT NULL,
        UNIQUE (setup_id, symbol, timeframe, ts, side)
      )
    `.execute(db);
    await sql`CREATE INDEX learning_labels_by_setup ON learning_labels (setup_id, symbol, timeframe, ts)`.execute(db);
  },
};

/** One outcome per journaled signal (see ../journal/outcome-tracker.ts): taken ones from the executor, the rest counterfactual. */
const m20261202_0001_outcomes: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await sql`
      CREATE TABLE learning_outcomes (
        signal_id      TEXT    PRIMARY KEY,
        setup_id       TEXT    NOT NULL,
        setup_version  TEXT    NOT NULL,
        exchange       TEXT    NOT NULL,
        symbol         TEXT    NOT NULL,
        timeframe      TEXT    NOT NULL,
        signal_ts      INTEGER NOT NULL,
        status         TEXT    NOT NULL,
        taken          INTEGER NOT NULL,
        net_r          REAL,
        entry_ts       INTEGER,
        entry_price    REAL,
        exit_ts        INTEGER,
        exit_reason    TEXT,
        reason         TEXT,
        window_end_ts  INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL
      )
    `.execute(db);
    await sql`CREATE INDEX learning_outcomes_by_version ON learning_outcomes (setup_id, setup_version, status)`.execute(db);
    await sql`CREATE INDEX learning_outcomes_pending ON learning_outcomes (status, exchange, symbol, timeframe)`.execute(db);
  },
};

export const learningMigrations: Record<string, Migration> = {
  '20261201_0001_learning': m20261201_0001_learning,
  '20261202_0001_outcomes': m20261202_0001_outcomes,
};

export const LEARNING_MIGRATION_TABLE = 'learning_migration';
