/**
 * Rolling Pearson correlation of daily returns. Prices trend, so correlating raw closes would call almost any two
 * trending coins "correlated"; returns are what move together or not.
 */

export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // A flat series has no defined correlation.
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

export function simpleReturns(closes: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < closes.length; i++) out.push(closes[i] / closes[i - 1] - 1);
  return out;
}

export interface RollingCorrelation {
  rho: number | null;
  /** Number of daily returns the value is based on. */
  observations: number;
}

/**
 * Correlation of the last `windowDays` daily returns of two close series that end on the same day and are aligned
 * day by day (the longer one is trimmed from the start).
 */
export function rollingCorrelation(closesA: readonly number[], closesB: readonly number[], windowDays: number): RollingCorrelation {
  const n = Math.min(closesA.length, closesB.length, windowDays + 1);
  if (n < 3) return { rho: null, observations: Math.max(0, n - 1) };
  const a = simpleReturns(closesA.slice(closesA.length - n));
  const b = simpleReturns(closesB.slice(closesB.length - n));
  return { rho: pearson(a, b), observations: n - 1 };
}
