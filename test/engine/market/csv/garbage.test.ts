import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCandleFile } from '../../../../src/engine/market/csv/read-candles.ts';
import { InputError } from '../../../../src/engine/errors.ts';
import type { Timeframe } from '../../../../src/engine/types.ts';
import { ROOT } from '../../../helpers/candles.ts';

const GARBAGE = path.join(ROOT, 'test/fixtures/csv/garbage');

function refusal(name: string, tf: Timeframe = '1h'): InputError {
  try {
    readCandleFile(path.join(GARBAGE, name), tf);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`${name} was accepted`);
}

const linesOf = (error: InputError) => (error.details.problems as { line: number }[]).map((p) => p.line);

describe('the garbage corpus is refused with the right line numbers', () => {
  it('empty file', () => {
    expect(refusal('empty.csv').message).toBe('the file is empty');
  });

  it('header without rows', () => {
    expect(refusal('header-only.csv').message).toMatch(/header but no candle rows/);
  });

  it('unknown format, naming the header and the supported formats', () => {
    const error = refusal('unknown-format.csv');
    expect(error.message).toMatch(/unknown CSV format: header "date;price;qty"/);
    expect(error.message).toMatch(/TradingView/);
    expect(refusal('headerless-six-columns.csv').message).toMatch(/no header and 6 columns/);
  });

  it('wrong column count', () => {
    const error = refusal('wrong-columns.csv');
    expect(linesOf(error)).toEqual([4]);
    expect(error.message).toMatch(/line 4: expected 6 columns, got 5/);
  });

  it('text in numbers, quoting the bad text (empty cell included)', () => {
    const error = refusal('text-in-number.csv');
    expect(linesOf(error)).toEqual([3, 5]);
    expect(error.message).toMatch(/line 3: close is not a number: "abc"/);
    expect(error.message).toMatch(/line 5: volume is not a number: ""/);
  });

  it('unsorted rows', () => {
    expect(refusal('unsorted.csv').message).toMatch(/line 4: rows out of order: ts 2024-07-10T01:00:00.000Z comes after .*\(line 3\)/);
  });

  it('duplicate ts', () => {
    expect(refusal('duplicate-ts.csv').message).toMatch(/line 4: duplicate ts 2024-07-10T01:00:00.000Z \(same as line 3\)/);
  });

  it('high below low, low above the body, negative volume', () => {
    const error = refusal('bad-ohlc.csv');
    expect(linesOf(error)).toEqual([3, 5, 6]);
    expect(error.message).toMatch(/line 3: high 57309.09 is below low 58000.01/);
    expect(error.message).toMatch(/line 6: volume -1 is negative/);
  });

  it('ts not aligned to the timeframe', () => {
    expect(refusal('misaligned-1h.csv').message).toMatch(/line 3: ts 2024-07-10T01:30:00.000Z is not aligned to the 1h/);
  });

  it('impossible and malformed MetaTrader dates', () => {
    const error = refusal('bad-metatrader-dates.csv', '15m');
    expect(linesOf(error)).toEqual([3, 4]);
    expect(error.message).toMatch(/"2023.02.30 00:15:00"/);
  });

  it('lists 20 problems, then "and N more"', () => {
    const error = refusal('many-errors.csv');
    expect(linesOf(error)).toHaveLength(30);
    expect(error.message.split('\n').filter((l) => l.startsWith('  line '))).toHaveLength(20);
    expect(error.message).toMatch(/line 21: .*\n {2}… and 10 more$/);
    expect(error.details.file).toBe(path.join(GARBAGE, 'many-errors.csv'));
  });
});
