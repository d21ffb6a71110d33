/**
 * Indicators TA-Lib's reference files do not contain (WMA, Donchian, HV, volume z-score, VWAP, rolling quantile,
 * regression slope), checked on tiny inputs whose answers are worked out in the comments.
 */
import { describe, expect, it } from 'vitest';
import { computeIndicator, toSeries } from '../../../src/engine/indicators/index.ts';
import type { Candle } from '../../../src/engine/types.ts';

const HOUR = 3_600_000;
/** Sunday 2024-07-07 00:00 UTC. */
const SUNDAY = 1_720_310_400_000;

function candlesFrom(closes: number[], extra: Partial<Candle>[] = []): Candle[] {
  return closes.map((close, i) => ({ ts: SUNDAY + i * HOUR, open: close, high: close, low: close, close, volume: 1, ...extra[i] }));
}

function run(spec: string, candles: Candle[]): Record<string, number[]> {
  const result = computeIndicator(spec, toSeries(candles));
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, Array.from(v)]));
}

function expectValues(got: number[], expected: number[]) {
  expect(got.length).toBe(expected.length);
  expected.forEach((e, i) => {
    if (Number.isNaN(e)) expect(got[i], `index ${i}`).toBeNaN();
    else expect(got[i], `index ${i}`).toBeCloseTo(e, 12);
  });
}

describe('hand-computed cases', () => {
  it('wma:3 weights 1,2,3 over divisor 6', () => {
    // [1,2,3] → (1+4+9)/6 = 14/6; [2,3,4] → (2+6+12)/6 = 20/6; [3,4,5] → (3+8+15)/6 = 26/6.
    expectValues(run('wma:3', candlesFrom([1, 2, 3, 4, 5]))['wma:3'], [NaN, NaN, 14 / 6, 20 / 6, 26 / 6]);
  });

  it('donchian:3 is the highest high / lowest low of the last 3 candles', () => {
    const highs = [5, 7, 6, 4, 3];
    const lows = [2, 3, 1, 2, 2];
    const candles = candlesFrom([4, 5, 3, 3, 2], highs.map((high, i) => ({ high, low: lows[i] })));
    const d = run('donchian:3', candles);
    // windows: rows 0-2 → 7/1, rows 1-3 → 7/1, rows 2-4 → 6/1.
    expectValues(d['donchian:3.upper'], [NaN, NaN, 7, 7, 6]);
    expectValues(d['donchian:3.lower'], [NaN, NaN, 1, 1, 1]);
    expectValues(d['donchian:3.middle'], [NaN, NaN, 4, 4, 3.5]);
  });

  it('hv:2:1 is the sample standard deviation of the last 2 log returns; :365 scales by √365', () => {
    // Returns: ln(110/100) = ln 1.1, ln(99/110) = ln 0.9, ln(99/99) = 0. For two values the sample sd is |a−b|/√2.
    const first = Math.abs(Math.log(1.1) - Math.log(0.9)) / Math.SQRT2; // 0.1418956095…
    const second = Math.abs(Math.log(0.9) - 0) / Math.SQRT2;
    expect(first).toBeCloseTo(0.14189560954670766, 15);
    const candles = candlesFrom([100, 110, 99, 99]);
    expectValues(run('hv:2:1', candles)['hv:2:1'], [NaN, NaN, first, second]);
    expectValues(run('hv:2', candles)['hv:2'], [NaN, NaN, first * Math.sqrt(365), second * Math.sqrt(365)]);
  });

  it('vz:3 is (v − mean)/population sd over the last 3 volumes', () => {
    // [1,2,3]: mean 2, variance 2/3 → z = 1/√(2/3) = √1.5. [2,3,10]: mean 5, variance (9+4+25)/3 = 38/3 → z = 5/√(38/3).
    // [3,10,4]: mean 17/3, deviations −8/3, 13/3, −5/3 → variance (64+169+25)/27 = 258/27, z = (−5/3)/√(258/27).
    // [10,4,4]: mean 6, deviations 4, −2, −2 → variance 24/3 = 8, z = −2/√8. [4,4,4]: flat → 0.
    const volumes = [1, 2, 3, 10, 4, 4, 4];
    const candles = candlesFrom([1, 1, 1, 1, 1, 1, 1], volumes.map((volume) => ({ volume })));
    expectValues(run('vz:3', candles)['vz:3'], [NaN, NaN, Math.sqrt(1.5), 5 / Math.sqrt(38 / 3), -5 / 3 / Math.sqrt(258 / 27), -2 / Math.sqrt(8), 0]);
  });

  it('vwap resets at 00:00 UTC (day) or Monday 00:00 UTC (week)', () => {
    // Typical price (h+l+c)/3: 10, 20, 30, 40. Sunday 00:00 and 12:00, Monday 00:00, Monday 12:00.
    const candles: Candle[] = [
      { ts: SUNDAY, open: 10, high: 12, low: 8, close: 10, volume: 1 },
      { ts: SUNDAY + 12 * HOUR, open: 20, high: 22, low: 18, close: 20, volume: 3 },
      { ts: SUNDAY + 24 * HOUR, open: 30, high: 33, low: 27, close: 30, volume: 2 },
      { ts: SUNDAY + 36 * HOUR, open: 40, high: 41, low: 39, close: 40, volume: 2 },
    ];
    // Day: Sunday (10·1 + 20·3)/4 = 17.5; Monday restarts: 30, then (30·2 + 40·2)/4 = 35.
    expectValues(run('vwap', candles).vwap, [10, 17.5, 30, 35]);
    expectValues(run('vwap:day', candles)['vwap:day'], [10, 17.5, 30, 35]);
    // Week: Monday starts a new week too, so the same split; add the next Sunday (same week as Monday): keeps going.
    const week = [...candles, { ts: SUNDAY + 7 * 24 * HOUR, open: 50, high: 50, low: 50, close: 50, volume: 4 }];
    // (30·2 + 40·2 + 50·4)/8 = 340/8 = 42.5
    expectValues(run('vwap:week', week)['vwap:week'], [10, 17.5, 30, 35, 42.5]);
    // Zero volume so far in the session: the typical price itself.
    expectValues(run('vwap', [{ ...candles[0], volume: 0 }]).vwap, [10]);
  });

  it('quantile uses linear interpolation between order statistics', () => {
    // [3,1,4,1,5] sorted [1,1,3,4,5]: h = 4·0.8 = 3.2 → 4 + 0.2·(5−4) = 4.2; then [1,4,1,5,9] sorted [1,1,4,5,9] →
    // 5 + 0.2·4 = 5.8; then [4,1,5,9,2] sorted [1,2,4,5,9] → 5.8. Median (q = 0.5) of the first window is 3.
    const candles = candlesFrom([3, 1, 4, 1, 5, 9, 2]);
    expectValues(run('quantile:5:0.8', candles)['quantile:5:0.8'], [NaN, NaN, NaN, NaN, 4.2, 5.8, 5.8]);
    expectValues(run('quantile:5:0.5', candles)['quantile:5:0.5'], [NaN, NaN, NaN, NaN, 3, 4, 4]);
    expectValues(run('quantile:5:1', candles)['quantile:5:1'], [NaN, NaN, NaN, NaN, 5, 9, 9]);
    expectValues(run('quantile:5:0', candles)['quantile:5:0'], [NaN, NaN, NaN, NaN, 1, 1, 1]);
  });

  it('quantile of another indicator starts after that indicator warms up', () => {
    // tr needs a previous close: TRs of these flat candles are |close − prev close| = 2, 1, 4 → median of 3 = 2.
    const candles = candlesFrom([10, 12, 11, 15]);
    expectValues(run('quantile:3:0.5:tr', candles)['quantile:3:0.5:tr'], [NaN, NaN, NaN, 2]);
    expectValues(run('quantile:2:0.5:volume', candles)['quantile:2:0.5:volume'], [NaN, 1, 1, 1]);
  });

  it('slope:3 is the least-squares slope per candle', () => {
    // [1,3,5] → 2. [3,5,4]: x̄ = 1, ȳ = 4, Σ(x−x̄)(y−ȳ) = (−1)(−1) + 0 + (1)(0) = 1, Σ(x−x̄)² = 2 → 0.5.
    // [5,4,0]: ȳ = 3, Σ = (−1)(2) + 0 + (1)(−3) = −5 → −2.5.
    expectValues(run('slope:3', candlesFrom([1, 3, 5, 4, 0]))['slope:3'], [NaN, NaN, 2, 0.5, -2.5]);
  });
});
