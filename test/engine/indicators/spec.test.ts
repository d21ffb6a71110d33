/** The spec notation: accepted forms, output naming, and InputErrors that name the spec and the allowed forms. */
import { describe, expect, it } from 'vitest';
import { createIndicator, outputNames, outputWarmups, parseIndicatorSpec } from '../../../src/engine/indicators/index.ts';
import { InputError } from '../../../src/engine/errors.ts';

describe('parseIndicatorSpec', () => {
  it.each([
    ['macd:12:26:9', ['macd:12:26:9.macd', 'macd:12:26:9.signal', 'macd:12:26:9.hist']],
    ['bb:20:2', ['bb:20:2.upper', 'bb:20:2.middle', 'bb:20:2.lower']],
    ['stoch:14:3:3', ['stoch:14:3:3.k', 'stoch:14:3:3.d']],
    ['stochf:14:3', ['stochf:14:3.k', 'stochf:14:3.d']],
    ['adx:14', ['adx:14.adx', 'adx:14.pdi', 'adx:14.mdi']],
    ['donchian:20', ['donchian:20.upper', 'donchian:20.middle', 'donchian:20.lower']],
    ['rsi:14', ['rsi:14']],
    ['tr', ['tr']],
    ['vwap', ['vwap']],
    ['vwap:week', ['vwap:week']],
    ['quantile:100:0.8:atr:14', ['quantile:100:0.8:atr:14']],
    ['slope:20:ema:200', ['slope:20:ema:200']],
    [' EMA:21 ', ['ema:21']],
  ])('%s → outputs %j', (spec, outputs) => {
    expect(outputNames(parseIndicatorSpec(spec))).toEqual(outputs);
    expect(createIndicator(spec).outputs).toEqual(outputs);
  });

  it('fills documented defaults: bb K = 2, hv periods per year = 365, vwap anchor = day, quantile source = close', () => {
    expect(parseIndicatorSpec('bb:20').params).toEqual([20, 2]);
    expect(parseIndicatorSpec('hv:20').params).toEqual([20, 365]);
    expect(parseIndicatorSpec('vwap').anchor).toBe('day');
    expect(parseIndicatorSpec('quantile:100:0.8').source).toBe('close');
    expect(parseIndicatorSpec('quantile:100:0.8:atr:14').source).toMatchObject({ name: 'atr', params: [14] });
    expect(parseIndicatorSpec('slope:20').source).toBe('close');
    expect(parseIndicatorSpec('slope:20:ema:200').source).toMatchObject({ name: 'ema', params: [200] });
  });

  it('warm-ups follow TA-Lib lookbacks (first valid index)', () => {
    const warm = (s: string) => outputWarmups(parseIndicatorSpec(s));
    expect(warm('sma:20')).toEqual([19]);
    expect(warm('ema:9')).toEqual([8]);
    expect(warm('rsi:14')).toEqual([14]);
    expect(warm('tr')).toEqual([1]);
    expect(warm('atr:14')).toEqual([14]);
    expect(warm('macd:12:26:9')).toEqual([33, 33, 33]);
    expect(warm('adx:14')).toEqual([27, 14, 14]);
    expect(warm('stoch:14:3:3')).toEqual([17, 17]);
    expect(warm('stochf:14:3')).toEqual([15, 15]);
    expect(warm('hv:20')).toEqual([20]);
    expect(warm('vwap')).toEqual([0]);
    expect(warm('quantile:100:0.8:atr:14')).toEqual([113]);
    expect(warm('slope:20')).toEqual([19]);
    expect(warm('slope:20:ema:200')).toEqual([218]);
  });

  it.each([
    ['rsx:14', /unknown indicator "rsx"/],
    ['rsi', /missing N/],
    ['rsi:x', /N must be a whole number, got "x"/],
    ['rsi:1', /N must be in 2\.\.100000/],
    ['sma:20:3', /at most 1 parameter/],
    ['sma:2.5', /whole number/],
    ['macd:26:12:9', /FAST \(26\) must be below SLOW \(12\)/],
    ['bb:20:-1', /K must be a number/],
    ['quantile:100:1.5', /Q must be in 0\.\.1/],
    ['quantile:100:0.8:bb:20:2', /SOURCE must have one output/],
    ['quantile:100:0.8:foo', /unknown indicator "foo"/],
    ['slope:20:macd:12:26:9', /slope SOURCE must have one output/],
    ['slope:20:rsi:1', /N must be in 2\.\.100000, got 1/],
    ['vwap:month', /anchor, day or week/],
    ['', /unknown indicator ""/],
  ])('rejects %j with an InputError naming the spec and the allowed forms', (spec, reason) => {
    let error: unknown;
    try {
      parseIndicatorSpec(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).toContain(`"${spec}"`);
    expect(message).toMatch(reason);
    expect(message).toContain('allowed forms: sma:N, ema:N');
    expect(message).toContain('macd:FAST:SLOW:SIGNAL');
    expect((error as InputError).details).toMatchObject({ field: 'indicator', value: spec });
  });
});
