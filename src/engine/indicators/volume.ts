/**
 * Volume-based indicators: volume z-score and session-anchored VWAP.
 */
import { RollingMoments } from './rolling.ts';

/**
 * How unusual this candle's volume is: (v − mean)/σ over the last `period` volumes, current one included, σ the
 * population standard deviation. A window of identical volumes gives 0. First value at index period−1.
 */
export class VolumeZScoreKernel {
  private readonly moments: RollingMoments;

  constructor(readonly period: number) {
    this.moments = new RollingMoments(period);
  }

  push(volume: number): number {
    const m = this.moments;
    m.push(volume);
    if (!m.full) return NaN;
    const variance = m.m2 / this.period;
    return variance > 0 ? (volume - m.mean) / Math.sqrt(variance) : 0;
  }
}

export type VwapAnchor = 'day' | 'week';

const DAY_MS = 86_400_000;
/** Weekly sessions start Monday 00:00 UTC (Binance's weekly candle); epoch 0 was a Thursday, hence 4 days. */
const WEEK_SHIFT_MS = 4 * DAY_MS;
const WEEK_MS = 7 * DAY_MS;

/**
 * VWAP anchored to a UTC session: Σ(typical·volume)/Σvolume with typical = (high+low+close)/3, both sums reset
 * when a candle opens in a new session (UTC day by default, or ISO week). Defined from the first candle; while
 * the session has traded zero volume it is the typical price of the latest candle (nothing to weight by).
 */
export class VwapKernel {
  private readonly byDay: boolean;
  private session = NaN;
  private priceVolume = 0;
  private volumeSum = 0;

  constructor(readonly anchor: VwapAnchor) {
    this.byDay = anchor === 'day';
  }

  push(ts: number, high: number, low: number, close: number, volume: number): number {
    const session = this.byDay ? Math.floor(ts / DAY_MS) : Math.floor((ts - WEEK_SHIFT_MS) / WEEK_MS);
    if (session !== this.session) {
      this.session = session;
      this.priceVolume = 0;
      this.volumeSum = 0;
    }
    const typical = (high + low + close) / 3;
    this.priceVolume += typical * volume;
    this.volumeSum += volume;
    return this.volumeSum > 0 ? this.priceVolume / this.volumeSum : typical;
  }
}
