import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCandleCsv } from '../../../../src/engine/market/csv/import-csv.ts';
import { openDatabase, type OpenedDatabase } from '../../../../src/engine/store/database.ts';
import { getCandles, listMarkets } from '../../../../src/engine/store/candles.ts';
import { parseTimeframe } from '../../../../src/engine/market/timeframes.ts';
import type { MarketKey } from '../../../../src/engine/types.ts';
import { loadSampleCandles, SAMPLES, samplePath } from '../../../helpers/candles.ts';

/** `exchange_SYMBOL_tf[_YYYY-MM].csv` → market; the suffix becomes part of the symbol so files do not overlap. */
function marketOf(file: string): MarketKey {
  const [exchange, symbol, tf, suffix] = file.replace(/\.csv$/, '').split('_');
  return { exchange, symbol: suffix ? `${symbol}-${suffix}` : symbol, timeframe: parseTimeframe(tf) };
}

describe('importCandleCsv into a SQLite file', () => {
  let dir: string;
  let store: OpenedDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ita-import-'));
    store = await openDatabase(path.join(dir, 'ita.sqlite'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports every sample in data/samples, row for row', async () => {
    const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.csv'));
    expect(files.length).toBeGreaterThanOrEqual(13);
    for (const file of files) {
      const summary = await importCandleCsv(store, samplePath(file), marketOf(file));
      const expectedRows = readFileSync(samplePath(file), 'utf8').trim().split('\n').length - 1;
      expect(summary, file).toMatchObject({ format: 'canonical ts,open,high,low,close,volume', rows: expectedRows });
      expect(summary.written, file).toEqual({ inserted: expectedRows, updated: 0, unchanged: 0 });
    }
    const markets = await listMarkets(store.db);
    expect(markets).toHaveLength(files.length);
    const eurusd = markets.find((m) => m.symbol === 'EURUSD')!;
    expect(eurusd).toMatchObject({ count: 5000, firstTs: Date.parse('2017-04-19T09:00:00Z'), lastTs: Date.parse('2018-02-07T15:00:00Z') });
  });

  it('reports gaps (not fatal) as the data set manifest lists them', async () => {
    const summary = await importCandleCsv(undefined, samplePath('fx_EURUSD_1h'), marketOf('fx_EURUSD_1h.csv'), { dryRun: true });
    expect(summary.gaps).toHaveLength(42);
    expect(summary.missingCandles).toBe(2063);
    expect(summary.written).toBeUndefined();
  });

  it('is idempotent: a second import of the same file changes nothing', async () => {
    const market = marketOf('binance_BTCUSDT_1d_2024-07.csv');
    const again = await importCandleCsv(store, samplePath('binance_BTCUSDT_1d_2024-07'), market);
    expect(again.written).toEqual({ inserted: 0, updated: 0, unchanged: 365 });
    expect(await getCandles(store.db, market)).toEqual(loadSampleCandles('binance_BTCUSDT_1d_2024-07'));
  });

  it('a dry run validates without writing', async () => {
    const market: MarketKey = { exchange: 'binance', symbol: 'DRY/RUN', timeframe: '1h' };
    const summary = await importCandleCsv(store, samplePath('binance_BTCUSDT_1h_2024-07'), market, { dryRun: true });
    expect(summary.rows).toBe(8777);
    expect(await getCandles(store.db, market)).toEqual([]);
  });

  it('a file that fails midway leaves the store exactly as it was', async () => {
    const market = marketOf('binance_BTCUSDT_15m.csv');
    const before = await getCandles(store.db, market);
    // Same real file with every close changed (so a partial write would show) and one bad row near the end.
    const lines = readFileSync(samplePath('binance_BTCUSDT_15m'), 'utf8').trim().split('\n');
    const edited = lines.map((line, i) => (i === 0 ? line : line.replace(/,([^,]+),([^,]+)$/, (_m, close, vol) => `,${close},${Number(vol) + 1}`)));
    edited[30_000] = edited[30_000].replace(/^(\d+),[^,]+/, '$1,oops');
    const broken = path.join(dir, 'broken.csv');
    writeFileSync(broken, edited.join('\n'));
    await expect(importCandleCsv(store, broken, market)).rejects.toThrow(/line 30001: open is not a number: "oops"/);
    expect(await getCandles(store.db, market)).toEqual(before);
  });
});
