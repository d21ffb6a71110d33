/**
 * The two paths and the streaming contract: batch and streaming give IDENTICAL numbers (bit for bit) on real data,
 * values at t never change when later candles arrive (no look-ahead), and warm-up / isStable behave as documented.
 */
import { describe, expect, it } from 'vitest';
import { computeIndicator, createIndicator, outputWarmups, parseIndicatorSpec, toSeries } from '../../../src/engine/indicators/index.ts';
import { InputError } from '../../../src/engine/errors.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const SPECS = [
  'sma:20', 'ema:21', 'wma:20', 'rsi:14', 'tr', 'atr:14', 'adx:14', 'macd:12:26:9', 'bb:20:2', 'bb:10:1.5',
  'stoch:14:3:3', 'stochf:14:3', 'donchian:20', 'hv:20', 'hv:10:8760', 'vz:20', 'vwap', 'vwap:week',
  'quantile:100:0.8', 'quantile:30:0.2:atr:14', 'quantile:10:0.5:volume', 'slope:20', 'slope:20:ema:50',
];

const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
const series = toSeries(candles);

describe.each(SPECS)('%s', (spec) => {
  const batch = computeIndicator(spec, series);

  it('streaming equals batch bit for bit, and nothing appears before each output warm-up', () => {
    const indicator = createIndicator(spec);
    expect(indicator.outputs).toEqual(Object.keys(batch));
    for (let i = 0; i < candles.length; i++) {
      indicator.update(candles[i]);
      for (const name of indicator.outputs) {
        const streamed = indicator.value(name);
        if (!Object.is(streamed, batch[name][i])) expect.fail(`${name} at ${i}: streaming ${streamed}, batch ${batch[name][i]}`);
      }
    }
    for (const name of indicator.outputs) {
      const firstValue = batch[name].findIndex((x) => !Number.isNaN(x));
      expect(firstValue, name).toBe(indicator.outputWarmup[name]);
      expect(batch[name].subarray(firstValue).some(Number.isNaN), `${name} has a gap after warm-up`).toBe(false);
    }
    expect(indicator.warmup).toBe(Math.max(...outputWarmups(parseIndicatorSpec(spec))));
  });

  it('values at t do not change when later candles arrive', () => {
    const prefix = computeIndicator(spec, toSeries(candles.slice(0, 3000)));
    for (const name of Object.keys(batch)) {
      expect(Array.from(prefix[name])).toEqual(Array.from(batch[name].subarray(0, 3000)));
    }
  });
});

describe('streaming contract', () => {
  it('isStable turns true exactly on candle index `warmup`; value is NaN before', () => {
    const macd = createIndicator('macd:12:26:9');
    expect(macd.warmup).toBe(33);
    for (let i = 0; i < 40; i++) {
      macd.update(candles[i]);
      expect(macd.isStable, `after candle ${i}`).toBe(i >= 33);
      expect(Number.isNaN(macd.value('signal')), `after candle ${i}`).toBe(i < 33);
    }
    expect(macd.value()).toBe(macd.value('macd:12:26:9.macd'));
    expect(macd.value('hist')).toBe(macd.value('macd') - macd.value('signal'));
  });

  it('ADX publishes +DI/−DI from index period, ADX (and isStable) from 2·period−1', () => {
    const adx = createIndicator('adx:14');
    expect(adx.outputWarmup).toEqual({ 'adx:14.adx': 27, 'adx:14.pdi': 14, 'adx:14.mdi': 14 });
    for (let i = 0; i <= 14; i++) adx.update(candles[i]);
    expect(adx.value('pdi')).not.toBeNaN();
    expect(adx.value('adx')).toBeNaN();
    expect(adx.isStable).toBe(false);
  });

  it('rejects a repeated or older candle (it would corrupt the running state)', () => {
    const rsi = createIndicator('rsi:14');
    rsi.update(candles[0]);
    expect(() => rsi.update(candles[0])).toThrow(InputError);
    expect(() => rsi.update(candles[0])).toThrow(/not after/);
  });

  it('rejects an unknown output name, listing the outputs', () => {
    expect(() => createIndicator('bb:20:2').value('mid')).toThrow(/bb:20:2\.upper, bb:20:2\.middle, bb:20:2\.lower/);
  });
});
