/** REFERENCE fair value gaps: `smc.fvg` semantics, including its one-candle lookahead (see ../README.md). */
import { firstIndex, nanArray, type OhlcSeries } from './series.ts';

export interface FvgColumns {
  fvg: Float64Array;
  top: Float64Array;
  bottom: Float64Array;
  mitigatedIndex: Float64Array;
}

export function referenceFvg(s: OhlcSeries, joinConsecutive = false): FvgColumns {
  const n = s.length;
  const { open, high, low, close } = s;
  const fvg = nanArray(n);
  const top = nanArray(n);
  const bottom = nanArray(n);
  for (let i = 1; i < n - 1; i++) {
    const bullish = close[i] > open[i];
    const bearish = close[i] < open[i];
    if (bullish && high[i - 1] < low[i + 1]) {
      fvg[i] = 1;
      top[i] = low[i + 1];
      bottom[i] = high[i - 1];
    } else if (bearish && low[i - 1] > high[i + 1]) {
      fvg[i] = -1;
      top[i] = low[i - 1];
      bottom[i] = high[i + 1];
    }
  }
  if (joinConsecutive) {
    // A run of same-direction gaps collapses into its last row, carrying the widest zone forward.
    for (let i = 0; i < n - 1; i++) {
      if (!Number.isNaN(fvg[i]) && fvg[i] === fvg[i + 1]) {
        top[i + 1] = Math.max(top[i], top[i + 1]);
        bottom[i + 1] = Math.min(bottom[i], bottom[i + 1]);
        fvg[i] = top[i] = bottom[i] = NaN;
      }
    }
  }
  const mitigatedIndex = nanArray(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(fvg[i])) continue;
    const j =
      fvg[i] === 1
        ? firstIndex(i + 2, n, (k) => low[k] <= top[i])
        : firstIndex(i + 2, n, (k) => high[k] >= bottom[i]);
    mitigatedIndex[i] = j < 0 ? 0 : j;
  }
  return { fvg, top, bottom, mitigatedIndex };
}
