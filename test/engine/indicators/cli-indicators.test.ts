/**
 * `ita indicators` core: real sample CSV in, cells checked against the TA-Lib reference computed on the same rows
 * (talib_binance_BTCUSDT_1d_first500 = rows 0–499 of data/samples/binance_BTCUSDT_1d.csv).
 */
import { describe, expect, it } from 'vitest';
import { buildIndicatorTable, writeIndicatorTable } from '../../../src/cli/commands/indicators.ts';
import { readCandlesFromCsv } from '../../../src/engine/market/csv/read-candles.ts';
import { InputError } from '../../../src/engine/errors.ts';
import { samplePath } from '../../helpers/candles.ts';
import { readReference, type TalibFixture } from './reference.ts';

const IND = 'rsi:14,ema:21,atr:14,macd:12:26:9,bb:20:2,adx:14,stoch:14:3:3';
const fixture = readReference<TalibFixture>('talib_binance_BTCUSDT_1d_first500');
const talib = (key: string, output = 'outReal') => fixture.indicators[key].outputs[output];

function render(format: 'csv' | 'json', rows = 500): string {
  const candles = readCandlesFromCsv(samplePath('binance_BTCUSDT_1d')).slice(0, rows);
  let text = '';
  writeIndicatorTable(buildIndicatorTable(candles, IND), format, (chunk) => (text += chunk));
  return text;
}

const HEADER = [
  'ts', 'rsi:14', 'ema:21', 'atr:14', 'macd:12:26:9.macd', 'macd:12:26:9.signal', 'macd:12:26:9.hist',
  'bb:20:2.upper', 'bb:20:2.middle', 'bb:20:2.lower', 'adx:14.adx', 'adx:14.pdi', 'adx:14.mdi',
  'stoch:14:3:3.k', 'stoch:14:3:3.d',
];

describe('ita indicators (core)', () => {
  it('prints csv with ts first, one column per output, empty before warm-up, values equal to TA-Lib', () => {
    const lines = render('csv').trimEnd().split('\n');
    expect(lines[0].split(',')).toEqual(HEADER);
    expect(lines).toHaveLength(501);
    const row = (i: number) => lines[i + 1].split(',');
    const col = (name: string) => HEADER.indexOf(name);

    expect(Number(row(0)[0])).toBe(fixture.input.ts[0]);
    expect(row(13)[col('rsi:14')]).toBe('');
    expect(Number(row(14)[col('rsi:14')])).toBeCloseTo(talib('RSI_14')[14]!, 9);
    expect(row(32)[col('macd:12:26:9.signal')]).toBe('');
    expect(Number(row(33)[col('macd:12:26:9.signal')])).toBeCloseTo(talib('MACD_12_26_9', 'outMACDSignal')[33]!, 9);
    expect(row(26)[col('adx:14.adx')]).toBe('');
    expect(Number(row(27)[col('adx:14.adx')])).toBeCloseTo(talib('ADX_14')[27]!, 9);
    expect(row(13)[col('adx:14.pdi')]).toBe('');
    expect(Number(row(14)[col('adx:14.pdi')])).toBeCloseTo(talib('PLUS_DI_14')[14]!, 9);
    const last = 499;
    expect(Number(row(last)[col('ema:21')])).toBeCloseTo(talib('EMA_21')[last]!, 6);
    expect(Number(row(last)[col('atr:14')])).toBeCloseTo(talib('ATR_14')[last]!, 6);
    expect(Number(row(last)[col('bb:20:2.lower')])).toBeCloseTo(talib('BBANDS_20_2', 'outRealLowerBand')[last]!, 6);
    expect(Number(row(last)[col('stoch:14:3:3.d')])).toBeCloseTo(talib('STOCH_14_3_3', 'outSlowD')[last]!, 9);
    expect(Number(row(last)[col('macd:12:26:9.hist')])).toBeCloseTo(talib('MACD_12_26_9', 'outMACDHist')[last]!, 9);
  });

  it('prints numbers in shortest round-trip form (String(x))', () => {
    const cell = render('csv').split('\n')[20].split(',')[HEADER.indexOf('bb:20:2.middle')];
    expect(cell).toBe(String(Number(cell)));
    expect(Number(cell)).toBe(talib('BBANDS_20_2', 'outRealMiddleBand')[19]);
  });

  it('prints json rows with null before warm-up', () => {
    const rows = JSON.parse(render('json', 40)) as Record<string, number | null>[];
    expect(rows).toHaveLength(40);
    expect(Object.keys(rows[0])).toEqual(HEADER);
    expect(rows[13]['rsi:14']).toBeNull();
    expect(rows[14]['rsi:14']).toBeCloseTo(talib('RSI_14')[14]!, 9);
    expect(rows[33]['macd:12:26:9.hist']).toBeCloseTo(talib('MACD_12_26_9', 'outMACDHist')[33]!, 9);
  });

  it('rejects a bad spec in --ind with an InputError naming it', () => {
    const candles = readCandlesFromCsv(samplePath('binance_BTCUSDT_1d')).slice(0, 10);
    expect(() => buildIndicatorTable(candles, 'rsi:14,macd:12')).toThrow(InputError);
    expect(() => buildIndicatorTable(candles, 'rsi:14,macd:12')).toThrow(/"macd:12": missing SLOW/);
    expect(() => buildIndicatorTable(candles, ' , ')).toThrow(/at least one indicator/);
  });
});
