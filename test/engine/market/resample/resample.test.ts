import { describe, expect, it } from 'vitest';
import { CandleResampler, resampleCandles } from '../../../../src/engine/market/resample.ts';
import type { Candle, Timeframe } from '../../../../src/engine/types.ts';
import { loadSampleCandles } from '../../../helpers/candles.ts';

/**
 * Reference: Binance's own higher-timeframe candles (data/samples), which the exchange aggregates from the same trades.
 * Prices must match exactly; volume to 1e-12 relative (float summation order differs).
 */
function expectSameAggregation(lowerFile: string, from: Timeframe, higherFile: string, to: Timeframe): number {
  const ours = resampleCandles(loadSampleCandles(lowerFile), from, to);
  const theirs = loadSampleCandles(higherFile);
  const lo = Math.max(ours[0].ts, theirs[0].ts);
  const hi = Math.min(ours[ours.length - 1].ts, theirs[theirs.length - 1].ts);
  const inRange = (c: Candle) => c.ts >= lo && c.ts <= hi;
  const a = ours.filter(inRange);
  const b = theirs.filter(inRange);
  expect(a.map((c) => c.ts)).toEqual(b.map((c) => c.ts));
  for (let i = 0; i < a.length; i++) {
    expect([a[i].open, a[i].high, a[i].low, a[i].close], new Date(a[i].ts).toISOString()).toEqual([b[i].open, b[i].high, b[i].low, b[i].close]);
    expect(Math.abs(a[i].volume - b[i].volume)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i].volume)));
  }
  return a.length;
}

describe('resampleCandles on real Binance data', () => {
  it('1h aggregates exactly into the stored 4h candles (gaps included)', () => {
    expect(expectSameAggregation('binance_BTCUSDT_1h', '1h', 'binance_BTCUSDT_4h', '4h')).toBe(11271);
  });

  it('1h aggregates exactly into the stored 1d candles', () => {
    expect(expectSameAggregation('binance_BTCUSDT_1h', '1h', 'binance_BTCUSDT_1d', '1d')).toBe(1881);
  });

  it('1m aggregates exactly into the stored 5m candles', () => {
    expect(expectSameAggregation('binance_BTCUSDT_1m', '1m', 'binance_BTCUSDT_5m_2023-03', '5m')).toBe(13217);
  });
});

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const c = (hour: number, o: number, h: number, l: number, cl: number, v: number): Candle => ({ ts: T0 + hour * H, open: o, high: h, low: l, close: cl, volume: v });

describe('resampleCandles by hand', () => {
  const hours = [c(0, 10, 12, 9, 11, 1), c(1, 11, 15, 10, 14, 2), c(3, 14, 14, 8, 9, 3), c(4, 9, 10, 9, 10, 4), c(5, 10, 11, 7, 8, 5)];

  it('takes first open, max high, min low, last close, summed volume; a missing lower candle is just absent', () => {
    // 4h bins: [0..3] has hours 0,1,3 (2 missing); [4..7] has 4,5 and has not ended: dropped.
    expect(resampleCandles(hours, '1h', '4h')).toEqual([{ ts: T0, open: 10, high: 15, low: 8, close: 9, volume: 6 }]);
  });

  it('returns the open bin when includePartial is set', () => {
    expect(resampleCandles(hours, '1h', '4h', { includePartial: true })[1]).toEqual({ ts: T0 + 4 * H, open: 9, high: 11, low: 7, close: 8, volume: 9 });
  });

  it('counts a bin complete when its last lower candle is present, even if nothing follows', () => {
    const full = [c(0, 1, 2, 1, 2, 1), c(1, 2, 3, 2, 3, 1)];
    expect(resampleCandles(full, '1h', '2h')).toEqual([{ ts: T0, open: 1, high: 3, low: 1, close: 3, volume: 2 }]);
    expect(resampleCandles(full.slice(0, 1), '1h', '2h')).toEqual([]);
  });

  it('refuses timeframes that are not a larger whole multiple', () => {
    expect(() => resampleCandles(hours, '4h', '1h')).toThrow(/larger whole multiple/);
    expect(() => resampleCandles(hours, '3m', '5m')).toThrow(/larger whole multiple/);
  });

  it('builds weekly candles from Monday 00:00 UTC', () => {
    const days = loadSampleCandles('binance_BTCUSDT_1d_2024-07').slice(0, 14);
    const weeks = resampleCandles(days, '1d', '1w');
    // 2024-07-10 is a Wednesday, so the first week (from Monday 07-08) is partial but ended: kept; next starts 07-15.
    expect(weeks.map((w) => new Date(w.ts).toISOString())).toEqual(['2024-07-08T00:00:00.000Z', '2024-07-15T00:00:00.000Z']);
    expect(weeks[1].open).toBe(days[5].open);
    expect(weeks[1].close).toBe(days[11].close);
  });
});

describe('CandleResampler (streaming)', () => {
  it('emits each higher candle as soon as its last lower candle closes', () => {
    const r = new CandleResampler('1h', '2h');
    expect(r.push(c(0, 1, 2, 1, 2, 1))).toEqual([]);
    expect(r.partial()).toEqual({ ts: T0, open: 1, high: 2, low: 1, close: 2, volume: 1 });
    expect(r.push(c(1, 2, 3, 2, 3, 1))).toEqual([{ ts: T0, open: 1, high: 3, low: 1, close: 3, volume: 2 }]);
    expect(r.partial()).toBeUndefined();
  });

  it('closes a bin when a later bin starts (its last lower candle was missing)', () => {
    const r = new CandleResampler('1h', '2h');
    r.push(c(0, 1, 2, 1, 2, 1));
    expect(r.push(c(2, 5, 6, 4, 5, 1))).toEqual([{ ts: T0, open: 1, high: 2, low: 1, close: 2, volume: 1 }]);
  });

  it('produces exactly the batch result on real 1m data, candle by candle', () => {
    const minutes = loadSampleCandles('binance_BTCUSDT_1m').slice(0, 5000);
    const r = new CandleResampler('1m', '15m');
    const streamed = minutes.flatMap((m) => r.push(m));
    expect(streamed).toEqual(resampleCandles(minutes, '1m', '15m'));
  });

  it('refuses out-of-order or repeated candles', () => {
    const r = new CandleResampler('1h', '4h');
    r.push(c(1, 1, 1, 1, 1, 1));
    expect(() => r.push(c(1, 1, 1, 1, 1, 1))).toThrow(/strictly ascending/);
    expect(() => r.push(c(0, 1, 1, 1, 1, 1))).toThrow(/strictly ascending/);
  });
});
