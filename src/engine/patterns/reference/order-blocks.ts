/**
 * REFERENCE order blocks: `smc.ob`. Two passes (bullish, then bearish) that share the `crossed` and `breaker`
 * flags and the output arrays, exactly as the library does; Top/Bottom live in float32.
 */
import { nanArray, type OhlcSeries } from './series.ts';
import type { SwingColumns } from './swings.ts';

export interface OrderBlockColumns {
  ob: Float64Array;
  top: Float64Array;
  bottom: Float64Array;
  obVolume: Float64Array;
  mitigatedIndex: Float64Array;
  percentage: Float64Array;
}

interface Work {
  ob: Int32Array;
  top: Float32Array;
  bottom: Float32Array;
  obVolume: Float32Array;
  lowVolume: Float32Array;
  highVolume: Float32Array;
  percentage: Int32Array;
  mitigated: Int32Array;
  breaker: Uint8Array;
  crossed: Uint8Array;
}

function reset(w: Work, idx: number): void {
  w.ob[idx] = 0;
  w.top[idx] = w.bottom[idx] = w.obVolume[idx] = w.lowVolume[idx] = w.highVolume[idx] = 0;
  w.mitigated[idx] = 0;
  w.percentage[idx] = 0;
}

/** Index of the last swing of `type` strictly before i (numpy searchsorted, side left). */
function lastSwingBefore(swingRows: number[], i: number, cursor: { pos: number }): number {
  while (cursor.pos < swingRows.length && swingRows[cursor.pos] < i) cursor.pos++;
  return cursor.pos > 0 ? swingRows[cursor.pos - 1] : -1;
}

function pass(s: OhlcSeries, swings: SwingColumns, w: Work, dir: 1 | -1, closeMitigation: boolean): void {
  const { open, high, low, close, volume } = s;
  const swingRows: number[] = [];
  for (let i = 0; i < s.length; i++) if (swings.highLow[i] === (dir === 1 ? 1 : -1)) swingRows.push(i);
  const cursor = { pos: 0 };
  let active: number[] = [];
  for (let i = 0; i < s.length; i++) {
    for (const idx of [...active]) {
      if (w.breaker[idx]) {
        if (dir === 1 ? high[i] > w.top[idx] : low[i] < w.bottom[idx]) {
          reset(w, idx);
          active.splice(active.indexOf(idx), 1);
        }
      } else if (dir === 1) {
        const probe = closeMitigation ? Math.min(open[i], close[i]) : low[i];
        if (probe < w.bottom[idx]) {
          w.breaker[idx] = 1;
          w.mitigated[idx] = i - 1;
        }
      } else {
        const probe = closeMitigation ? Math.max(open[i], close[i]) : high[i];
        if (probe > w.top[idx]) {
          w.breaker[idx] = 1;
          w.mitigated[idx] = i;
        }
      }
    }
    const swing = lastSwingBefore(swingRows, i, cursor);
    if (swing < 0 || w.crossed[swing]) continue;
    if (dir === 1 ? !(close[i] > high[swing]) : !(close[i] < low[swing])) continue;
    w.crossed[swing] = 1;
    let obIndex = i - 1;
    // The library's fallback (no candle between swing and break) takes candle i-1 with bullish Top/Bottom swapped.
    let obTop = dir === 1 ? low[i - 1] : high[i - 1];
    let obBottom = dir === 1 ? high[i - 1] : low[i - 1];
    if (i - swing > 1) {
      let best = swing + 1;
      for (let k = swing + 1; k < i; k++) {
        if (dir === 1 ? low[k] <= low[best] : high[k] >= high[best]) best = k;
      }
      obIndex = best;
      obTop = high[best];
      obBottom = low[best];
    }
    const near = volume[i] + volume[i - 1];
    const far = volume.at(i - 2) ?? 0; // numpy wraps a negative index to the end
    w.ob[obIndex] = dir;
    w.top[obIndex] = obTop;
    w.bottom[obIndex] = obBottom;
    w.obVolume[obIndex] = near + far;
    w.highVolume[obIndex] = dir === 1 ? near : far;
    w.lowVolume[obIndex] = dir === 1 ? far : near;
    const maxVolume = Math.max(w.highVolume[obIndex], w.lowVolume[obIndex]);
    const minVolume = Math.min(w.highVolume[obIndex], w.lowVolume[obIndex]);
    w.percentage[obIndex] = maxVolume !== 0 ? Math.trunc((minVolume / maxVolume) * 100) : 100;
    active = [...active, obIndex];
  }
}

export function referenceOrderBlocks(s: OhlcSeries, swings: SwingColumns, closeMitigation = false): OrderBlockColumns {
  const n = s.length;
  const w: Work = {
    ob: new Int32Array(n),
    top: new Float32Array(n),
    bottom: new Float32Array(n),
    obVolume: new Float32Array(n),
    lowVolume: new Float32Array(n),
    highVolume: new Float32Array(n),
    percentage: new Int32Array(n),
    mitigated: new Int32Array(n),
    breaker: new Uint8Array(n),
    crossed: new Uint8Array(n),
  };
  pass(s, swings, w, 1, closeMitigation);
  pass(s, swings, w, -1, closeMitigation);
  const out: OrderBlockColumns = {
    ob: nanArray(n),
    top: nanArray(n),
    bottom: nanArray(n),
    obVolume: nanArray(n),
    mitigatedIndex: nanArray(n),
    percentage: nanArray(n),
  };
  for (let i = 0; i < n; i++) {
    if (w.ob[i] === 0) continue;
    out.ob[i] = w.ob[i];
    out.top[i] = w.top[i];
    out.bottom[i] = w.bottom[i];
    out.obVolume[i] = w.obVolume[i];
    out.mitigatedIndex[i] = w.mitigated[i];
    out.percentage[i] = w.percentage[i];
  }
  return out;
}
