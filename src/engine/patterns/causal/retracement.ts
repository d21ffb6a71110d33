/**
 * Causal retracement depth of the current leg, in percent of the leg between the latest confirmed swing high
 * and low. After a swing high (up leg), depth = (high - low of the candle) / (high - swingLow); after a swing
 * low, mirrored with the candle's high. The deepest value resets when a new swing is confirmed. Unlike the
 * reference there is no one-row shift and no warm-up zeroing: values exist once both swings are known.
 */
import type { Candle } from '../../types.ts';
import type { PatternEvent } from './events.ts';

export interface RetracementState {
  /** "up" when the latest swing is a high (price retraces down from it), "down" after a swing low. */
  leg: 'up' | 'down';
  swingHigh: number;
  swingLow: number;
  currentPct: number;
  deepestPct: number;
}

export class RetracementTracker {
  private view: RetracementState | undefined;
  private current = NaN;
  private stale = false;
  private high = NaN;
  private low = NaN;
  private leg: 'up' | 'down' | undefined;
  private deepest = 0;

  update(candle: Candle, newSwings: readonly PatternEvent[]): void {
    for (const swing of newSwings) {
      if (swing.kind === 'swing-high') {
        this.high = swing.level!;
        this.leg = 'up';
      } else {
        this.low = swing.level!;
        this.leg = 'down';
      }
      this.deepest = 0;
    }
    if (!this.leg || Number.isNaN(this.high) || Number.isNaN(this.low)) return;
    const span = this.high - this.low;
    const raw = span === 0 ? 0 : this.leg === 'up' ? (this.high - candle.low) / span : (candle.high - this.low) / span;
    const currentPct = Math.round(raw * 1000) / 10;
    this.deepest = Math.max(this.deepest, currentPct);
    this.current = currentPct;
    this.stale = true;
  }

  /** The latest candle's retracement (frozen), built when asked: most candles never are. */
  get state(): RetracementState | undefined {
    if (this.stale) {
      this.view = Object.freeze({ leg: this.leg!, swingHigh: this.high, swingLow: this.low, currentPct: this.current, deepestPct: this.deepest });
      this.stale = false;
    }
    return this.view;
  }
}
