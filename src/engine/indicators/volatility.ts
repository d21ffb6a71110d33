/**
 * True range, ATR, Bollinger Bands (TA-Lib-exact) and historical volatility.
 */
import { SmaKernel } from './moving-averages.ts';
import { RollingMoments } from './rolling.ts';

/** TA-Lib's TRANGE: needs the previous close, so the first candle has none. */
export class TrueRangeKernel {
  private prevClose = NaN;

  push(high: number, low: number, close: number): number {
    const prevClose = this.prevClose;
    this.prevClose = close;
    if (prevClose !== prevClose) return NaN;
    let greatest = high - low;
    const toHigh = Math.abs(prevClose - high);
    if (toHigh > greatest) greatest = toHigh;
    const toLow = Math.abs(prevClose - low);
    if (toLow > greatest) greatest = toLow;
    return greatest;
  }
}

/** ATR: the first value (index `period`) is the mean of TR[1..period]; then Wilder smoothing. */
export class AtrKernel {
  private readonly tr = new TrueRangeKernel();
  private count = 0;
  private sum = 0;
  private prev = NaN;

  constructor(readonly period: number) {}

  push(high: number, low: number, close: number): number {
    const tr = this.tr.push(high, low, close);
    const n = this.count++;
    const p = this.period;
    if (n === 0) return NaN;
    if (n < p) {
      this.sum += tr;
      return NaN;
    }
    if (n === p) {
      this.sum += tr;
      this.prev = this.sum / p;
      return this.prev;
    }
    this.prev *= p - 1;
    this.prev += tr;
    this.prev /= p;
    return this.prev;
  }
}

/**
 * Bollinger Bands around an SMA with the POPULATION standard deviation. TA-Lib computes the variance as
 * mean(x²) − mean², with a running sum of squares; we repeat that exact formula so results match TA-Lib.
 * Deliberate deviation: TA-Lib zeroes variances below 1e-8, which collapses the bands of sub-cent coins; we only
 * clamp negative round-off (identical results whenever the standard deviation exceeds 1e-4).
 */
export class BollingerKernel {
  private readonly sma: SmaKernel;
  private readonly ring: Float64Array;
  private count = 0;
  private slot = 0;
  private sumSquares = 0;
  upper = NaN;
  middle = NaN;
  lower = NaN;

  constructor(
    readonly period: number,
    readonly deviations: number,
  ) {
    this.sma = new SmaKernel(period);
    this.ring = new Float64Array(period);
  }

  push(x: number): void {
    const p = this.period;
    const middle = this.sma.push(x);
    const slot = this.slot;
    const next = slot + 1 === p ? 0 : slot + 1;
    this.slot = next;
    this.ring[slot] = x;
    this.sumSquares += x * x;
    if (this.count < p && ++this.count < p) return;
    let variance = this.sumSquares / p;
    const oldest = this.ring[next];
    this.sumSquares -= oldest * oldest;
    variance -= middle * middle;
    const deviation = variance > 0 ? Math.sqrt(variance) : 0;
    const width = deviation * this.deviations;
    this.middle = middle;
    this.upper = middle + width;
    this.lower = middle - width;
  }
}

/**
 * Historical volatility: sample standard deviation of the last `period` log returns ln(c_t/c_{t−1}), times
 * sqrt(periodsPerYear) to annualize (365 for daily crypto, 8760 for hourly, 252 for daily stocks, 1 for none).
 * First value at index `period` (needs period+1 closes).
 */
export class HistoricalVolatilityKernel {
  private readonly moments: RollingMoments;
  private readonly scale: number;
  private prevClose = NaN;

  constructor(
    readonly period: number,
    readonly periodsPerYear: number,
  ) {
    this.moments = new RollingMoments(period);
    this.scale = periodsPerYear;
  }

  push(close: number): number {
    const prevClose = this.prevClose;
    this.prevClose = close;
    if (prevClose !== prevClose) return NaN;
    this.moments.push(Math.log(close / prevClose));
    if (!this.moments.full) return NaN;
    return Math.sqrt((this.moments.m2 / (this.period - 1)) * this.scale);
  }
}
