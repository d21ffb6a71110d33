/**
 * REFERENCE mode parity with the smart-money-concepts fixtures (EURUSD 15m): every row, every column.
 * NaN must match empty cells; float32-stored columns are compared to 1e-6 relative, everything else exactly.
 */
import { describe, expect, it } from 'vitest';
import {
  referenceBosChoch,
  referenceFvg,
  referenceLiquidity,
  referenceOrderBlocks,
  referencePreviousHighLow,
  referenceRetracements,
  referenceSessions,
  referenceSwings,
  toSeries,
  REFERENCE_SESSIONS,
} from '../../../src/engine/patterns/reference/index.ts';
import { loadEurusd15m, loadExpected, mismatches, type Comparison } from './eurusd.ts';

const series = toSeries(loadEurusd15m());
const swings = referenceSwings(series, 5);

function expectTable(file: string, actual: Record<string, ArrayLike<number>>, how: Record<string, Comparison>): void {
  const expected = loadExpected(file);
  expect(expected.rows).toBe(series.length);
  expect(Object.keys(actual)).toEqual(expected.header);
  for (const column of expected.header) {
    expect(mismatches(expected.columns[column], actual[column], how[column] ?? 'exact'), `${file} ${column}`).toEqual([]);
  }
}

describe('reference mode reproduces smart-money-concepts fixtures', () => {
  it('has the input the fixtures were made from', () => {
    expect(series.length).toBe(24424);
    expect(new Date(series.ts[0]).toISOString()).toBe('2022-10-10T00:00:00.000Z');
  });

  it('fvg', () => {
    const r = referenceFvg(series);
    expectTable('fvg_result_data.csv', { FVG: r.fvg, Top: r.top, Bottom: r.bottom, MitigatedIndex: r.mitigatedIndex }, {});
  });

  it('fvg with consecutive gaps joined', () => {
    const r = referenceFvg(series, true);
    expectTable(
      'fvg_consecutive_result_data.csv',
      { FVG: r.fvg, Top: r.top, Bottom: r.bottom, MitigatedIndex: r.mitigatedIndex },
      {},
    );
  });

  it('swing highs/lows, length 5', () => {
    expectTable('swing_highs_lows_result_data.csv', { HighLow: swings.highLow, Level: swings.level }, {});
  });

  it('bos / choch', () => {
    const r = referenceBosChoch(series, swings);
    expectTable(
      'bos_choch_result_data.csv',
      { BOS: r.bos, CHOCH: r.choch, Level: r.level, BrokenIndex: r.brokenIndex },
      { Level: 'float32' },
    );
  });

  it('order blocks', () => {
    const r = referenceOrderBlocks(series, swings);
    expectTable(
      'ob_result_data.csv',
      {
        OB: r.ob,
        Top: r.top,
        Bottom: r.bottom,
        OBVolume: r.obVolume,
        MitigatedIndex: r.mitigatedIndex,
        Percentage: r.percentage,
      },
      { Top: 'float32', Bottom: 'float32', OBVolume: 'float32' },
    );
  });

  it('liquidity', () => {
    const r = referenceLiquidity(series, swings);
    expectTable(
      'liquidity_result_data.csv',
      { Liquidity: r.liquidity, Level: r.level, End: r.end, Swept: r.swept },
      { Level: 'float32' },
    );
  });

  for (const bin of ['4h', '1D', 'W'] as const) {
    it(`previous high/low ${bin}`, () => {
      const r = referencePreviousHighLow(series, bin);
      expectTable(
        `previous_high_low_result_data_${bin}.csv`,
        { PreviousHigh: r.previousHigh, PreviousLow: r.previousLow, BrokenHigh: r.brokenHigh, BrokenLow: r.brokenLow },
        { PreviousHigh: 'float32', PreviousLow: 'float32' },
      );
    });
  }

  it('London session', () => {
    const { start, end } = REFERENCE_SESSIONS.London;
    const r = referenceSessions(series, start, end);
    expectTable('sessions_result_data.csv', { Active: r.active, High: r.high, Low: r.low }, { High: 'float32', Low: 'float32' });
  });

  it('agrees with the signal counts the fixture README states (guards against comparing empty columns)', () => {
    const count = (values: ArrayLike<number>, v: number) => Array.from(values).filter((x) => x === v).length;
    const fvg = referenceFvg(series);
    const joined = referenceFvg(series, true);
    const bos = referenceBosChoch(series, swings);
    const ob = referenceOrderBlocks(series, swings);
    const liquidity = referenceLiquidity(series, swings);
    expect([count(fvg.fvg, 1), count(fvg.fvg, -1), count(joined.fvg, 1), count(joined.fvg, -1)]).toEqual([2559, 2461, 1918, 1838]);
    expect([count(swings.highLow, 1), count(swings.highLow, -1)]).toEqual([1354, 1354]);
    expect([count(bos.bos, 1), count(bos.bos, -1), count(bos.choch, 1), count(bos.choch, -1)]).toEqual([360, 316, 216, 237]);
    expect([count(ob.ob, 1), count(ob.ob, -1), Array.from(ob.mitigatedIndex).filter((x) => x > 0).length]).toEqual([33, 33, 20]);
    expect([count(liquidity.liquidity, 1), count(liquidity.liquidity, -1)]).toEqual([250, 248]);
  });

  it('retracements', () => {
    const r = referenceRetracements(series, swings);
    expectTable(
      'retracements_result_data.csv',
      { Direction: r.direction, 'CurrentRetracement%': r.current, 'DeepestRetracement%': r.deepest },
      {},
    );
  });
});
