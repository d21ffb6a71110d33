/**
 * Rolling-window building blocks with O(1) amortized updates, shared by several indicators.
 */

/**
 * Max (or min) over the last `window` values via a monotonic deque: each value enters and leaves the deque once,
 * so updates are O(1) amortized even on trending series (where "rescan when the extreme expires" degrades to
 * O(window)). The deque lives in power-of-two rings so wrapping is a bit mask.
 */
export class RollingExtreme {
  private readonly values: Float64Array;
  private readonly stamps: Float64Array;
  private readonly mask: number;
  private readonly sign: number;
  private head = 0;
  private tail = 0;
  private t = -1;

  constructor(
    private readonly window: number,
    isMax: boolean,
  ) {
    // The deque holds up to window+1 values (the newest is pushed before the expired front is dropped), plus one
    // free slot so that head === tail always means "empty".
    let capacity = 1;
    while (capacity < window + 2) capacity <<= 1;
    this.mask = capacity - 1;
    this.values = new Float64Array(capacity);
    this.stamps = new Float64Array(capacity);
    // Tracking the max of −x gives the min without a second code path.
    this.sign = isMax ? 1 : -1;
  }

  /** Adds a value and returns the extreme of the last `window` values (including this one). */
  push(x: number): number {
    const mask = this.mask;
    const values = this.values;
    const v = this.sign * x;
    const t = ++this.t;
    let tail = this.tail;
    while (tail !== this.head && values[(tail - 1) & mask] <= v) tail = (tail - 1) & mask;
    values[tail] = v;
    this.stamps[tail] = t;
    this.tail = (tail + 1) & mask;
    if (this.stamps[this.head] <= t - this.window) this.head = (this.head + 1) & mask;
    return this.sign * values[this.head];
  }
}

/**
 * Mean and variance of the last `window` values, updated with Welford's add / replace steps, which stay accurate
 * over millions of updates (a plain running sum of squares drifts and cancels badly on large prices or volumes).
 */
export class RollingMoments {
  private readonly ring: Float64Array;
  private pos = 0;
  count = 0;
  mean = 0;
  /** Sum of squared deviations from the mean over the window. */
  m2 = 0;

  constructor(readonly window: number) {
    this.ring = new Float64Array(window);
  }

  push(x: number): void {
    if (this.count < this.window) {
      this.ring[this.count++] = x;
      const d = x - this.mean;
      this.mean += d / this.count;
      this.m2 += d * (x - this.mean);
      return;
    }
    const old = this.ring[this.pos];
    this.ring[this.pos] = x;
    this.pos = this.pos + 1 === this.window ? 0 : this.pos + 1;
    const previousMean = this.mean;
    this.mean = previousMean + (x - old) / this.window;
    this.m2 += (x - old) * (x - this.mean + old - previousMean);
    if (this.m2 < 0) this.m2 = 0;
  }

  get full(): boolean {
    return this.count === this.window;
  }
}
