/**
 * The queue's candle inputs (`ita_queue_input`) do not pile up forever: one no run used for the retention period is
 * deleted when a queue opens, unless a job still waiting names it; storing the same candles again marks the row used
 * (and brings a deleted one back). Real PostgreSQL and pg-boss; no worker, so submitted jobs stay waiting.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue, type QueueSettings } from '../../../src/engine/queue/job-queue.ts';
import { DEFAULT_SIMULATION } from '../../../src/engine/backtest/service/run-setup.ts';
import { parseSetup } from '../../../src/engine/setups/index.ts';
import type { SeriesInput } from '../../../src/engine/queue/codec.ts';
import { createTestDatabase, hasPostgres, skipWithoutPostgres, type TestDatabase } from '../../helpers/postgres.ts';

const candle = (ts: number, close: number) => ({ ts, open: close, high: close + 1, low: close - 1, close, volume: 10 });
const series = (close: number): SeriesInput => ({ key: { exchange: 'binance', symbol: 'BTCUSDT', timeframe: '1h' }, warmup: [], candles: [candle(0, close), candle(3_600_000, close + 1)] });
const setup = parseSetup(
  JSON.stringify({ id: 'keep_me', name: 'Keep', description: 'd', rationale: 'r', timeframe: '1h', indicators: { atr: 'atr:14' }, rules: { long: { gt: ['close', 0] } }, stop: { type: 'atr', mult: 2 }, targets: [{ r: 2 }] }),
  'keep_me.yaml',
);

describe.skipIf(!hasPostgres)(`queue input retention${skipWithoutPostgres}`, () => {
  let db: TestDatabase;
  let client: pg.Client;
  const settings = (url: string, inputRetentionDays?: number): QueueSettings => ({ url, batchSize: 5, expireSeconds: 60, retryLimit: 0, maintenanceSeconds: 3600, pollSeconds: 60, inputRetentionDays });
  const hashes = async () => (await client.query<{ hash: string }>('SELECT hash FROM ita_queue_input ORDER BY hash')).rows.map((r) => r.hash);
  const age = (hash: string, days: number) => client.query(`UPDATE ita_queue_input SET used_at = now() - make_interval(days => $2) WHERE hash = $1`, [hash, days]);

  beforeAll(async () => {
    db = await createTestDatabase('ita_queue_retention');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('deletes inputs unused for longer than the retention, keeps recent ones and those a waiting job names', async () => {
    const first = await JobQueue.open(settings(db.url));
    const stale = await first.putSeries(series(100));
    const recent = await first.putSeries(series(200));
    const wanted = await first.putSeries(series(300));
    // A job nobody takes (no worker runs here): its input must survive however old it is.
    const [pending] = await first.submit([{ kind: 'backtest', setup, series: wanted, settings: DEFAULT_SIMULATION }]);
    pending.catch(() => {});
    await first.close();
    await age(stale, 8);
    await age(recent, 6);
    await age(wanted, 30);

    const second = await JobQueue.open(settings(db.url, 7));
    expect(second.prunedInputs).toBe(1);
    expect(await hashes()).toEqual([recent, wanted].sort());

    // Storing the deleted candles again brings them back; storing the 6-day-old ones again restarts their clock.
    expect(await second.putSeries(series(100))).toBe(stale);
    expect(await second.putSeries(series(200))).toBe(recent);
    const { rows } = await client.query<{ hash: string; days: number }>(`SELECT hash, extract(epoch FROM now() - used_at) / 86400 AS days FROM ita_queue_input`);
    for (const row of rows.filter((r) => r.hash !== wanted)) expect(Number(row.days)).toBeLessThan(0.01);
    expect((await second.series(stale)).candles.map((c) => c.close)).toEqual([100, 101]);
    await second.close();
  });

  it('keeps everything with a retention of 0 days', async () => {
    await client.query(`UPDATE ita_queue_input SET used_at = now() - make_interval(days => 400)`);
    const before = await hashes();
    const queue = await JobQueue.open(settings(db.url, 0));
    expect(queue.prunedInputs).toBe(0);
    expect(await hashes()).toEqual(before);
    await queue.close();
  });

  it('adds the column to a table made before retention existed', async () => {
    await client.query('ALTER TABLE ita_queue_input DROP COLUMN used_at');
    const queue = await JobQueue.open(settings(db.url, 7));
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM ita_queue_input WHERE used_at IS NOT NULL`);
    expect(rows[0].n).toBe((await hashes()).length);
    await queue.close();
  });
});
