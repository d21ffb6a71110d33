/**
 * Causal fractal swings. Candle p is a swing high when its high is strictly above the `left` candles before it
 * and at least as high as the `right` candles after it (so of two equal highs the first one is the swing);
 * lows mirror this. Known only on the close of candle p + right, which is when the event is emitted.
 * Unlike the reference, consecutive same-type swings are all kept: dropping the weaker one would rewrite history.
 */
import type { CandleHistory } from './history.ts';
import type { PatternEvent, Step } from './events.ts';

export interface SwingOptions {
  left: number;
  right: number;
}

const NONE: readonly PatternEvent[] = Object.freeze([]);

export class SwingDetector {
  lastHigh: PatternEvent | undefined;
  lastLow: PatternEvent | undefined;

  constructor(readonly options: SwingOptions) {
    if (!(options.left >= 1 && options.right >= 1)) throw new RangeError('swing left/right lengths must be >= 1');
  }

  /** Returns the swings confirmed on this candle (high first). */
  update(step: Step, history: CandleHistory): readonly PatternEvent[] {
    const { left, right } = this.options;
    const p = step.index - right;
    if (p - left < 0) return NONE;
    const pivotHigh = history.high(p);
    const pivotLow = history.low(p);
    let isHigh = true;
    let isLow = true;
    for (let k = p - left; k <= p + right && (isHigh || isLow); k++) {
      if (k === p) continue;
      const high = history.high(k);
      const low = history.low(k);
      if (k < p ? high >= pivotHigh : high > pivotHigh) isHigh = false;
      if (k < p ? low <= pivotLow : low < pivotLow) isLow = false;
    }
    if (!isHigh && !isLow) return NONE;
    const found: PatternEvent[] = [];
    if (isHigh) {
      this.lastHigh = step.emit({ kind: 'swing-high', index: p, ts: history.ts(p), level: pivotHigh });
      found.push(this.lastHigh);
    }
    if (isLow) {
      this.lastLow = step.emit({ kind: 'swing-low', index: p, ts: history.ts(p), level: pivotLow });
      found.push(this.lastLow);
    }
    return found;
  }
}
