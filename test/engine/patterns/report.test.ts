/** Rows printed by `ita patterns`: reference rows carry the fixture's values, causal rows only the asked family. */
import { expect, it } from 'vitest';
import { causalRows, formatRow, referenceRows } from '../../../src/engine/patterns/report.ts';
import { loadEurusd15m, loadExpected } from './eurusd.ts';

const candles = loadEurusd15m();
const options = { swingLength: 5, joinConsecutive: false, period: '1d' as const, session: 'London' };

it('reference order-block rows are the fixture rows, float32 values printed as the library writes them', () => {
  const rows = referenceRows(candles, 'ob', options)!;
  const expected = loadExpected('ob_result_data.csv').columns;
  const fixtureRows = [...expected.OB.keys()].filter((i) => !Number.isNaN(expected.OB[i]));
  expect(rows.length).toBe(fixtureRows.length);
  rows.forEach((row, k) => {
    const i = fixtureRows[k];
    expect(row.ts).toBe(new Date(candles[i].ts).toISOString());
    expect([row.direction, row.top, row.bottom]).toEqual([expected.OB[i] > 0 ? 'bullish' : 'bearish', expected.Top[i], expected.Bottom[i]]);
  });
  expect(formatRow(rows[0])).toBe('2022-10-13T15:30:00.000Z  order-block            bullish  [0.96314 .. 0.9738]  unmitigated');
});

it('candle patterns have no reference mode', () => {
  expect(referenceRows(candles.slice(0, 10), 'candles', options)).toBeUndefined();
});

it('causal rows hold only the requested family, each with its confirmation time', () => {
  const rows = causalRows(candles.slice(0, 3000), 'bos', { sessions: [] });
  expect(rows.length).toBeGreaterThan(10);
  expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['bos', 'choch']));
  expect(rows.every((r) => r.confirmedAt! > r.ts)).toBe(true);
});
