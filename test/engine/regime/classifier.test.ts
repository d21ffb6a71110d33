import { describe, expect, it } from 'vitest';
import { classifyRegimes, RegimeClassifier } from '../../../src/engine/regime/classifier.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { computeIndicator, toSeries } from '../../../src/engine/indicators/index.ts';
import { syntheticCandles } from './synthetic.ts';

describe('regime classifier', () => {
  it('reads the volatility median and panic quantile of the quantile indicators, bit for bit', () => {
    // One sorted window serves both quantiles inside the classifier; the indicators each keep their own.
    const candles = loadSampleCandles('binance_BTCUSDT_15m').slice(0, 6000);
    const series = toSeries(candles);
    const median = computeIndicator('quantile:300:0.5:hv:20', series)['quantile:300:0.5:hv:20'];
    const panic = computeIndicator('quantile:300:0.95:hv:20', series)['quantile:300:0.95:hv:20'];
    const hv = computeIndicator('hv:20', series)['hv:20'];
    const classifier = new RegimeClassifier();
    let known = 0;
    candles.forEach((c, i) => {
      classifier.update(c);
      const inputs = classifier.inputs!;
      expect(Object.is(inputs.volatility, hv[i]), `hv at ${i}`).toBe(true);
      expect(Object.is(inputs.volatilityMedian, median[i]), `median at ${i}`).toBe(true);
      expect(Object.is(inputs.volatilityPanic, panic[i]), `panic quantile at ${i}`).toBe(true);
      if (Number.isFinite(panic[i])) known++;
    });
    expect(known).toBeGreaterThan(5000);
  });

  it('is causal: its readings up to candle t never change when later candles arrive', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_1h').slice(0, 3000);
    const full = classifyRegimes(candles);
    expect(full.filter((r) => r.regime !== undefined).length).toBeGreaterThan(2000);
    for (const cut of [400, 1234, 2999]) {
      expect(classifyRegimes(candles.slice(0, cut))).toEqual(full.slice(0, cut));
    }
    // And it does not read ahead: changing every candle after `cut` leaves readings up to `cut` as they were.
    const altered = candles.map((c, i) => (i < 1500 ? c : { ...c, open: c.open * 0.5, high: c.high * 0.5, low: c.low * 0.5, close: c.close * 0.5 }));
    expect(classifyRegimes(altered).slice(0, 1500)).toEqual(full.slice(0, 1500));
  });

  it('is unknown while warming up, then names quiet ranges, trends and a crash', () => {
    const candles = syntheticCandles(
      [
        { bars: 400, drift: 0, vol: 0.004 }, // quiet range (also the volatility warm-up)
        { bars: 150, drift: 0.004, vol: 0.003 }, // steady climb
        { bars: 150, drift: -0.004, vol: 0.003 }, // steady decline
        { bars: 100, drift: 0, vol: 0.002 }, // very quiet range
        { bars: 12, drift: -0.03, vol: 0.03 }, // crash
      ],
      7,
    );
    const classifier = new RegimeClassifier();
    const readings = candles.map((c) => classifier.update(c));
    expect(readings.slice(0, classifier.warmup - 1).every((r) => r.raw === undefined && r.regime === undefined)).toBe(true);
    const at = (i: number) => readings[i].regime;
    expect(at(399)).toMatch(/^range_/);
    expect(at(540)).toBe('trend_up');
    expect(at(690)).toBe('trend_down');
    expect(at(795)).toBe('range_lowvol');
    // The crash is seen raw at once; the regime in force follows after min_bars_hold candles of it.
    const crash = readings.slice(800);
    const firstPanicRaw = crash.findIndex((r) => r.raw === 'panic');
    const firstPanic = crash.findIndex((r) => r.regime === 'panic');
    expect(firstPanicRaw).toBeGreaterThanOrEqual(0);
    expect(firstPanic).toBeGreaterThanOrEqual(firstPanicRaw + 5);
  });
});
