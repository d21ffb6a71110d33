/** Bounded candle memory for the causal detectors: a live engine runs for months, so history is a ring. */
import type { Candle } from '../../types.ts';

export class CandleHistory {
  private readonly ring: Candle[];
  private count = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<Candle>(capacity);
  }

  push(candle: Candle): void {
    this.ring[this.count % this.capacity] = candle;
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

  at(index: number): Candle {
    if (!(index >= 0 && index < this.count && index >= this.count - this.capacity)) throw new RangeError(`candle ${index} is not in history`);
    return this.ring[index % this.capacity];
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
