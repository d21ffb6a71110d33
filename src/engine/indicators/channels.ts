/**
 * Range-based indicators: stochastic oscillators (TA-Lib-exact) and the Donchian channel.
 */
import { SmaKernel } from './moving-averages.ts';
import { RollingExtreme } from './rolling.ts';

/**
 * Fast %K as TA-Lib computes it: (close − lowest low)/((highest high − lowest low)/100) over `kPeriod` candles
 * (the divide-by-a-hundredth form, kept for exactness); 0 when the range is flat. First value at kPeriod−1.
 */
class FastKKernel {
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private count = 0;

  constructor(readonly kPeriod: number) {
    this.highest = new RollingExtreme(kPeriod, true);
    this.lowest = new RollingExtreme(kPeriod, false);
  }

  push(high: number, low: number, close: number): number {
    const hh = this.highest.push(high);
    const ll = this.lowest.push(low);
    if (++this.count < this.kPeriod) return NaN;
    const range = (hh - ll) / 100;
    return range !== 0 ? (close - ll) / range : 0;
  }
}

/**
 * Slow stochastic STOCH(k, slowK, slowD) with SMA smoothing: slow %K = SMA(fast %K), %D = SMA(slow %K).
 * TA-Lib emits both only from index k+slowK+slowD−3.
 */
export class StochasticKernel {
  private readonly fastK: FastKKernel;
  private readonly slowK: SmaKernel;
  private readonly slowD: SmaKernel;
  k = NaN;
  d = NaN;

  constructor(kPeriod: number, slowKPeriod: number, slowDPeriod: number) {
    this.fastK = new FastKKernel(kPeriod);
    this.slowK = new SmaKernel(slowKPeriod);
    this.slowD = new SmaKernel(slowDPeriod);
  }

  push(high: number, low: number, close: number): void {
    const fast = this.fastK.push(high, low, close);
    if (fast !== fast) return;
    const slowK = this.slowK.push(fast);
    if (slowK !== slowK) return;
    const slowD = this.slowD.push(slowK);
    if (slowD !== slowD) return;
    this.k = slowK;
    this.d = slowD;
  }
}

/** Fast stochastic STOCHF(k, d): %K = fast %K, %D = SMA(%K); TA-Lib emits both from index k+d−2. */
export class FastStochasticKernel {
  private readonly fastK: FastKKernel;
  private readonly fastD: SmaKernel;
  k = NaN;
  d = NaN;

  constructor(kPeriod: number, dPeriod: number) {
    this.fastK = new FastKKernel(kPeriod);
    this.fastD = new SmaKernel(dPeriod);
  }

  push(high: number, low: number, close: number): void {
    const fast = this.fastK.push(high, low, close);
    if (fast !== fast) return;
    const d = this.fastD.push(fast);
    if (d !== d) return;
    this.k = fast;
    this.d = d;
  }
}

/** Donchian channel: highest high and lowest low of the last `period` candles (current included), and their mid. */
export class DonchianKernel {
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private count = 0;
  upper = NaN;
  middle = NaN;
  lower = NaN;

  constructor(readonly period: number) {
    this.highest = new RollingExtreme(period, true);
    this.lowest = new RollingExtreme(period, false);
  }

  push(high: number, low: number): void {
    const hh = this.highest.push(high);
    const ll = this.lowest.push(low);
    if (++this.count < this.period) return;
    this.upper = hh;
    this.lower = ll;
    this.middle = (hh + ll) / 2;
  }
}
