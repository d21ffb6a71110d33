/**
 * Non-TA-Lib indicators against straightforward O(n·window) recomputations written here, on real candles
 * (BTCUSDT 1h, 8,777 candles). The fast versions keep running sums / deques / a sorted window; these recompute
 * each window from scratch, so drift, deque bugs or off-by-one windows show up.
 */
import { describe, expect, it } from 'vitest';
import { computeIndicator, toSeries } from '../../../src/engine/indicators/index.ts';
import type { Candle } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
const series = toSeries(candles);
const n = candles.length;

/** Naive value per index (NaN before the window is full). */
function naive(window: number, f: (start: number, end: number) => number, warmup = window - 1): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  for (let i = warmup; i < n; i++) out[i] = f(i - window + 1, i + 1);
  return out;
}

function expectClose(got: Float64Array, expected: Float64Array, relTol: number) {
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(expected[i])) {
      expect(got[i], `index ${i}`).toBeNaN();
      continue;
    }
    const tolerance = relTol * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
      expect.fail(`index ${i}: expected ${expected[i]}, got ${got[i]}`);
    }
  }
}

const close = (i: number) => candles[i].close;
const mean = (start: number, end: number, v: (i: number) => number) => {
  let s = 0;
  for (let i = start; i < end; i++) s += v(i);
  return s / (end - start);
};
function quantileOf(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

describe('fast indicators equal naive recomputation on real data', () => {
  it.each([5, 20, 50])('wma:%i', (w) => {
    const expected = naive(w, (s, e) => {
      let sum = 0;
      for (let i = s; i < e; i++) sum += (i - s + 1) * close(i);
      return sum / ((w * (w + 1)) / 2);
    });
    expectClose(computeIndicator(`wma:${w}`, series)[`wma:${w}`], expected, 1e-9);
  });

  // 15 and 31: window+1 is a power of two, the deque's ring-capacity edge case.
  it.each([3, 15, 20, 31])('donchian:%i', (w) => {
    const d = computeIndicator(`donchian:${w}`, series);
    const upper = naive(w, (s, e) => Math.max(...candles.slice(s, e).map((c) => c.high)));
    const lower = naive(w, (s, e) => Math.min(...candles.slice(s, e).map((c) => c.low)));
    expectClose(d[`donchian:${w}.upper`], upper, 0);
    expectClose(d[`donchian:${w}.lower`], lower, 0);
    expectClose(d[`donchian:${w}.middle`], upper.map((u, i) => (u + lower[i]) / 2), 0);
  });

  it('donchian on a steadily falling then rising series (every step expires the extreme)', () => {
    const trend: Candle[] = Array.from({ length: 200 }, (_, i) => {
      const price = i < 100 ? 1000 - i : 800 + i;
      return { ts: i, open: price, high: price + 1, low: price - 1, close: price, volume: 1 };
    });
    const d = computeIndicator('donchian:7', toSeries(trend));
    for (let i = 6; i < trend.length; i++) {
      const window = trend.slice(i - 6, i + 1);
      expect(d['donchian:7.upper'][i]).toBe(Math.max(...window.map((c) => c.high)));
      expect(d['donchian:7.lower'][i]).toBe(Math.min(...window.map((c) => c.low)));
    }
  });

  it.each([20, 50])('hv:%i (sample sd of log returns, two-pass)', (w) => {
    const r = (i: number) => Math.log(close(i) / close(i - 1));
    const expected = naive(
      w,
      (s, e) => {
        const m = mean(s, e, r);
        let ss = 0;
        for (let i = s; i < e; i++) ss += (r(i) - m) ** 2;
        return Math.sqrt((ss / (w - 1)) * 8760);
      },
      w,
    );
    expectClose(computeIndicator(`hv:${w}:8760`, series)[`hv:${w}:8760`], expected, 1e-9);
  });

  it('vz:20 (population sd, two-pass)', () => {
    const v = (i: number) => candles[i].volume;
    const expected = naive(20, (s, e) => {
      const m = mean(s, e, v);
      let ss = 0;
      for (let i = s; i < e; i++) ss += (v(i) - m) ** 2;
      return (v(e - 1) - m) / Math.sqrt(ss / 20);
    });
    expectClose(computeIndicator('vz:20', series)['vz:20'], expected, 1e-9);
  });

  it.each(['day', 'week'] as const)('vwap:%s (sum back to the session start)', (anchor) => {
    const sessionOf = (ts: number) => {
      const d = new Date(ts);
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return anchor === 'day' ? day : day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
    };
    const sessions = candles.map((c) => sessionOf(c.ts));
    const expected = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let pv = 0;
      let vol = 0;
      for (let j = i; j >= 0 && sessions[j] === sessions[i]; j--) {
        pv += ((candles[j].high + candles[j].low + candles[j].close) / 3) * candles[j].volume;
        vol += candles[j].volume;
      }
      expected[i] = pv / vol;
    }
    expectClose(computeIndicator(`vwap:${anchor}`, series)[`vwap:${anchor}`], expected, 1e-9);
  });

  it.each([
    [100, 0.8],
    [20, 0.5],
    [7, 0.1],
    [50, 1],
  ])('quantile:%i:%d of close', (w, q) => {
    const spec = `quantile:${w}:${q}`;
    const expected = naive(w, (s, e) => quantileOf(candles.slice(s, e).map((c) => c.close), q));
    expectClose(computeIndicator(spec, series)[spec], expected, 1e-12);
  });

  // Windows wide enough for the sorted window's long moves (copyWithin, see statistics.ts), as the regime classifier
  // (300 of hv:20) and range_rev (200 of atr:14) read them: the same sorted values and interpolation, bit for bit.
  it.each([
    ['quantile:300:0.5:hv:20', 'hv:20', 300, 0.5],
    ['quantile:300:0.95:hv:20', 'hv:20', 300, 0.95],
    ['quantile:200:0.5:atr:14', 'atr:14', 200, 0.5],
  ] as const)('%s equals the sorted-window quantile exactly', (spec, source, w, q) => {
    const values = computeIndicator(source, series)[source];
    const first = values.findIndex((v) => !Number.isNaN(v));
    const expected = naive(w, (s, e) => quantileOf(Array.from(values.subarray(s, e)), q), first + w - 1);
    expect(Array.from(computeIndicator(spec, series)[spec])).toEqual(Array.from(expected));
  });

  it('quantile with many tied values (prices rounded to 100)', () => {
    const rounded = candles.map((c) => ({ ...c, close: Math.round(c.close / 100) * 100 }));
    const expected = naive(30, (s, e) => quantileOf(rounded.slice(s, e).map((c) => c.close), 0.7));
    expectClose(computeIndicator('quantile:30:0.7', toSeries(rounded))['quantile:30:0.7'], expected, 1e-12);
  });

  it('quantile:50:0.9:atr:14 is the quantile of ATR (itself checked against TA-Lib)', () => {
    const atr = computeIndicator('atr:14', series)['atr:14'];
    const expected = naive(50, (s, e) => quantileOf(Array.from(atr.subarray(s, e)), 0.9), 14 + 49);
    expectClose(computeIndicator('quantile:50:0.9:atr:14', series)['quantile:50:0.9:atr:14'], expected, 1e-12);
  });

  it('slope:20:ema:50 is the slope of EMA (itself checked against TA-Lib), starting once EMA has 20 values', () => {
    const ema = computeIndicator('ema:50', series)['ema:50'];
    const got = computeIndicator('slope:20:ema:50', series)['slope:20:ema:50'];
    expect(got.findIndex((x) => !Number.isNaN(x))).toBe(49 + 19);
    for (let i = 49 + 19; i < n; i++) {
      // Least squares with x = 0..19, x̄ = 9.5, Σ(x−x̄)² = 665.
      const ym = mean(i - 19, i + 1, (j) => ema[j]);
      let num = 0;
      for (let j = i - 19; j <= i; j++) num += (j - (i - 19) - 9.5) * (ema[j] - ym);
      if (!(Math.abs(got[i] - num / 665) < 1e-9 * ema[i])) expect.fail(`index ${i}: ${got[i]} vs ${num / 665}`);
    }
  });

  it.each([2, 20, 100])('slope:%i (least squares per window)', (w) => {
    const expected = naive(w, (s, e) => {
      const xm = (w - 1) / 2;
      const ym = mean(s, e, close);
      let num = 0;
      let den = 0;
      for (let i = s; i < e; i++) {
        num += (i - s - xm) * (close(i) - ym);
        den += (i - s - xm) ** 2;
      }
      return num / den;
    });
    // The running sums cancel at ~1e-16 of Σi·y (≈ price·window²), so compare on the price scale.
    const got = computeIndicator(`slope:${w}`, series)[`slope:${w}`];
    for (let i = w - 1; i < n; i++) {
      if (!(Math.abs(got[i] - expected[i]) < 1e-9 * close(i))) expect.fail(`index ${i}: ${got[i]} vs ${expected[i]}`);
    }
    expect(got.subarray(0, w - 1).every(Number.isNaN)).toBe(true);
  });
});
