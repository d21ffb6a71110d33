/**
 * Causal previous period high/low (e.g. previous day, previous week). Periods follow
 * src/engine/market/timeframes.ts (UTC; weeks open Monday 00:00). The previous range is the last completed
 * period that had candles, so weekends and holidays are skipped; it is announced on the first candle of a new
 * period, and each side's first break within the period is reported once.
 */
import type { Timeframe } from '../../types.ts';
import { periodStart } from '../../market/timeframes.ts';
import type { Step } from './events.ts';

export interface PreviousRangeState {
  timeframe: Timeframe;
  periodStart: number;
  high: number;
  low: number;
  brokenHigh: boolean;
  brokenLow: boolean;
}

export class PreviousHighLowTracker {
  previous: PreviousRangeState | undefined;
  private currentStart = NaN;
  private currentFirstIndex = 0;
  private currentFirstTs = NaN;
  private currentHigh = -Infinity;
  private currentLow = Infinity;

  constructor(readonly timeframe: Timeframe) {}

  update(step: Step): void {
    const c = step.candle;
    const start = periodStart(c.ts, this.timeframe);
    if (start !== this.currentStart) {
      if (!Number.isNaN(this.currentStart)) {
        const completed = this.currentStart;
        this.previous = { timeframe: this.timeframe, periodStart: completed, high: this.currentHigh, low: this.currentLow, brokenHigh: false, brokenLow: false };
        step.emit({ kind: 'previous-range', index: this.currentFirstIndex, ts: this.currentFirstTs, top: this.currentHigh, bottom: this.currentLow, label: this.timeframe });
      }
      this.currentStart = start;
      this.currentFirstIndex = step.index;
      this.currentFirstTs = c.ts;
      this.currentHigh = -Infinity;
      this.currentLow = Infinity;
    }
    this.currentHigh = Math.max(this.currentHigh, c.high);
    this.currentLow = Math.min(this.currentLow, c.low);
    const previous = this.previous;
    if (!previous) return;
    if (!previous.brokenHigh && c.high > previous.high) {
      this.previous = { ...previous, brokenHigh: true };
      step.emit({ kind: 'previous-high-broken', direction: 'bullish', index: step.index, ts: c.ts, level: previous.high, label: this.timeframe });
    }
    if (!previous.brokenLow && c.low < previous.low) {
      this.previous = { ...this.previous!, brokenLow: true };
      step.emit({ kind: 'previous-low-broken', direction: 'bearish', index: step.index, ts: c.ts, level: previous.low, label: this.timeframe });
    }
  }
}
