import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, openSqliteDatabase, type OpenedDatabase, type OpenedSqliteDatabase } from '../../../src/engine/store/database.ts';
import { describeBackends, type StoreLocation } from '../../helpers/backends.ts';
import { deleteMarket, getCandles, getLatestCandles, listMarkets, upsertCandles } from '../../../src/engine/store/candles.ts';
import type { Candle, MarketKey } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const BTC_1H: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
const ETH_1H: MarketKey = { exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h' };
const HOUR = 3_600_000;

function candle(ts: number, close = 100): Candle {
  return { ts, open: 100, high: 110, low: 90, close, volume: 5 };
}

describe('candle store on a SQLite file', () => {
  let dir: string;
  let store: OpenedSqliteDatabase;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ita-store-'));
    store = await openSqliteDatabase(path.join(dir, 'ita.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses WAL on the file', () => {
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  });
});

describeBackends('candle repository', (backend) => {
  let location: StoreLocation;
  let store: OpenedDatabase;

  beforeEach(async () => {
    location = await backend.create();
    store = await openDatabase(location.target);
    expect(store.dialect).toBe(backend.dialect);
  });
  afterEach(async () => {
    await store.close();
    await location.drop();
  });

  it('round-trips real candles exactly and is idempotent', async () => {
    const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 1234);
    expect(await upsertCandles(store, BTC_1H, candles)).toEqual({ inserted: 1234, updated: 0, unchanged: 0 });
    expect(await upsertCandles(store, BTC_1H, candles)).toEqual({ inserted: 0, updated: 0, unchanged: 1234 });
    expect(await getCandles(store.db, BTC_1H)).toEqual(candles);
  });

  it('updates a changed candle and inserts new ones in the same call', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    await upsertCandles(store, BTC_1H, [candle(t0), candle(t0 + HOUR)]);
    const result = await upsertCandles(store, BTC_1H, [candle(t0), candle(t0 + HOUR, 105), candle(t0 + 2 * HOUR)]);
    expect(result).toEqual({ inserted: 1, updated: 1, unchanged: 1 });
    const stored = await getCandles(store.db, BTC_1H);
    expect(stored.map((c) => c.close)).toEqual([100, 105, 100]);
  });

  it('answers range, limit and latest-N queries in ascending order', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    await upsertCandles(store, BTC_1H, Array.from({ length: 10 }, (_, i) => candle(t0 + i * HOUR, 100 + i)));
    await upsertCandles(store, ETH_1H, [candle(t0, 1)]);
    const range = await getCandles(store.db, BTC_1H, { from: t0 + 2 * HOUR, to: t0 + 5 * HOUR });
    expect(range.map((c) => c.close)).toEqual([102, 103, 104, 105]);
    const limited = await getCandles(store.db, BTC_1H, { from: t0 + 7 * HOUR, limit: 2 });
    expect(limited.map((c) => c.close)).toEqual([107, 108]);
    const latest = await getLatestCandles(store.db, BTC_1H, 3);
    expect(latest.map((c) => c.close)).toEqual([107, 108, 109]);
  });

  it('lists markets with count, first and last, and deletes one market only', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    await upsertCandles(store, BTC_1H, [candle(t0), candle(t0 + HOUR), candle(t0 + 5 * HOUR)]);
    await upsertCandles(store, ETH_1H, [candle(t0 + HOUR)]);
    expect(await listMarkets(store.db)).toEqual([
      { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', count: 3, firstTs: t0, lastTs: t0 + 5 * HOUR },
      { exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h', count: 1, firstTs: t0 + HOUR, lastTs: t0 + HOUR },
    ]);
    expect(await deleteMarket(store.db, BTC_1H)).toBe(3);
    expect((await listMarkets(store.db)).map((m) => m.symbol)).toEqual(['ETH/USDT']);
  });

  it('leaves the store unchanged when an upsert fails midway (one transaction)', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    await upsertCandles(store, BTC_1H, [candle(t0, 1)]);
    // 1,500 valid rows (three full chunks are written first), then a row the store rejects (NULL close).
    const batch = Array.from({ length: 2000 }, (_, i) => candle(t0 + i * HOUR, 7));
    batch[1700] = { ...batch[1700], close: null as unknown as number };
    await expect(upsertCandles(store, BTC_1H, batch)).rejects.toThrow(/NOT NULL|not-null/);
    expect(await getCandles(store.db, BTC_1H)).toEqual([candle(t0, 1)]);
  });

  it('stores edge doubles exactly: the smallest subnormal, the largest double, values with 17 significant digits', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    const edges = [Number.MIN_VALUE, Number.MAX_VALUE, 0.1 + 0.2, 1 / 3, 2 ** -1074 * 3, 123456789.12345679, 1e-300, 9007199254740991, 0];
    const candles = edges.map((v, i) => ({ ts: t0 + i * HOUR, open: v, high: v, low: v, close: v, volume: edges[edges.length - 1 - i] }));
    expect(await upsertCandles(store, BTC_1H, candles)).toEqual({ inserted: edges.length, updated: 0, unchanged: 0 });
    expect(await getCandles(store.db, BTC_1H)).toEqual(candles);
    // Equal doubles are recognised as unchanged, and the next double up is a change.
    expect(await upsertCandles(store, BTC_1H, candles)).toEqual({ inserted: 0, updated: 0, unchanged: edges.length });
    const nudged = candles.map((c, i) => (i === 2 ? { ...c, close: 0.30000000000000010 } : c));
    expect(await upsertCandles(store, BTC_1H, nudged)).toEqual({ inserted: 0, updated: 1, unchanged: edges.length - 1 });
    expect((await getCandles(store.db, BTC_1H))[2].close).toBe(0.30000000000000010);
  });

  it('upserts 120,000 candles (several statements on either store) with exact counts, all or nothing', async () => {
    const t0 = Date.UTC(2020, 0, 1);
    const many = Array.from({ length: 120_000 }, (_, i) => ({ ts: t0 + i * 60_000, open: 100 + i / 7, high: 101 + i / 7, low: 99 + i / 7, close: 100 + i / 3, volume: i }));
    expect(await upsertCandles(store, BTC_1H, many.slice(0, 100_000))).toEqual({ inserted: 100_000, updated: 0, unchanged: 0 });
    // Four changed candles spread over the stored ones, plus 20,000 new candles.
    const changed = many.map((c, i) => (i % 30_000 === 1 ? { ...c, volume: -1 } : c));
    expect(await upsertCandles(store, BTC_1H, changed)).toEqual({ inserted: 20_000, updated: 4, unchanged: 99_996 });
    const stored = await getCandles(store.db, BTC_1H);
    expect(stored).toHaveLength(120_000);
    expect(stored[90_001]).toEqual(changed[90_001]);
    expect(stored[119_999]).toEqual(many[119_999]);
    // A bad row in the last statement rolls back every earlier one.
    const bad = Array.from({ length: 110_000 }, (_, i) => candle(t0 + (200_000 + i) * 60_000, 7));
    bad[105_000] = { ...bad[105_000], close: null as unknown as number };
    await expect(upsertCandles(store, BTC_1H, bad)).rejects.toThrow(/NOT NULL|not-null/);
    expect(await getCandles(store.db, BTC_1H, { from: t0 + 200_000 * 60_000 })).toEqual([]);
  });

  it('keeps data across reopening the store', async () => {
    await upsertCandles(store, BTC_1H, [candle(Date.UTC(2024, 0, 1))]);
    await store.close();
    store = await openDatabase(location.target);
    expect(await getCandles(store.db, BTC_1H)).toHaveLength(1);
  });
});
