/**
 * The columnar fast lane reads exactly what the full parser reads: the same numbers, bit for bit, for every shared
 * real candle file, and null (so the caller falls back to the full parser and its line-numbered errors) for any
 * file the full parser would refuse or that is not the plain canonical format.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../helpers/candles.ts';
import { readCandleColumns } from '../../../../src/engine/market/csv/read-columns.ts';
import { readCandleFile } from '../../../../src/engine/market/csv/read-candles.ts';
import { candlesOf } from '../../../../src/engine/market/columns.ts';

const shared = path.join(ROOT, '../shared/data');
const files = [
  ...readdirSync(shared).filter((f) => f.endsWith('.csv')).map((f) => path.join(shared, f)),
  ...readdirSync(path.join(ROOT, 'data/samples')).filter((f) => f.endsWith('.csv')).map((f) => path.join(ROOT, 'data/samples', f)),
];
const dir = mkdtempSync(path.join(tmpdir(), 'ita-columns-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const HEADER = 'ts,open,high,low,close,volume\n';

describe('readCandleColumns', () => {
  it('has real files to compare', () => expect(files.length).toBeGreaterThan(10));

  for (const file of files) {
    it(`${path.basename(file)}: same candles as the full parser, or null`, () => {
      const columns = readCandleColumns(file);
      let full: ReturnType<typeof readCandleFile> | undefined;
      try {
        full = readCandleFile(file);
      } catch {
        full = undefined;
      }
      if (full && full.format.id === 'canonical' && full.problems.length === 0 && columns) {
        expect(columns.length).toBe(full.candles.length);
        expect(candlesOf(columns)).toEqual(full.candles);
      } else if (!full || full.format.id !== 'canonical') expect(columns).toBeNull();
    });
  }

  it('reads the plain canonical files of the samples (the fast lane is actually taken)', () => {
    expect(readCandleColumns(path.join(ROOT, 'data/samples/binance_BTCUSDT_1m.csv'))?.length).toBe(66087);
  });

  it('gives the same doubles as Number() for long and odd decimals, CRLF, a BOM and no final newline', () => {
    const rows = [
      '1600000000000,0.09946999000000001,0.1,0.09,0.09946999000000001,123456789012345678',
      '1600000060000,.5,1.,0.25,0.5000,0',
      '1600000120000,12345678.12345678,12345679,12345677.9999999999,12345678.000000001,0.000001',
    ];
    const file = write('odd.csv', '\ufeff' + HEADER.replace('\n', '\r\n') + rows.join('\r\n'));
    const columns = readCandleColumns(file)!;
    expect(columns).not.toBeNull();
    expect(candlesOf(columns)).toEqual(readCandleFile(file).candles);
  });

  it.each([
    ['an exponent', '1600000000000,1e2,100,100,100,1'],
    ['a refused OHLC row', '1600000000000,10,9,8,10,1'],
    ['seconds instead of ms', '1600000000,10,10,10,10,1'],
    ['a fractional ts', '1600000000000.5,10,10,10,10,1'],
    ['a missing cell', '1600000000000,10,10,10,10'],
    ['a stray character', '1600000000000,10,10,10,10,1x'],
  ])('null for %s (the full parser decides)', (_what, row) => {
    expect(readCandleColumns(write('bad.csv', HEADER + row + '\n'))).toBeNull();
  });

  it('null for out-of-order and duplicate rows', () => {
    expect(readCandleColumns(write('order.csv', HEADER + '1600000060000,1,1,1,1,1\n1600000000000,1,1,1,1,1\n'))).toBeNull();
    expect(readCandleColumns(write('dup.csv', HEADER + '1600000000000,1,1,1,1,1\n1600000000000,1,1,1,1,1\n'))).toBeNull();
  });
});
