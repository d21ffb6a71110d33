/**
 * Causal order blocks. When a candle closes above the latest confirmed, not yet used swing high, the bullish
 * order block is the candle with the lowest low between that swing and the breaking candle (the last one on
 * ties; the previous candle when none lies between). Bearish mirrors it with the highest high below a swing low.
 * An order block is mitigated by the first later candle that trades through its far side (bullish: low < bottom),
 * reported on that candle (the reference reports the candle before it).
 */
import type { CandleHistory } from './history.ts';
import type { Direction, PatternEvent, Step } from './events.ts';

export interface OrderBlockOptions {
  maxActive: number;
}

export class OrderBlockDetector {
  private readonly active: PatternEvent[] = [];
  /** Bumped whenever the active set changes, so a state snapshot is copied only after a change. */
  version = 0;
  private high: PatternEvent | undefined;
  private low: PatternEvent | undefined;

  constructor(readonly options: OrderBlockOptions) {}

  get activeBlocks(): readonly PatternEvent[] {
    return this.active;
  }

  update(step: Step, history: CandleHistory, newSwings: readonly PatternEvent[]): void {
    const c = step.candle;
    const active = this.active;
    let kept = 0;
    for (let i = 0; i < active.length; i++) {
      const block = active[i];
      const through = block.direction === 'bullish' ? c.low < block.bottom! : c.high > block.top!;
      if (through) {
        step.emit({ kind: 'order-block-mitigated', direction: block.direction, index: block.index, ts: block.ts, top: block.top, bottom: block.bottom });
      } else {
        active[kept++] = block;
      }
    }
    if (kept < active.length) {
      active.length = kept;
      this.version++;
    }
    for (const swing of newSwings) {
      if (swing.kind === 'swing-high') this.high = swing;
      else this.low = swing;
    }
    if (this.high && c.close > this.high.level!) {
      this.create(step, history, this.high, 'bullish');
      this.high = undefined;
    }
    if (this.low && c.close < this.low.level!) {
      this.create(step, history, this.low, 'bearish');
      this.low = undefined;
    }
  }

  private create(step: Step, history: CandleHistory, swing: PatternEvent, direction: Direction): void {
    const from = Math.max(swing.index + 1, history.firstIndex);
    let best = step.index - 1;
    if (from < step.index) {
      best = from;
      if (direction === 'bullish') {
        let lowest = history.low(best);
        for (let k = from + 1; k < step.index; k++) {
          const low = history.low(k);
          if (low <= lowest) {
            best = k;
            lowest = low;
          }
        }
      } else {
        let highest = history.high(best);
        for (let k = from + 1; k < step.index; k++) {
          const high = history.high(k);
          if (high >= highest) {
            best = k;
            highest = high;
          }
        }
      }
    }
    const event = step.emit({
      kind: 'order-block',
      direction,
      index: best,
      ts: history.ts(best),
      top: history.high(best),
      bottom: history.low(best),
      ref: { index: swing.index, ts: swing.ts },
    });
    this.active.push(event);
    if (this.active.length > this.options.maxActive) this.active.shift();
    this.version++;
  }
}
