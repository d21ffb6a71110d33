/**
 * Test helper: the smart-money-concepts EURUSD 15m fixture (MetaTrader-style CSV, `Date` read as UTC) and the
 * library's expected result CSVs (an empty cell is NaN).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Candle } from '../../../src/engine/types.ts';
import { REFERENCE } from '../../helpers/candles.ts';

export const SMC_DIR = path.join(REFERENCE, 'smc');

let cached: Candle[] | undefined;

export function loadEurusd15m(): Candle[] {
  if (cached) return cached;
  const lines = readFileSync(path.join(SMC_DIR, 'EURUSD_15M.csv'), 'utf8').trim().split(/\r?\n/);
  cached = lines.slice(1).map((line) => {
    const [date, open, high, low, close, , volume] = line.split(',');
    const [y, mo, d, h, mi, s] = date.split(/[.: ]/).map(Number);
    return {
      ts: Date.UTC(y, mo - 1, d, h, mi, s),
      open: Number(open),
      high: Number(high),
      low: Number(low),
      close: Number(close),
      volume: Number(volume),
    };
  });
  return cached;
}

export interface ExpectedTable {
  header: string[];
  columns: Record<string, Float64Array>;
  rows: number;
}

export function loadExpected(file: string): ExpectedTable {
  const lines = readFileSync(path.join(SMC_DIR, file), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const rows = lines.length - 1;
  const columns: Record<string, Float64Array> = {};
  for (const name of header) columns[name] = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1].split(',');
    header.forEach((name, c) => {
      columns[name][r] = cells[c] === '' || cells[c] === undefined ? NaN : Number(cells[c]);
    });
  }
  return { header, columns, rows };
}

export type Comparison = 'exact' | 'float32';

/** Lists the first mismatches (row, expected, actual); an empty list means every row matched. */
export function mismatches(expected: Float64Array, actual: ArrayLike<number>, how: Comparison, limit = 5): string[] {
  const out: string[] = [];
  if (expected.length !== actual.length) return [`length ${actual.length} != ${expected.length}`];
  for (let i = 0; i < expected.length && out.length < limit; i++) {
    const e = expected[i];
    const a = actual[i];
    const same =
      Number.isNaN(e) || Number.isNaN(a)
        ? Number.isNaN(e) && Number.isNaN(a)
        : how === 'exact'
          ? e === a
          : Math.abs(e - a) <= 1e-6 * Math.max(Math.abs(e), 1e-12);
    if (!same) out.push(`row ${i}: expected ${e}, got ${a}`);
  }
  return out;
}
