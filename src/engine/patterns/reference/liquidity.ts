/**
 * REFERENCE liquidity pools: `smc.liquidity`. The band half-width is a fraction of the WHOLE sample's range
 * (lookahead: results depend on how much data follows), and a pool needs at least two swings inside the band.
 */
import { nanArray, type OhlcSeries } from './series.ts';
import type { SwingColumns } from './swings.ts';

export interface LiquidityColumns {
  liquidity: Float64Array;
  level: Float64Array;
  end: Float64Array;
  swept: Float64Array;
}

export function referenceLiquidity(s: OhlcSeries, swings: SwingColumns, rangePercent = 0.01): LiquidityColumns {
  const n = s.length;
  let maxHigh = -Infinity;
  let minLow = Infinity;
  for (let i = 0; i < n; i++) {
    if (s.high[i] > maxHigh) maxHigh = s.high[i];
    if (s.low[i] < minLow) minLow = s.low[i];
  }
  const pipRange = (maxHigh - minLow) * rangePercent;
  const highLow = Float64Array.from(swings.highLow);
  const out: LiquidityColumns = { liquidity: nanArray(n), level: nanArray(n), end: nanArray(n), swept: nanArray(n) };
  for (const dir of [1, -1] as const) {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (highLow[i] === dir) rows.push(i);
    for (const i of rows) {
      if (highLow[i] !== dir) continue;
      const level = swings.level[i];
      const bandLow = level - pipRange;
      const bandHigh = level + pipRange;
      const group = [level];
      let end = i;
      let swept = 0;
      for (let j = i + 1; j < n; j++) {
        if (dir === 1 ? s.high[j] >= bandHigh : s.low[j] <= bandLow) {
          swept = j;
          break;
        }
      }
      for (const j of rows) {
        if (j <= i) continue;
        if (swept && j >= swept) break;
        const other = swings.level[j];
        if (highLow[j] === dir && bandLow <= other && other <= bandHigh) {
          group.push(other);
          end = j;
          highLow[j] = 0;
        }
      }
      if (group.length > 1) {
        let sum = 0;
        for (const x of group) sum += x;
        out.liquidity[i] = dir;
        out.level[i] = Math.fround(sum / group.length);
        out.end[i] = end;
        out.swept[i] = swept;
      }
    }
  }
  return out;
}
