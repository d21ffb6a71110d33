/**
 * The independent reference for evaluating the classifier: a label per candle from what happened AFTER it, which
 * the classifier can never see. It shares no indicator with the classifier (no EMA, ADX or rolling quantile).
 *
 * For candle t and a horizon of H candles:
 *   r   = ln(close[t+H] / close[t])                      forward return
 *   σ   = standard deviation of the H log returns t+1 … t+H   forward realised volatility (per candle)
 *   eff = |r| / (σ·√H)                                   how much of the window's noise was a directional move
 * Volatility is judged against its surroundings: thresholds are quantiles of σ over a centred window of
 * `volWindow` candles around t (hindsight is allowed for a reference; "high volatility" means high for those months,
 * as a trader would say, not high against a calmer year):
 *   panic          σ ≥ q(panicQuantile) of σ, r < 0 and eff ≥ panicEfficiency  (a violent fall)
 *   trend_up/down  eff ≥ trendEfficiency, sign of r
 *   range_highvol  otherwise, σ ≥ median σ;   range_lowvol  otherwise, σ < median σ
 * The last H candles have no label (their future is not in the sample).
 */
import type { Candle } from '../types.ts';
import type { Regime } from './types.ts';

export interface ReferenceLabelOptions {
  horizon?: number;
  trendEfficiency?: number;
  panicQuantile?: number;
  panicEfficiency?: number;
  volWindow?: number;
}

export const DEFAULT_REFERENCE_OPTIONS: Required<ReferenceLabelOptions> = {
  horizon: 24,
  trendEfficiency: 1,
  panicQuantile: 0.95,
  panicEfficiency: 0.5,
  volWindow: 300,
};

export function referenceLabels(candles: readonly Candle[], options: ReferenceLabelOptions = {}): (Regime | undefined)[] {
  const o = { ...DEFAULT_REFERENCE_OPTIONS, ...options };
  const h = o.horizon;
  const n = candles.length;
  const logReturns = new Float64Array(n);
  for (let i = 1; i < n; i++) logReturns[i] = Math.log(candles[i].close / candles[i - 1].close);
  const sigma = new Float64Array(n).fill(NaN);
  const forward = new Float64Array(n).fill(NaN);
  for (let t = 0; t + h < n; t++) {
    let sum = 0;
    let sumSq = 0;
    for (let k = t + 1; k <= t + h; k++) {
      sum += logReturns[k];
      sumSq += logReturns[k] * logReturns[k];
    }
    const mean = sum / h;
    sigma[t] = Math.sqrt(Math.max(0, (sumSq - h * mean * mean) / (h - 1)));
    forward[t] = Math.log(candles[t + h].close / candles[t].close);
  }
  const { median, high } = centredQuantiles(sigma, o.volWindow, o.panicQuantile);
  const labels: (Regime | undefined)[] = new Array(n).fill(undefined);
  for (let t = 0; t < n; t++) {
    const s = sigma[t];
    const r = forward[t];
    if (!Number.isFinite(s) || !Number.isFinite(r)) continue;
    const eff = s > 0 ? Math.abs(r) / (s * Math.sqrt(h)) : 0;
    if (s >= high[t] && r < 0 && eff >= o.panicEfficiency) labels[t] = 'panic';
    else if (eff >= o.trendEfficiency) labels[t] = r > 0 ? 'trend_up' : 'trend_down';
    else labels[t] = s >= median[t] ? 'range_highvol' : 'range_lowvol';
  }
  return labels;
}

/** Median and q-quantile of the finite values in [t − window/2, t + window/2], per t (a sorted window slides along). */
function centredQuantiles(values: Float64Array, window: number, q: number): { median: Float64Array; high: Float64Array } {
  const n = values.length;
  const half = Math.floor(window / 2);
  const median = new Float64Array(n).fill(NaN);
  const high = new Float64Array(n).fill(NaN);
  const sorted: number[] = [];
  const insert = (x: number) => sorted.splice(lowerBound(sorted, x), 0, x);
  const remove = (x: number) => sorted.splice(lowerBound(sorted, x), 1);
  let lo = 0;
  let hi = -1;
  for (let t = 0; t < n; t++) {
    while (hi < Math.min(n - 1, t + half)) if (Number.isFinite(values[++hi])) insert(values[hi]);
    while (lo < t - half) if (Number.isFinite(values[lo++])) remove(values[lo - 1]);
    median[t] = quantileSorted(sorted, 0.5);
    high[t] = quantileSorted(sorted, q);
  }
  return { median, high };
}

function lowerBound(sorted: readonly number[], x: number): number {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (sorted[m] < x) a = m + 1;
    else b = m;
  }
  return a;
}

/** Linear-interpolation quantile ("type 7") of an ascending array. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
