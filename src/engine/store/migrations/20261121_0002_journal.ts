import { sql, type Kysely } from 'kysely';

/** The journal: setup versions, signals, decisions, the delivery outbox, the watchlist and per-user settings. */
export async function up(db: Kysely<any>): Promise<void> {
  // Every version ever seen stays, so statistics of old versions remain attributable after an edit.
  await sql`
    CREATE TABLE setup_versions (
      id         TEXT    NOT NULL,
      version    TEXT    NOT NULL,
      name       TEXT    NOT NULL,
      definition TEXT    NOT NULL,
      source     TEXT    NOT NULL,
      first_seen INTEGER NOT NULL,
      PRIMARY KEY (id, version)
    )
  `.execute(db);
  // Parameter changes made from the chat, applied on top of the YAML; they produce a new content version.
  await sql`
    CREATE TABLE setup_overrides (
      setup_id   TEXT    NOT NULL,
      param      TEXT    NOT NULL,
      value      REAL    NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (setup_id, param)
    )
  `.execute(db);
  // Switching a setup on or off is not a new version: the rules did not change.
  await sql`
    CREATE TABLE setup_switches (
      setup_id   TEXT    PRIMARY KEY,
      enabled    INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )
  `.execute(db);
  await sql`
    CREATE TABLE signals (
      id            TEXT    PRIMARY KEY,
      setup_id      TEXT    NOT NULL,
      setup_version TEXT    NOT NULL,
      setup_name    TEXT    NOT NULL,
      exchange      TEXT    NOT NULL,
      symbol        TEXT    NOT NULL,
      timeframe     TEXT    NOT NULL,
      side          TEXT    NOT NULL,
      ts            INTEGER NOT NULL,
      entry_type    TEXT    NOT NULL,
      entry         REAL    NOT NULL,
      stop          REAL    NOT NULL,
      targets       TEXT    NOT NULL,
      rr            REAL    NOT NULL,
      score         REAL    NOT NULL,
      rank          INTEGER NOT NULL,
      reasons       TEXT    NOT NULL,
      context       TEXT    NOT NULL,
      valid_until   INTEGER NOT NULL,
      pushed        INTEGER NOT NULL DEFAULT 0,
      pushed_at     INTEGER,
      created_at    INTEGER NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX signals_by_setup ON signals (setup_id, ts)`.execute(db);
  await sql`CREATE INDEX signals_by_created ON signals (created_at)`.execute(db);
  // UNIQUE(signal_id) is what turns a double tap on Approve into one decision.
  await sql`
    CREATE TABLE decisions (
      id         INTEGER PRIMARY KEY AUTOINCREMENT,
      signal_id  TEXT    NOT NULL UNIQUE REFERENCES signals (id),
      kind       TEXT    NOT NULL,
      by_user    INTEGER NOT NULL,
      reason     TEXT,
      decided_at INTEGER NOT NULL,
      latency_ms INTEGER NOT NULL
    )
  `.execute(db);
  await sql`
    CREATE TABLE outbox (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      signal_id       TEXT    NOT NULL REFERENCES signals (id),
      chat_id         INTEGER NOT NULL,
      kind            TEXT    NOT NULL,
      payload         TEXT    NOT NULL,
      status          TEXT    NOT NULL DEFAULT 'pending',
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error      TEXT,
      message_id      INTEGER,
      created_at      INTEGER NOT NULL,
      sent_at         INTEGER,
      UNIQUE (signal_id, chat_id, kind)
    )
  `.execute(db);
  await sql`CREATE INDEX outbox_by_status ON outbox (status, id)`.execute(db);
  await sql`
    CREATE TABLE watchlist (
      exchange  TEXT    NOT NULL,
      symbol    TEXT    NOT NULL,
      timeframe TEXT    NOT NULL,
      added_at  INTEGER NOT NULL,
      PRIMARY KEY (exchange, symbol, timeframe)
    )
  `.execute(db);
  await sql`
    CREATE TABLE user_settings (
      user_id    INTEGER PRIMARY KEY,
      settings   TEXT    NOT NULL,
      updated_at INTEGER NOT NULL
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['user_settings', 'watchlist', 'outbox', 'decisions', 'signals', 'setup_switches', 'setup_overrides', 'setup_versions']) {
    await db.schema.dropTable(table).execute();
  }
}
