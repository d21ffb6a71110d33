/**
 * Moving averages with TA-Lib's exact arithmetic (same operation order, so results agree to the last few ulps).
 */

/** Simple moving average: TA-Lib keeps a running total (add newest, divide, drop oldest). First value at period-1. */
export class SmaKernel {
  private readonly ring: Float64Array;
  private sum = 0;
  private count = 0;
  /** Ring slot of the next value (count mod period, kept without a division per candle). */
  private slot = 0;

  constructor(readonly period: number) {
    this.ring = new Float64Array(period);
  }

  push(x: number): number {
    const p = this.period;
    const slot = this.slot;
    const next = slot + 1 === p ? 0 : slot + 1;
    this.slot = next;
    this.ring[slot] = x;
    this.sum += x;
    if (this.count < p && ++this.count < p) return NaN;
    const out = this.sum / p;
    // The oldest value of the current window sits right after the newest slot.
    this.sum -= this.ring[next];
    return out;
  }
}

/**
 * Exponential moving average, TA-Lib style: k = 2/(period+1), seeded with the SMA of the first `period` values
 * (first value at index period-1). `skip` ignores that many leading inputs; MACD uses it because TA-Lib seeds its
 * fast EMA from the SMA of closes (slow-fast)..(slow-1), not of the first `fast` closes.
 */
export class EmaKernel {
  private readonly k: number;
  private skipLeft: number;
  private count = 0;
  private seedSum = 0;
  private prev = NaN;

  constructor(
    readonly period: number,
    skip = 0,
  ) {
    this.k = 2 / (period + 1);
    this.skipLeft = skip;
  }

  push(x: number): number {
    if (this.skipLeft > 0) {
      this.skipLeft--;
      return NaN;
    }
    this.count++;
    if (this.count < this.period) {
      this.seedSum += x;
      return NaN;
    }
    if (this.count === this.period) {
      this.seedSum += x;
      this.prev = this.seedSum / this.period;
      return this.prev;
    }
    this.prev = (x - this.prev) * this.k + this.prev;
    return this.prev;
  }
}

/**
 * Weighted moving average (weights 1..period, newest heaviest), updated in O(1) as TA-Lib does: keep the weighted
 * sum and the plain sum; each step adds period·x and then subtracts the plain sum (every weight drops by one).
 */
export class WmaKernel {
  private readonly ring: Float64Array;
  private readonly divider: number;
  private count = 0;
  private slot = 0;
  private weightedSum = 0;
  private plainSum = 0;

  constructor(readonly period: number) {
    this.ring = new Float64Array(period);
    this.divider = (period * (period + 1)) / 2;
  }

  push(x: number): number {
    const p = this.period;
    const slot = this.slot;
    this.slot = slot + 1 === p ? 0 : slot + 1;
    const trailing = this.count >= p ? this.ring[slot] : 0;
    this.ring[slot] = x;
    this.count++;
    if (this.count < p) {
      this.plainSum += x;
      this.weightedSum += x * this.count;
      return NaN;
    }
    this.plainSum += x;
    this.plainSum -= trailing;
    this.weightedSum += x * p;
    const out = this.weightedSum / this.divider;
    this.weightedSum -= this.plainSum;
    return out;
  }
}
