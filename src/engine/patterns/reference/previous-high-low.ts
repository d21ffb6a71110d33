/**
 * REFERENCE previous high/low: `smc.previous_high_low`. pandas resampling with default labels: "4h"/"1D" bins
 * start at midnight UTC and carry their start; "W" bins are W-SUN, closed right, cover Monday..Sunday and are
 * labelled by the Sunday. The reference bin for a candle is the second-to-last label strictly before it.
 */
import { f32, nanArray, type OhlcSeries } from './series.ts';

export type ReferenceBin = '4h' | '1D' | 'W';

export interface PreviousHighLowColumns {
  previousHigh: Float64Array;
  previousLow: Float64Array;
  brokenHigh: Float64Array;
  brokenLow: Float64Array;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The label of the bin containing ts. Epoch day 0 was a Thursday, so Sunday is day 3 mod 7. */
function binLabel(ts: number, bin: ReferenceBin): number {
  if (bin === '4h') return Math.floor(ts / (4 * HOUR)) * 4 * HOUR;
  const day = Math.floor(ts / DAY);
  if (bin === '1D') return day * DAY;
  const daysToSunday = (((3 - day) % 7) + 7) % 7;
  return (day + daysToSunday) * DAY;
}

export function referencePreviousHighLow(s: OhlcSeries, bin: ReferenceBin): PreviousHighLowColumns {
  const n = s.length;
  const labels: number[] = [];
  const binHigh: number[] = [];
  const binLow: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = binLabel(s.ts[i], bin);
    if (labels.length === 0 || labels[labels.length - 1] !== label) {
      labels.push(label);
      binHigh.push(s.high[i]);
      binLow.push(s.low[i]);
    } else {
      const k = labels.length - 1;
      binHigh[k] = Math.max(binHigh[k], s.high[i]);
      binLow[k] = Math.min(binLow[k], s.low[i]);
    }
  }
  const out: PreviousHighLowColumns = {
    previousHigh: nanArray(n),
    previousLow: nanArray(n),
    brokenHigh: new Float64Array(n),
    brokenLow: new Float64Array(n),
  };
  let earlier = 0;
  let referenceBin = -1;
  let brokenHigh = false;
  let brokenLow = false;
  for (let i = 0; i < n; i++) {
    while (earlier < labels.length && labels[earlier] < s.ts[i]) earlier++;
    if (earlier <= 1) continue;
    const k = earlier - 2;
    if (k !== referenceBin) {
      brokenHigh = brokenLow = false;
      referenceBin = k;
    }
    const high = f32(binHigh[k]);
    const low = f32(binLow[k]);
    out.previousHigh[i] = high;
    out.previousLow[i] = low;
    brokenHigh = s.high[i] > high || brokenHigh;
    brokenLow = s.low[i] < low || brokenLow;
    out.brokenHigh[i] = brokenHigh ? 1 : 0;
    out.brokenLow[i] = brokenLow ? 1 : 0;
  }
  return out;
}
