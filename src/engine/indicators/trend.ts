/**
 * ADX with +DI/−DI (Wilder, TA-Lib-exact) and the least-squares regression slope.
 */

/**
 * Directional movement as TA-Lib computes it: +DM/−DM/TR are summed over candles 1..period−1, then from candle
 * `period` on each sum decays Wilder-style (sum − sum/period + new). DI = 100·DM/TR from index `period`;
 * DX = 100·|+DI − −DI|/(+DI + −DI); ADX = mean of the first `period` DX values (first ADX at 2·period−1),
 * then (ADX·(period−1) + DX)/period. When TR or the DI sum is exactly 0, TA-Lib keeps the previous ADX.
 */
export class AdxKernel {
  private count = 0;
  private prevHigh = NaN;
  private prevLow = NaN;
  private prevClose = NaN;
  private plusDm = 0;
  private minusDm = 0;
  private trSum = 0;
  private dxSum = 0;
  private adxValue = NaN;
  adx = NaN;
  pdi = NaN;
  mdi = NaN;

  constructor(readonly period: number) {}

  push(high: number, low: number, close: number): void {
    const p = this.period;
    const n = this.count++;
    const diffPlus = high - this.prevHigh;
    const diffMinus = this.prevLow - low;
    const prevClose = this.prevClose;
    this.prevHigh = high;
    this.prevLow = low;
    this.prevClose = close;
    if (n === 0) return;

    let tr = high - low;
    const toHigh = Math.abs(high - prevClose);
    if (toHigh > tr) tr = toHigh;
    const toLow = Math.abs(low - prevClose);
    if (toLow > tr) tr = toLow;

    if (n >= p) {
      this.minusDm -= this.minusDm / p;
      this.plusDm -= this.plusDm / p;
    }
    if (diffMinus > 0 && diffPlus < diffMinus) this.minusDm += diffMinus;
    else if (diffPlus > 0 && diffPlus > diffMinus) this.plusDm += diffPlus;
    this.trSum = n >= p ? this.trSum - this.trSum / p + tr : this.trSum + tr;
    if (n < p) return;

    let dx = NaN;
    if (this.trSum === 0) {
      this.pdi = 0;
      this.mdi = 0;
    } else {
      this.mdi = 100 * (this.minusDm / this.trSum);
      this.pdi = 100 * (this.plusDm / this.trSum);
      const diSum = this.mdi + this.pdi;
      if (diSum !== 0) dx = 100 * (Math.abs(this.mdi - this.pdi) / diSum);
    }
    const firstAdx = 2 * p - 1;
    if (n < firstAdx) {
      if (dx === dx) this.dxSum += dx;
    } else if (n === firstAdx) {
      if (dx === dx) this.dxSum += dx;
      this.adxValue = this.dxSum / p;
      this.adx = this.adxValue;
    } else {
      if (dx === dx) this.adxValue = (this.adxValue * (p - 1) + dx) / p;
      this.adx = this.adxValue;
    }
  }
}

/**
 * Slope of the least-squares line through the last `period` values (x = 0..period−1, oldest first), in price
 * units per candle. Kept in O(1): S = Σy and T = Σ i·y; when the window slides every remaining value's x drops by
 * one, so T loses S − y_oldest. slope = (n·T − Σx·S) / (n·Σx² − (Σx)²).
 * NaN inputs (a source indicator still warming up, as in slope:20:ema:200) are skipped, like the quantile's.
 */
export class LinRegSlopeKernel {
  private readonly ring: Float64Array;
  private readonly sumX: number;
  private readonly divisor: number;
  private count = 0;
  private sumY = 0;
  private sumXY = 0;

  constructor(readonly period: number) {
    const n = period;
    this.ring = new Float64Array(n);
    this.sumX = (n * (n - 1)) / 2;
    const sumXSquared = ((n - 1) * n * (2 * n - 1)) / 6;
    this.divisor = n * sumXSquared - this.sumX * this.sumX;
  }

  push(y: number): number {
    if (y !== y) return NaN;
    const n = this.period;
    const slot = this.count % n;
    if (this.count < n) {
      this.sumXY += this.count * y;
      this.sumY += y;
    } else {
      const oldest = this.ring[slot];
      this.sumXY -= this.sumY - oldest;
      this.sumXY += (n - 1) * y;
      this.sumY += y - oldest;
    }
    this.ring[slot] = y;
    this.count++;
    if (this.count < n) return NaN;
    return (n * this.sumXY - this.sumX * this.sumY) / this.divisor;
  }
}
