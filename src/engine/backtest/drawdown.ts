/**
 * Drawdowns of an equity curve. Drawdown periods follow backtesting.py: a period runs from the last bar at a peak
 * to the next bar back at a peak (or to the last bar), and its depth is the deepest drawdown inside it.
 */

export interface DrawdownSummary {
  /** Deepest drawdown as a positive fraction of the running peak. */
  maxFraction: number;
  /** Deepest drawdown in quote currency. */
  maxQuote: number;
  /** Mean depth of the drawdown periods (fraction); NaN if none. */
  avgFraction: number;
  maxDurationMs: number;
  avgDurationMs: number;
  periods: number;
  /** 1 − equity / running peak, per bar. */
  series: Float64Array;
}

export function drawdowns(ts: ArrayLike<number>, equity: ArrayLike<number>): DrawdownSummary {
  const n = equity.length;
  const series = new Float64Array(n);
  let peak = -Infinity;
  let maxFraction = 0;
  let maxQuote = 0;
  for (let i = 0; i < n; i++) {
    if (equity[i] > peak) peak = equity[i];
    series[i] = 1 - equity[i] / peak;
    if (series[i] > maxFraction) maxFraction = series[i];
    if (peak - equity[i] > maxQuote) maxQuote = peak - equity[i];
  }
  const anchors: number[] = [];
  for (let i = 0; i < n; i++) if (series[i] === 0) anchors.push(i);
  if (n > 0 && anchors[anchors.length - 1] !== n - 1) anchors.push(n - 1);
  let depthSum = 0;
  let durationSum = 0;
  let maxDurationMs = NaN;
  let periods = 0;
  for (let k = 1; k < anchors.length; k++) {
    const prev = anchors[k - 1];
    const cur = anchors[k];
    if (cur <= prev + 1) continue;
    let depth = 0;
    for (let i = prev; i <= cur; i++) if (series[i] > depth) depth = series[i];
    const duration = ts[cur] - ts[prev];
    depthSum += depth;
    durationSum += duration;
    maxDurationMs = Number.isNaN(maxDurationMs) ? duration : Math.max(maxDurationMs, duration);
    periods++;
  }
  return {
    maxFraction,
    maxQuote,
    avgFraction: periods ? depthSum / periods : NaN,
    maxDurationMs,
    avgDurationMs: periods ? durationSum / periods : NaN,
    periods,
    series,
  };
}
