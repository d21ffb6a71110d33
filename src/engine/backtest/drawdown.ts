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
}

export function drawdowns(ts: ArrayLike<number>, equity: ArrayLike<number>): DrawdownSummary {
  const n = equity.length;
  let peak = -Infinity;
  let maxFraction = 0;
  let maxQuote = 0;
  // Anchors are the bars at a peak (and the last bar); a period spans two consecutive anchors. One pass with the
  // running depth since the previous anchor: no per-bar series or anchor list (millions of entries on long runs).
  let depthSum = 0;
  let durationSum = 0;
  let maxDurationMs = NaN;
  let periods = 0;
  let prev = -1;
  let depth = 0;
  const anchor = (cur: number) => {
    if (prev >= 0 && cur > prev + 1) {
      const duration = ts[cur] - ts[prev];
      depthSum += depth;
      durationSum += duration;
      maxDurationMs = Number.isNaN(maxDurationMs) ? duration : Math.max(maxDurationMs, duration);
      periods++;
    }
    prev = cur;
    depth = 0;
  };
  for (let i = 0; i < n; i++) {
    if (equity[i] > peak) peak = equity[i];
    const fraction = 1 - equity[i] / peak;
    if (fraction > maxFraction) maxFraction = fraction;
    if (peak - equity[i] > maxQuote) maxQuote = peak - equity[i];
    if (fraction > depth) depth = fraction;
    if (fraction === 0) anchor(i);
  }
  if (n > 0 && prev !== n - 1) anchor(n - 1);
  return {
    maxFraction,
    maxQuote,
    avgFraction: periods ? depthSum / periods : NaN,
    maxDurationMs,
    avgDurationMs: periods ? durationSum / periods : NaN,
    periods,
  };
}
