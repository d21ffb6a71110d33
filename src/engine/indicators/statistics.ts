/**
 * Rolling quantile of any series.
 */

/**
 * q-quantile of the last `window` values with linear interpolation between order statistics (the usual
 * "type 7" definition, numpy's default): h = (window−1)·q, value = x₍⌊h⌋₎ + (h−⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎).
 * A sorted copy of the window is kept; each update moves the replaced value to its new place, O(window) worst
 * case but only across the values between the old and the new one. NaN inputs (a source still warming up) are
 * skipped: they neither enter the window nor count towards its warm-up.
 */
export class RollingQuantileKernel {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private readonly lowerRank: number;
  private readonly fraction: number;
  private count = 0;
  private pos = 0;

  constructor(
    readonly window: number,
    readonly q: number,
  ) {
    this.ring = new Float64Array(window);
    this.sorted = new Float64Array(window);
    const h = (window - 1) * q;
    this.lowerRank = Math.floor(h);
    this.fraction = h - this.lowerRank;
  }

  push(x: number): number {
    if (x !== x) return NaN;
    const w = this.window;
    const sorted = this.sorted;
    if (this.count < w) {
      let j = this.count++;
      while (j > 0 && sorted[j - 1] > x) {
        sorted[j] = sorted[j - 1];
        j--;
      }
      sorted[j] = x;
      this.ring[this.pos] = x;
      this.pos = this.pos + 1 === w ? 0 : this.pos + 1;
      if (this.count < w) return NaN;
    } else {
      const old = this.ring[this.pos];
      this.ring[this.pos] = x;
      this.pos = this.pos + 1 === w ? 0 : this.pos + 1;
      const from = lowerBound(sorted, old, w);
      if (x > old) {
        // Values strictly between old and x slide one place left; x lands just before the first value ≥ x.
        const to = lowerBound(sorted, x, w) - 1;
        // Short shifts (most, in a window of ~100) by a plain loop, since copyWithin's call overhead dominates them;
        // long ones (a noisy series in a window of 300: hv in the regime classifier) by copyWithin, a memmove.
        if (to - from > LONG_SHIFT) sorted.copyWithin(from, from + 1, to + 1);
        else for (let j = from; j < to; j++) sorted[j] = sorted[j + 1];
        sorted[to > from ? to : from] = x;
      } else {
        const to = upperBound(sorted, x, w);
        if (from - to > LONG_SHIFT) sorted.copyWithin(to + 1, to, from);
        else for (let j = from; j > to; j--) sorted[j] = sorted[j - 1];
        sorted[to < from ? to : from] = x;
      }
    }
    return this.interpolated(this.lowerRank, this.fraction);
  }

  /**
   * Another quantile of the same window, with push's interpolation (so a kernel of that q fed the same values returns
   * the same number); NaN until the window is full. Two quantiles of one series then share one sorted window.
   */
  quantile(q: number): number {
    if (this.count < this.window) return NaN;
    const h = (this.window - 1) * q;
    const lo = Math.floor(h);
    return this.interpolated(lo, h - lo);
  }

  /** The sorted window's value at rank lo + fraction, linearly between neighbours. */
  private interpolated(lo: number, fraction: number): number {
    const low = this.sorted[lo];
    return fraction === 0 ? low : low + fraction * (this.sorted[lo + 1] - low);
  }
}

/** Shifts longer than this use copyWithin (a memmove); shorter ones a plain loop, cheaper than the call. */
const LONG_SHIFT = 24;

/** First index whose value is ≥ `value` (n when none). */
function lowerBound(sorted: Float64Array, value: number, n: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > `value` (n when none). */
function upperBound(sorted: Float64Array, value: number, n: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
