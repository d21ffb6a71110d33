/**
 * Bench "market data": bulk candle import into a fresh SQLite file, resampling and range-query latency.
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
