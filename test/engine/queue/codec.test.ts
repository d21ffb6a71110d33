/**
 * What crosses the queue comes back as it went: statistics with NaN, ±Infinity and -0 (plain JSON turns them into
 * null and 0), and candle series through the packed columns, named by their content.
 */
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue, packSeries, unpackSeries } from '../../../src/engine/queue/codec.ts';

describe('queue codec', () => {
  it('keeps non-finite numbers and -0 that JSON loses', () => {
    const stats = { sharpe: NaN, profitFactor: Infinity, worst: -Infinity, flat: -0, trades: 3, list: [0.1 + 0.2, null, 'x', NaN], nested: { $num: 'not a tag', other: 1 } };
    expect(JSON.parse(JSON.stringify(stats)).sharpe).toBeNull();
    const back = decodeValue<typeof stats>(encodeValue(stats));
    expect(back.sharpe).toBeNaN();
    expect(back.profitFactor).toBe(Infinity);
    expect(back.worst).toBe(-Infinity);
    expect(Object.is(back.flat, -0)).toBe(true);
    expect(back.trades).toBe(3);
    expect(back.list[0]).toBe(0.30000000000000004);
    expect(back.list.slice(1, 3)).toEqual([null, 'x']);
    expect(back.list[3]).toBeNaN();
    // An object that only looks similar (two keys) stays an object.
    expect(back.nested).toEqual({ $num: 'not a tag', other: 1 });
  });

  it('keeps a Float64Array (an equity curve, also a view into a larger buffer) as a Float64Array', () => {
    const whole = new Float64Array([1, 10_000.5, NaN, -0, 1e-300, 7]);
    const back = decodeValue<{ equity: Float64Array }>(encodeValue({ equity: whole.subarray(1, 5) }));
    expect(back.equity).toBeInstanceOf(Float64Array);
    expect(back.equity.length).toBe(4);
    expect(back.equity[0]).toBe(10_000.5);
    expect(back.equity[1]).toBeNaN();
    expect(Object.is(back.equity[2], -0)).toBe(true);
    expect(back.equity[3]).toBe(1e-300);
  });

  it('packs a series into columns and back, named by its content', () => {
    const candle = (ts: number, close: number) => ({ ts, open: close - 1, high: close + 2.5, low: close - 3.25, close, volume: 1e-9 * ts });
    const series = { key: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const }, warmup: [candle(0, 100), candle(3_600_000, 101.1)], candles: [candle(7_200_000, 99.99), candle(10_800_000, 102)] };
    const packed = packSeries(series);
    expect(unpackSeries(packed.body)).toEqual(series);
    expect(packed.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(packSeries(structuredClone(series)).hash).toBe(packed.hash);
    const changed = structuredClone(series);
    changed.candles[1].volume += 1e-6;
    expect(packSeries(changed).hash).not.toBe(packed.hash);
    // Where the warm-up ends is part of the content: the same rows split differently are another input.
    expect(packSeries({ ...series, warmup: series.warmup.slice(0, 1), candles: [series.warmup[1], ...series.candles] }).hash).not.toBe(packed.hash);
  });
});
