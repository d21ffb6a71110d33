/**
 * Causal market structure. The latest confirmed swing high is the level bulls must break and the latest swing
 * low the level bears must break. A candle that closes beyond it (or trades beyond it, with breakOn "wick")
 * emits a break: a CHoCH when it goes against the current trend, a BOS when it goes with it (or sets the first
 * trend). Each swing can be broken once. This is the usual live definition, not the reference's four-swing
 * pattern, which is labelled on a swing that the data only confirms much later.
 */
import type { Direction, PatternEvent, Step } from './events.ts';

export interface StructureOptions {
  breakOn: 'close' | 'wick';
}

export class StructureDetector {
  trend: Direction | undefined;
  lastBreak: PatternEvent | undefined;
  private high: PatternEvent | undefined;
  private low: PatternEvent | undefined;

  constructor(readonly options: StructureOptions) {}

  update(step: Step, newSwings: readonly PatternEvent[]): void {
    for (const swing of newSwings) {
      if (swing.kind === 'swing-high') this.high = swing;
      else this.low = swing;
    }
    const c = step.candle;
    const wick = this.options.breakOn === 'wick';
    if (this.high && (wick ? c.high : c.close) > this.high.level!) {
      this.emitBreak(step, this.high, 'bullish');
      this.high = undefined;
    }
    if (this.low && (wick ? c.low : c.close) < this.low.level!) {
      this.emitBreak(step, this.low, 'bearish');
      this.low = undefined;
    }
  }

  private emitBreak(step: Step, swing: PatternEvent, direction: Direction): void {
    const kind = this.trend !== undefined && this.trend !== direction ? 'choch' : 'bos';
    this.lastBreak = step.emit({ kind, direction, index: swing.index, ts: swing.ts, level: swing.level });
    this.trend = direction;
  }
}
