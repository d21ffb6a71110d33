/**
 * REFERENCE retracements: `smc.retracements`. Note the library's asymmetry (up legs test the previous row's
 * direction, down legs the current row's), the one-row shift of every output with wrap-around, and the
 * zeroing of everything up to the third direction change.
 */
import type { OhlcSeries } from './series.ts';
import type { SwingColumns } from './swings.ts';

export interface RetracementColumns {
  direction: Float64Array;
  current: Float64Array;
  deepest: Float64Array;
}

/** numpy's round(x, 1): scale, round half to even, unscale. */
function round1(x: number): number {
  const scaled = x * 10;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const rounded = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return rounded / 10;
}

function roll(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  if (values.length === 0) return out;
  out[0] = values[values.length - 1];
  out.set(values.subarray(0, values.length - 1), 1);
  return out;
}

export function referenceRetracements(s: OhlcSeries, swings: SwingColumns): RetracementColumns {
  const n = s.length;
  const direction = new Float64Array(n);
  const current = new Float64Array(n);
  const deepest = new Float64Array(n);
  let top = 0;
  let bottom = 0;
  for (let i = 0; i < n; i++) {
    if (swings.highLow[i] === 1) {
      direction[i] = 1;
      top = swings.level[i];
    } else if (swings.highLow[i] === -1) {
      direction[i] = -1;
      bottom = swings.level[i];
    } else {
      direction[i] = i > 0 ? direction[i - 1] : 0;
    }
    // numpy's direction[-1] at i = 0 reads the still-zero last element.
    const previous = i > 0 ? direction[i - 1] : direction[n - 1];
    if (previous === 1) {
      current[i] = top === bottom ? 0 : round1(100 - ((s.low[i] - bottom) / (top - bottom)) * 100);
      deepest[i] = Math.max(i > 0 && direction[i - 1] === 1 ? deepest[i - 1] : 0, current[i]);
    }
    if (direction[i] === -1) {
      current[i] = top === bottom ? 0 : round1(100 - ((s.high[i] - top) / (bottom - top)) * 100);
      deepest[i] = Math.max(i > 0 && direction[i - 1] === -1 ? deepest[i - 1] : 0, current[i]);
    }
  }
  const out: RetracementColumns = { direction: roll(direction), current: roll(current), deepest: roll(deepest) };
  let changes = 0;
  for (let i = 0; i + 1 < n; i++) {
    if (out.direction[i] !== out.direction[i + 1]) changes++;
    out.direction[i] = out.current[i] = out.deepest[i] = 0;
    if (changes === 3) {
      out.direction[i + 1] = out.current[i + 1] = out.deepest[i + 1] = 0;
      break;
    }
  }
  return out;
}
