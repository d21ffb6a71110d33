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

  it('rows cut by the 4 MiB read chunks (and a line longer than a chunk) are read whole', () => {
    // ~12 MiB of rows whose lengths vary, so the chunk edges fall inside numbers, at commas and at line ends.
    const lines: string[] = [];
    let bytes = 0;
    for (let i = 0; bytes < 12 * 2 ** 20; i++) {
      const base = 20_000 + (i % 997) + (i % 7) / 1000;
      const line = `${1_600_000_000_000 + i * 60_000},${base},${base + 1.5},${base - 0.25},${base + 0.125},${(i * 7919) % 100_000}.${i % 13}`;
      lines.push(line);
      bytes += line.length + 1;
    }
    const file = write('long.csv', HEADER + lines.join('\n') + '\n');
    const columns = readCandleColumns(file)!;
    expect(columns).not.toBeNull();
    expect(columns.length).toBe(lines.length);
    expect(candlesOf(columns)).toEqual(readCandleFile(file).candles);
    // A volume written with 5 MiB of leading zeros: one line longer than a chunk.
    const huge = write('huge-line.csv', `${HEADER}1600000000000,1,2,0.5,1.5,${'0'.repeat(5 * 2 ** 20)}7.25\n1600000060000,1,2,0.5,1.5,3\n`);
    const wide = readCandleColumns(huge)!;
    expect(wide).not.toBeNull();
    expect(candlesOf(wide)).toEqual(readCandleFile(huge).candles);
  });

  it('null for out-of-order and duplicate rows', () => {
    expect(readCandleColumns(write('order.csv', HEADER + '1600000060000,1,1,1,1,1\n1600000000000,1,1,1,1,1\n'))).toBeNull();
    expect(readCandleColumns(write('dup.csv', HEADER + '1600000000000,1,1,1,1,1\n1600000000000,1,1,1,1,1\n'))).toBeNull();
  });
});
