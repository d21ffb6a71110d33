/**
 * RSI and MACD with TA-Lib's seeding (unstable period 0, TA-Lib's default).
 */
import { EmaKernel } from './moving-averages.ts';

/**
 * Wilder RSI: the first value (index `period`) uses simple means of the first `period` price changes; afterwards
 * avgGain = (avgGain·(period−1) + gain)/period, likewise for losses. A flat window gives 0, as in TA-Lib.
 * Deliberate deviation: TA-Lib treats avgGain+avgLoss below 1e-8 as zero, which would pin RSI to 0 for sub-cent
 * coins; we only treat an exact 0 as flat (identical results whenever prices move by more than ~1e-8).
 */
export class RsiKernel {
  private count = 0;
  private prevValue = NaN;
  private avgGain = 0;
  private avgLoss = 0;

  constructor(readonly period: number) {}

  push(x: number): number {
    const p = this.period;
    const n = this.count++;
    const change = x - this.prevValue;
    this.prevValue = x;
    if (n === 0) return NaN;
    if (n < p) {
      if (change < 0) this.avgLoss -= change;
      else this.avgGain += change;
      return NaN;
    }
    if (n === p) {
      if (change < 0) this.avgLoss -= change;
      else this.avgGain += change;
      this.avgLoss /= p;
      this.avgGain /= p;
    } else {
      this.avgLoss *= p - 1;
      this.avgGain *= p - 1;
      if (change < 0) this.avgLoss -= change;
      else this.avgGain += change;
      this.avgLoss /= p;
      this.avgGain /= p;
    }
    const total = this.avgGain + this.avgLoss;
    return total === 0 ? 0 : 100 * (this.avgGain / total);
  }
}

/**
 * MACD as TA-Lib computes it: slow EMA seeded with the SMA of closes 0..slow−1; fast EMA seeded with the SMA of
 * closes (slow−fast)..(slow−1) so both start on the same candle; signal = EMA of MACD seeded with the SMA of its
 * first `signal` values. TA-Lib emits all three outputs only from index slow+signal−2.
 */
export class MacdKernel {
  private readonly fast: EmaKernel;
  private readonly slow: EmaKernel;
  private readonly signalEma: EmaKernel;
  private readonly firstIndex: number;
  private count = 0;
  macd = NaN;
  signal = NaN;
  hist = NaN;

  constructor(fastPeriod: number, slowPeriod: number, signalPeriod: number) {
    this.fast = new EmaKernel(fastPeriod, slowPeriod - fastPeriod);
    this.slow = new EmaKernel(slowPeriod);
    this.signalEma = new EmaKernel(signalPeriod);
    this.firstIndex = slowPeriod + signalPeriod - 2;
  }

  push(x: number): void {
    const fast = this.fast.push(x);
    const slow = this.slow.push(x);
    const line = fast - slow;
    const n = this.count++;
    if (line === line) {
      const signal = this.signalEma.push(line);
      if (n >= this.firstIndex) {
        this.macd = line;
        this.signal = signal;
        this.hist = line - signal;
      }
    }
  }
}
