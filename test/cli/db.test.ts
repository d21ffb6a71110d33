/**
 * `ita db migrate` and `ita db copy`: a SQLite file produced by a real replay (plus candles, setup versions, signals
 * and a decision, as a running bot leaves them) moves into PostgreSQL with every table's rows, and ITA keeps writing
 * there (identity ids continue after the copied ones). Counts and rows are read back independently of the copy code.
 */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplay } from '../../src/engine/trading/replay.ts';
import { loadGovernance } from '../../src/engine/risk/governance.ts';
import { loadSetupFile, loadSetupsDir } from '../../src/engine/setups/index.ts';
import { openDatabase } from '../../src/engine/store/database.ts';
import { upsertCandles } from '../../src/engine/store/candles.ts';
import { createSetupRegistry } from '../../src/engine/journal/setup-registry.ts';
import { saveSignals } from '../../src/engine/journal/signals.ts';
import { recordDecision } from '../../src/engine/journal/decisions.ts';
import { allMigrations } from '../../src/app/store-migrations.ts';
import { loadSampleCandles, ROOT } from '../helpers/candles.ts';
import { runIta as ita } from '../helpers/ita-cli.ts';
import { postgresBackend, sqliteBackend, type StoreLocation } from '../helpers/backends.ts';
import { makeSignal, T0 } from '../engine/journal/fixtures.ts';



const MARKET = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };

/** Rows per data table, straight from SQLite's catalog. */
function sqliteCounts(file: string): Record<string, number> {
  const db = new SQLite(file, { readonly: true });
  try {
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_migration' AND name NOT LIKE '%_migration_lock'").all() as { name: string }[]).map((r) => r.name);
    return Object.fromEntries(names.map((n) => [n, (db.prepare(`SELECT count(*) AS n FROM "${n}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

async function pgQuery<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresBackend.available)(`ita db copy: SQLite → PostgreSQL [${postgresBackend.name}]`, () => {
  let source: StoreLocation;
  let target: StoreLocation;
  let counts: Record<string, number>;

  beforeAll(async () => {
    source = await sqliteBackend.create();
    target = await postgresBackend.create();
    const setup = loadSetupFile(path.join(ROOT, 'setups/ema_cross.yaml'));
    const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 3000);
    const replay = await runReplay({ dbFile: source.target, market: MARKET, candles, setups: [setup], governance: loadGovernance(), equity0: 10_000, policy: { minScore: 0, maxCostR: 10 } });
    expect(replay.trades.length).toBeGreaterThan(3);
    const store = await openDatabase(source.target, allMigrations);
    await upsertCandles(store, MARKET, candles);
    const registry = await createSetupRegistry({ db: store.db, setups: loadSetupsDir(path.join(ROOT, 'setups')).setups.filter((s) => s.id === 'ema_cross'), now: () => T0 });
    await registry.setParam('ema_cross', 'fast', 12);
    const signals = [makeSignal({ n: 0 }), makeSignal({ n: 1 })];
    await saveSignals(store.db, signals, T0);
    await recordDecision(store.db, { signalId: signals[0].id, kind: 'approve', byUser: 7, decidedAt: T0 + 5, latencyMs: 5 });
    await store.close();
    counts = sqliteCounts(source.target);
  }, 240_000);
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('copies every table, reports rows per table, and the rows read back the same', async () => {
    const copy = await ita(['db', 'copy', '--from', `sqlite:${source.target}`, '--to', target.target]);
    expect(copy.stderr).toBe('');
    expect(copy.code).toBe(0);
    expect(copy.stdout).not.toContain(':ita@'); // the password is masked
    expect(copy.stdout).toMatch(new RegExp(`candles\\s+3000 rows\\s+copied`));
    expect(copy.stdout).toMatch(/every table's row count verified/);

    for (const [table, n] of Object.entries(counts)) {
      const [{ n: there }] = await pgQuery<{ n: string }>(target.target, `SELECT count(*) AS n FROM "${table}"`);
      expect(Number(there), table).toBe(n);
    }
    expect(counts.executor_positions).toBeGreaterThan(3);
    expect(counts.setup_versions).toBe(2);

    const file = new SQLite(source.target, { readonly: true });
    const mine = file.prepare('SELECT id, setup_id, status, opened_at, entry_price, closed_at, r_multiple, pnl FROM executor_positions ORDER BY id').all();
    const verdict = file.prepare('SELECT * FROM decisions').get() as Record<string, unknown>;
    file.close();
    const theirs = await pgQuery<Record<string, unknown>>(target.target, 'SELECT id, setup_id, status, opened_at::float8 AS opened_at, entry_price, closed_at::float8 AS closed_at, r_multiple, pnl FROM executor_positions ORDER BY id');
    expect(theirs).toEqual(mine);
    const [decision] = await pgQuery<Record<string, unknown>>(target.target, 'SELECT id::float8 AS id, signal_id, kind, by_user::float8 AS by_user, reason, decided_at::float8 AS decided_at, latency_ms::float8 AS latency_ms FROM decisions');
    expect(decision).toEqual(verdict);
  }, 120_000);

  it('run again it is a no-op (every table already there), and ITA writes on after the copied ids', async () => {
    const again = await ita(['db', 'copy', '--from', `sqlite:${source.target}`, '--to', target.target]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/done: 0 rows copied/);
    expect(again.stdout).toMatch(/candles\s+3000 rows\s+already there/);

    const store = await openDatabase(target.target, allMigrations);
    try {
      expect(await recordDecision(store.db, { signalId: makeSignal({ n: 1 }).id, kind: 'reject', byUser: 7, decidedAt: T0 + 9, latencyMs: 9 })).toBe(true);
      const ids = (await store.db.selectFrom('decisions').select('id').orderBy('id').execute()).map((r) => r.id);
      expect(ids).toEqual([1, 2]);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('refuses a target holding other data unless --force, and migrate reports the schema', async () => {
    const other = await postgresBackend.create();
    try {
      const store = await openDatabase(other.target, allMigrations);
      await saveSignals(store.db, [makeSignal({ n: 40 })], T0);
      await store.close();
      const refused = await ita(['db', 'copy', '--from', `sqlite:${source.target}`, '--to', other.target]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/already holds other data in signals \(1 rows there, 2 here\).*--force/);
      expect(Number((await pgQuery<{ n: string }>(other.target, 'SELECT count(*) AS n FROM candles'))[0].n)).toBe(0);

      const forced = await ita(['db', 'copy', '--from', `sqlite:${source.target}`, '--to', other.target, '--force']);
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/signals\s+2 rows\s+merged \(2 written\)/);
      expect(Number((await pgQuery<{ n: string }>(other.target, 'SELECT count(*) AS n FROM signals'))[0].n)).toBe(3);

      const migrate = await ita(['db', 'migrate'], { ITA_DATABASE_URL: other.target });
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toMatch(/at the latest schema/);
      expect(migrate.stdout).toMatch(/kysely_migration\s+5 migrations, latest 20261202_0300_signal_policy/);
    } finally {
      await other.drop();
    }
  }, 120_000);
});
