/**
 * The chart service renders on the worker pool and ahead of delivery: asking for the chart at the head of the outbox
 * starts the charts of the whole burst queued behind it, in delivery order, and those are then served without
 * rendering again. Pool PNGs (the card's spec built on the render thread) are the bytes the same service renders on
 * the calling thread.
 */
import { afterAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { createChartService } from '../../src/app/chart-service.ts';
import { ChartRenderPool } from '../../src/engine/charts/pool.ts';
import type { SignalChartSpec } from '../../src/engine/charts/spec.ts';
import type { SignalCardInput } from '../../src/engine/signals/chart-spec.ts';
import { enqueue } from '../../src/engine/journal/outbox.ts';
import { saveSignals } from '../../src/engine/journal/signals.ts';
import { upsertCandles } from '../../src/engine/store/candles.ts';
import { loadSampleCandles } from '../helpers/candles.ts';
import { makeSignal, tempDb, type TempDb } from '../engine/journal/fixtures.ts';

const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 700);
const market = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };

describe('chart service on the render pool', () => {
  const pool = new ChartRenderPool({ size: 2 });
  const rendered: number[] = [];
  // The real pool, with a record of which signal candle each render was for.
  const spy = {
    renderSignalChart: (spec: SignalChartSpec) => (rendered.push(spec.signal!.ts), pool.renderSignalChart(spec)),
    renderSignalCard: (input: SignalCardInput) => (rendered.push(input.signal.ts), pool.renderSignalCard(input)),
  };
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
    await upsertCandles(t.store, market, candles);
    rendered.length = 0;
  });
  afterEach(async () => t.cleanup());
  afterAll(() => pool.close());

  it('renders the whole queued burst behind the head ahead of time, in delivery order, and serves it without a second render', async () => {
    const signals = [600, 620, 640, 660].map((i, n) => makeSignal({ n, id: `s${n}`, ts: candles[i].ts, entry: candles[i].close, stop: candles[i].close * 0.99, targets: [{ price: candles[i].close * 1.02, r: 2, closeFraction: 1 }] }));
    await saveSignals(t.store.db, signals, candles[699].ts);
    for (const s of signals) await enqueue(t.store.db, s, 1, 0, candles[699].ts);
    const charts = createChartService(t.store.db, () => [], { pool: spy });
    const local = createChartService(t.store.db, () => [], { pool: false });

    const head = await charts.signal(signals[0]);
    await expect.poll(() => rendered.length).toBe(4);
    // Head first, then every pending signal behind it in delivery order (the head itself is not rendered twice).
    expect(rendered).toEqual(signals.map((s) => s.ts));
    const second = await charts.signal(signals[1]);
    const last = await charts.signal(signals[3]);
    expect(rendered).toEqual(signals.map((s) => s.ts));

    expect(head.equals(await local.signal(signals[0]))).toBe(true);
    expect(second.equals(await local.signal(signals[1]))).toBe(true);
    expect(last.equals(await local.signal(signals[3]))).toBe(true);
  });
});
