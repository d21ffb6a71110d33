/**
 * REFERENCE break of structure / change of character: `smc.bos_choch`. Four-swing patterns are written at the
 * row of the second-newest-but-one swing (the break level); a signal that never breaks is dropped, and a break
 * at j deletes every earlier signal whose own break came at or after j (its BrokenIndex stays, as coded).
 */
import { f32, firstIndex, nanArray, type OhlcSeries } from './series.ts';
import type { SwingColumns } from './swings.ts';

export interface BosChochColumns {
  bos: Float64Array;
  choch: Float64Array;
  level: Float64Array;
  brokenIndex: Float64Array;
}

export function referenceBosChoch(s: OhlcSeries, swings: SwingColumns, closeBreak = true): BosChochColumns {
  const n = s.length;
  const bos = new Int32Array(n);
  const choch = new Int32Array(n);
  const level = new Float32Array(n);
  const types: number[] = [];
  const levels: number[] = [];
  const positions: number[] = [];
  const is = (pattern: number[]) => pattern.every((t, k) => types[types.length - 4 + k] === t);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(swings.highLow[i])) continue;
    types.push(swings.highLow[i]);
    levels.push(swings.level[i]);
    if (types.length >= 4) {
      const [x1, x2, x3, x4] = levels.slice(-4);
      const at = positions[positions.length - 2];
      const up = is([-1, 1, -1, 1]);
      const down = is([1, -1, 1, -1]);
      bos[at] = up && x1 < x3 && x3 < x2 && x2 < x4 ? 1 : 0;
      if (down && x1 > x3 && x3 > x2 && x2 > x4) bos[at] = -1;
      level[at] = bos[at] !== 0 ? x2 : 0;
      choch[at] = up && x4 > x2 && x2 > x1 && x1 > x3 ? 1 : 0;
      if (down && x4 < x2 && x2 < x1 && x1 < x3) choch[at] = -1;
      if (choch[at] !== 0) level[at] = x2;
    }
    positions.push(i);
  }
  const breakSeries = closeBreak ? [s.close, s.close] : [s.high, s.low];
  const broken = new Int32Array(n);
  const signalRows: number[] = [];
  for (let i = 0; i < n; i++) if (bos[i] !== 0 || choch[i] !== 0) signalRows.push(i);
  for (const i of signalRows) {
    let j = -1;
    // level[] is a Float32Array, so these comparisons already happen against the float32-rounded level.
    if (bos[i] === 1 || choch[i] === 1) j = firstIndex(i + 2, n, (k) => breakSeries[0][k] > level[i]);
    else if (bos[i] === -1 || choch[i] === -1) j = firstIndex(i + 2, n, (k) => breakSeries[1][k] < level[i]);
    if (j < 0) continue;
    broken[i] = j;
    for (const k of signalRows) {
      if (k >= i) break;
      if ((bos[k] !== 0 || choch[k] !== 0) && broken[k] >= j) {
        bos[k] = 0;
        choch[k] = 0;
        level[k] = 0;
      }
    }
  }
  const out: BosChochColumns = { bos: nanArray(n), choch: nanArray(n), level: nanArray(n), brokenIndex: nanArray(n) };
  for (let i = 0; i < n; i++) {
    const live = (bos[i] !== 0 || choch[i] !== 0) && broken[i] !== 0;
    if (live && bos[i] !== 0) out.bos[i] = bos[i];
    if (live && choch[i] !== 0) out.choch[i] = choch[i];
    if (live) out.level[i] = f32(level[i]);
    if (broken[i] !== 0) out.brokenIndex[i] = broken[i];
  }
  return out;
}
