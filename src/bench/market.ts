/**
 * Bench "market data": bulk candle import into a fresh SQLite file (and into PostgreSQL beside it, when
 * ITA_BENCH_DATABASE_URL names a server), resampling and range-query latency.
 * Synthetic candles (a deterministic random walk) so the figures do not depend on the shipped samples.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Candle, MarketKey } from '../engine/types.ts';
import { openDatabase } from '../engine/store/database.ts';
import { getCandles, upsertCandles } from '../engine/store/candles.ts';
import { importCandleCsv } from '../engine/market/csv/import-csv.ts';
import { resampleCandles } from '../engine/market/resample.ts';
import { median, medianMs, percentile, type BenchLine, type BenchSection } from './timing.ts';
import { compared } from './compare.ts';

const MINUTE = 60_000;
const MARKET: MarketKey = { exchange: 'bench', symbol: 'SYN/USDT', timeframe: '1m' };

function syntheticMinutes(count: number): Candle[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const start = Date.UTC(2020, 0, 1);
  const candles: Candle[] = new Array(count);
  let price = 30_000;
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = Math.round((open + (random() - 0.5) * 40) * 100) / 100;
    const high = Math.max(open, close) + Math.round(random() * 1000) / 100;
    const low = Math.min(open, close) - Math.round(random() * 1000) / 100;
    candles[i] = { ts: start + i * MINUTE, open, high, low, close, volume: Math.round(random() * 1e6) / 1e4 };
    price = close;
  }
  return candles;
}

async function timeRuns(runs: number, fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const PG_CANDLES = 100_000;
const PG_RUNS = 3;

/**
 * The same upsert into PostgreSQL (a throwaway database on the server `benchDatabaseUrl` names) against a fresh
 * SQLite file, interleaved run by run so both see the same machine load; the ratio is PostgreSQL ÷ SQLite.
 */
async function postgresUpsertLine(candles: Candle[], dir: string, log: (message: string) => void): Promise<BenchLine> {
  const name = `store: upsert ${candles.length.toLocaleString('en-US')} candles, PostgreSQL vs SQLite`;
  const { loadConfig } = await import('../config.ts');
  const adminUrl = loadConfig().benchDatabaseUrl;
  if (!adminUrl) return { name, value: NaN, unit: 'ms', note: 'skipped: set ITA_BENCH_DATABASE_URL (a PostgreSQL server where the bench may create a database)' };
  const { createScratchDatabase } = await import('../engine/store/postgres.ts');
  const pgMs: number[] = [];
  const sqliteMs: number[] = [];
  log(`upserting ${candles.length.toLocaleString('en-US')} candles into fresh PostgreSQL databases and SQLite files, ${PG_RUNS} runs each`);
  for (let run = 0; run < PG_RUNS; run++) {
    // A fresh database per run, as SQLite gets a fresh file: no dead rows of the previous run in the index.
    const scratch = await createScratchDatabase(adminUrl, `ita_bench_${process.pid}_${Date.now().toString(36)}_${run}`);
    try {
      const pg = await openDatabase(scratch.url);
      const start = performance.now();
      await upsertCandles(pg, MARKET, candles);
      pgMs.push(performance.now() - start);
      await pg.close();
    } finally {
      await scratch.drop();
    }
    const sqlite = await openDatabase(path.join(dir, `pg-baseline-${run}.sqlite`));
    const start = performance.now();
    await upsertCandles(sqlite, MARKET, candles);
    sqliteMs.push(performance.now() - start);
    await sqlite.close();
  }
  return compared(name, pgMs, sqliteMs, 'SQLite (fresh file)', { target: '≤ 3× SQLite' });
}

export const sections: BenchSection[] = [
  {
    title: 'market data',
    async run({ quick, log }) {
      const count = quick ? 100_000 : 1_000_000;
      const label = count.toLocaleString('en-US');
      const dir = mkdtempSync(path.join(tmpdir(), 'ita-bench-market-'));
      const lines: BenchLine[] = [];
      try {
        const candles = syntheticMinutes(count);
        let run = 0;

        log(`upserting ${label} candles into fresh SQLite files, 3 runs`);
        const upsertMs = await timeRuns(3, async () => {
          const store = await openDatabase(path.join(dir, `upsert-${run++}.sqlite`));
          await upsertCandles(store, MARKET, candles);
          await store.close();
        });
        lines.push({ name: `store: upsert ${label} candles, fresh file`, value: count / (upsertMs / 1000), unit: 'candles/s', target: '> 200,000' });
        lines.push(await postgresUpsertLine(candles.slice(0, PG_CANDLES), dir, log));

        const csv = path.join(dir, 'candles.csv');
        writeFileSync(csv, ['ts,open,high,low,close,volume', ...candles.map((c) => `${c.ts},${c.open},${c.high},${c.low},${c.close},${c.volume}`)].join('\n'));
        log(`importing a ${label}-row CSV (parse + validate + store), 3 runs`);
        const importMs = await timeRuns(3, async () => {
          const store = await openDatabase(path.join(dir, `import-${run++}.sqlite`));
          await importCandleCsv(store, csv, MARKET);
          await store.close();
        });
        lines.push({ name: `import: ${label}-row CSV end to end, fresh file`, value: count / (importMs / 1000), unit: 'candles/s', target: '> 100,000' });

        log('resampling 1m → 1h');
        const resampleMs = await medianMs(3, () => resampleCandles(candles, '1m', '1h'));
        lines.push({ name: `resample 1m → 1h (${label} candles)`, value: count / (resampleMs / 1000), unit: 'candles/s' });

        log('range queries of 1,000 rows');
        const store = await openDatabase(path.join(dir, 'upsert-0.sqlite'));
        const latencies: number[] = [];
        for (let i = 0; i < 50; i++) {
          const from = candles[Math.floor(((i * 7919) % 997) / 997 * (count - 1000))].ts;
          const start = performance.now();
          const rows = await getCandles(store.db, MARKET, { from, limit: 1000 });
          latencies.push(performance.now() - start);
          if (rows.length !== 1000) throw new Error(`range query returned ${rows.length} rows`);
        }
        await store.close();
        lines.push({ name: 'range query, 1,000 candles (median of 50)', value: median(latencies), unit: 'ms', target: '< 10 ms', note: `p95 ${percentile(latencies, 95).toFixed(1)} ms` });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return lines;
    },
  },
];
