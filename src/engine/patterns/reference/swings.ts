/**
 * REFERENCE swing highs/lows: `smc.swing_highs_lows`. Raw fractals over an asymmetric 2L window, then repeated
 * removal of the weaker of two consecutive same-type swings (all removals of one pass at once), then the first
 * and last rows forced to the opposite of the first/last swing. Looks L candles ahead and rewrites the ends.
 */
import { nanArray, type OhlcSeries } from './series.ts';

export interface SwingColumns {
  highLow: Float64Array;
  level: Float64Array;
}

export function referenceSwings(s: OhlcSeries, swingLength = 50): SwingColumns {
  const n = s.length;
  const { high, low } = s;
  const L = swingLength;
  const highLow = nanArray(n);
  // pandas: x == x.shift(-L).rolling(2L).max(); the rolling window is complete only from row 2L-1 on and
  // the shifted series is NaN for the last L rows.
  for (let i = 2 * L - 1; i < n - L; i++) {
    let maxHigh = -Infinity;
    let minLow = Infinity;
    for (let k = i - L + 1; k <= i + L; k++) {
      if (high[k] > maxHigh) maxHigh = high[k];
      if (low[k] < minLow) minLow = low[k];
    }
    if (high[i] === maxHigh) highLow[i] = 1;
    else if (low[i] === minLow) highLow[i] = -1;
  }
  for (;;) {
    const positions: number[] = [];
    for (let i = 0; i < n; i++) if (!Number.isNaN(highLow[i])) positions.push(i);
    if (positions.length < 2) break;
    const remove = new Array<boolean>(positions.length).fill(false);
    for (let k = 0; k < positions.length - 1; k++) {
      const a = positions[k];
      const b = positions[k + 1];
      if (highLow[a] === 1 && highLow[b] === 1) {
        if (high[a] < high[b]) remove[k] = true;
        else remove[k + 1] = true;
      } else if (highLow[a] === -1 && highLow[b] === -1) {
        if (low[a] > low[b]) remove[k] = true;
        else remove[k + 1] = true;
      }
    }
    if (!remove.includes(true)) break;
    remove.forEach((r, k) => {
      if (r) highLow[positions[k]] = NaN;
    });
  }
  const positions: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(highLow[i])) positions.push(i);
  if (positions.length > 0) {
    // Sequential ifs as in the library: the second test sees the first one's write.
    const first = positions[0];
    if (highLow[first] === 1) highLow[0] = -1;
    if (highLow[first] === -1) highLow[0] = 1;
    const last = positions[positions.length - 1];
    if (highLow[last] === -1) highLow[n - 1] = 1;
    if (highLow[last] === 1) highLow[n - 1] = -1;
  }
  const level = nanArray(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(highLow[i])) level[i] = highLow[i] === 1 ? high[i] : low[i];
  }
  return { highLow, level };
}
