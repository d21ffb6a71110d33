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
  private active: PatternEvent[] = [];
  private high: PatternEvent | undefined;
  private low: PatternEvent | undefined;

  constructor(readonly options: OrderBlockOptions) {}

  get activeBlocks(): readonly PatternEvent[] {
    return this.active;
  }

  update(step: Step, history: CandleHistory, newSwings: readonly PatternEvent[]): void {
    const c = step.candle;
    if (this.active.length > 0) {
      this.active = this.active.filter((block) => {
        const through = block.direction === 'bullish' ? c.low < block.bottom! : c.high > block.top!;
        if (through) {
          step.emit({ kind: 'order-block-mitigated', direction: block.direction, index: block.index, ts: block.ts, top: block.top, bottom: block.bottom });
        }
        return !through;
      });
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
      for (let k = from + 1; k < step.index; k++) {
        const candle = history.at(k);
        const bestCandle = history.at(best);
        if (direction === 'bullish' ? candle.low <= bestCandle.low : candle.high >= bestCandle.high) best = k;
      }
    }
    const block = history.at(best);
    const event = step.emit({
      kind: 'order-block',
      direction,
      index: best,
      ts: block.ts,
      top: block.high,
      bottom: block.low,
      ref: { index: swing.index, ts: swing.ts },
    });
    this.active.push(event);
    if (this.active.length > this.options.maxActive) this.active.shift();
  }
}
