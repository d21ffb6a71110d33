import type { Candle } from '../../types.ts';

/**
 * Bounded candle memory for the causal detectors: a live engine runs for months, so history is a ring. It keeps the
 * prices, not the Candle objects: a ring of 2,000 objects kept every candle alive long enough to be promoted to the
 * old generation (old-space collections were an eighth of a long backtest's CPU time).
 */
export class CandleHistory {
  private readonly tsRing: Float64Array;
  private readonly openRing: Float64Array;
  private readonly highRing: Float64Array;
  private readonly lowRing: Float64Array;
  private readonly closeRing: Float64Array;
  private count = 0;

  constructor(readonly capacity: number) {
    this.tsRing = new Float64Array(capacity);
    this.openRing = new Float64Array(capacity);
    this.highRing = new Float64Array(capacity);
    this.lowRing = new Float64Array(capacity);
    this.closeRing = new Float64Array(capacity);
  }

  push(candle: Candle): void {
    const k = this.count % this.capacity;
    this.tsRing[k] = candle.ts;
    this.openRing[k] = candle.open;
    this.highRing[k] = candle.high;
    this.lowRing[k] = candle.low;
    this.closeRing[k] = candle.close;
    this.count++;
  }

  /** Candles seen so far (the next index). */
  get size(): number {
    return this.count;
  }

  /** Oldest index still held. */
  get firstIndex(): number {
    return Math.max(0, this.count - this.capacity);
  }

  /** Ring position of candle `index`; RangeError when it is not held. */
  private slot(index: number): number {
    if (!(index >= 0 && index < this.count && index >= this.count - this.capacity)) throw new RangeError(`candle ${index} is not in history`);
    return index % this.capacity;
  }

  ts(index: number): number {
    return this.tsRing[this.slot(index)];
  }

  open(index: number): number {
    return this.openRing[this.slot(index)];
  }

  high(index: number): number {
    return this.highRing[this.slot(index)];
  }

  low(index: number): number {
    return this.lowRing[this.slot(index)];
  }

  close(index: number): number {
    return this.closeRing[this.slot(index)];
  }
}

/** Wilder's average true range, streaming; NaN until `period` true ranges are seen. */
export class WilderAtr {
  private previousClose = NaN;
  private seen = 0;
  private sum = 0;
  value = NaN;

  constructor(readonly period: number) {}

  update(c: Candle): number {
    const trueRange = Number.isNaN(this.previousClose)
      ? c.high - c.low
      : Math.max(c.high - c.low, Math.abs(c.high - this.previousClose), Math.abs(c.low - this.previousClose));
    this.previousClose = c.close;
    this.seen++;
    if (this.seen <= this.period) {
      this.sum += trueRange;
      if (this.seen === this.period) this.value = this.sum / this.period;
    } else {
      this.value = (this.value * (this.period - 1) + trueRange) / this.period;
    }
    return this.value;
  }
}
