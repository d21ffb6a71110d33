import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCandleFile, readCandlesFromCsv } from '../../../../src/engine/market/csv/read-candles.ts';
import { parseCandleCsv } from '../../../../src/engine/market/csv/parse-csv.ts';
import type { Timeframe } from '../../../../src/engine/types.ts';
import { loadSampleCandles, ROOT } from '../../../helpers/candles.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/csv');

/** Each fixture was converted from the first 50 rows of a data/samples file; reading it must give those candles back. */
const CASES: { fixture: string; sample: string; tf: Timeframe; format: string; volumeNote?: RegExp }[] = [
  { fixture: 'canonical_BTCUSDT_1h.csv', sample: 'binance_BTCUSDT_1h_2024-07', tf: '1h', format: 'canonical' },
  { fixture: 'binance_kline_ms_BTCUSDT_1h.csv', sample: 'binance_BTCUSDT_1h_2024-07', tf: '1h', format: 'binance-kline' },
  { fixture: 'binance_kline_us_BTCUSDT_1h.csv', sample: 'binance_BTCUSDT_1h_2024-07', tf: '1h', format: 'binance-kline' },
  { fixture: 'tradingview_unix_BTCUSDT_4h.csv', sample: 'binance_BTCUSDT_4h_2024-07', tf: '4h', format: 'tradingview' },
  { fixture: 'tradingview_iso_BTCUSDT_1d.csv', sample: 'binance_BTCUSDT_1d_2024-07', tf: '1d', format: 'tradingview' },
  { fixture: 'mt5_EURUSD_1h.csv', sample: 'fx_EURUSD_1h', tf: '1h', format: 'metatrader', volumeNote: /tick volume/ },
  { fixture: 'mt5_GOOG_1d.csv', sample: 'nasdaq_GOOG_1d', tf: '1d', format: 'metatrader', volumeNote: /Volume\/<VOL>/ },
];

describe('format detection and reading', () => {
  for (const { fixture, sample, tf, format, volumeNote } of CASES) {
    it(`${fixture} reads back as ${sample}`, () => {
      const parsed = readCandleFile(path.join(FIXTURES, fixture), tf);
      expect(parsed.format.id).toBe(format);
      expect(parsed.candles).toEqual(loadSampleCandles(sample).slice(0, 50));
      if (volumeNote) expect(parsed.volumeNote).toMatch(volumeNote);
    });
  }

  it('reads the MetaTrader-style CSV of the smart-money-concepts fixture (naive time = UTC, tick volume)', () => {
    const parsed = readCandleFile(path.join(FIXTURES, 'metatrader_EURUSD_15m.csv'), '15m');
    expect(parsed.format.id).toBe('metatrader');
    expect(parsed.volumeNote).toMatch(/tick volume/);
    expect(parsed.candles).toHaveLength(50);
    // Rows 1 and 2 of the file: "2022.10.10 00:00:00,0.97312,0.97369,0.97312,0.97357,60,0,20" and the 00:15 row.
    expect(parsed.candles[0]).toEqual({ ts: Date.UTC(2022, 9, 10, 0, 0), open: 0.97312, high: 0.97369, low: 0.97312, close: 0.97357, volume: 60 });
    expect(parsed.candles[1]).toEqual({ ts: Date.UTC(2022, 9, 10, 0, 15), open: 0.9735, high: 0.97362, low: 0.97328, close: 0.97362, volume: 57 });
  });

  it('keeps the public readCandlesFromCsv(file) contract', () => {
    expect(readCandlesFromCsv(path.join(FIXTURES, 'canonical_BTCUSDT_1h.csv'))).toHaveLength(50);
  });

  it('applies ISO zone offsets, takes naive ISO as UTC, and tolerates a BOM and CRLF', () => {
    const text = '\uFEFFtime,open,high,low,close\r\n2024-07-10T02:00:00+02:00,1,2,0.5,1.5\r\n2024-07-10 01:00,1,2,0.5,1.5\r\n';
    const { candles, problems } = parseCandleCsv(text, { timeframe: '1h' });
    expect(problems).toEqual([]);
    expect(candles.map((c) => c.ts)).toEqual([Date.UTC(2024, 6, 10, 0), Date.UTC(2024, 6, 10, 1)]);
    expect(candles[0].volume).toBe(0);
  });

  it('detects a Binance kline file with an open_time header', () => {
    const text = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n' +
      '1735689600000000,93576.0,93610.93,93537.5,93610.93,8.21827,1735689659999999,768978.1,1000,4.0,374489.0,0\n';
    const { format, candles } = parseCandleCsv(text, { timeframe: '1m' });
    expect(format.id).toBe('binance-kline');
    expect(candles[0].ts).toBe(Date.UTC(2025, 0, 1));
  });

  it('refuses epoch seconds in the canonical format', () => {
    const { problems } = parseCandleCsv('ts,open,high,low,close,volume\n1720569600,1,2,0.5,1.5,3\n');
    expect(problems).toEqual([{ line: 2, message: 'ts looks like seconds, expected epoch milliseconds: "1720569600"' }]);
  });
});

describe('row checks on inline text', () => {
  it('refuses a timestamp beyond the date range and a non-finite price, by line', () => {
    const text = 'ts,open,high,low,close,volume\n1720569600000,1,2,0.5,1.5,3\n99999999999999999,1,2,0.5,1.5,3\n1720576800000,1,Infinity,0.5,1.5,3\n';
    const { problems } = parseCandleCsv(text);
    expect(problems.map((p) => p.line)).toEqual([3, 4]);
    expect(problems[0].message).toMatch(/outside the representable date range/);
    expect(problems[1].message).toBe('high is not a number: "Infinity"');
  });
});
