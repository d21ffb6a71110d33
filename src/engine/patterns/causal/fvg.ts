/**
 * Causal fair value gaps. Three candles a, b, c: bullish when b closes up and high(a) < low(c), zone
 * [high(a), low(c)]; bearish mirrored. Labelled on b (as the reference) but emitted on c's close. A gap is
 * mitigated by the first later candle that trades into it (bullish: low <= top; bearish: high >= bottom).
 * With joinConsecutive, a gap whose middle candle directly follows a still-active same-direction gap absorbs
 * it: the new event carries the union zone and `ref` to the absorbed gap, which leaves the active set.
 */
import type { CandleHistory } from './history.ts';
import type { EventDraft, PatternEvent, Step } from './events.ts';

export interface FvgOptions {
  joinConsecutive: boolean;
  /** Oldest unmitigated gaps are forgotten beyond this many, so a months-long run keeps O(1) work per candle. */
  maxActive: number;
}

export class FvgDetector {
  private readonly active: PatternEvent[] = [];
  /** Bumped whenever the active set changes, so a state snapshot is copied only after a change. */
  version = 0;

  constructor(readonly options: FvgOptions) {}

  get activeGaps(): readonly PatternEvent[] {
    return this.active;
  }

  update(step: Step, history: CandleHistory): void {
    const { candle: c, index } = step;
    const active = this.active;
    // Mitigated gaps leave the list in place, oldest first, each reported in list order.
    let kept = 0;
    for (let i = 0; i < active.length; i++) {
      const gap = active[i];
      const touched = gap.direction === 'bullish' ? c.low <= gap.top! : c.high >= gap.bottom!;
      if (touched) {
        step.emit({
          kind: 'fvg-mitigated',
          direction: gap.direction,
          index: gap.index,
          ts: gap.ts,
          top: gap.top,
          bottom: gap.bottom,
        });
      } else {
        active[kept++] = gap;
      }
    }
    if (kept < active.length) {
      active.length = kept;
      this.version++;
    }
    if (index < 2) return;
    const aHigh = history.high(index - 2);
    const aLow = history.low(index - 2);
    const bOpen = history.open(index - 1);
    const bClose = history.close(index - 1);
    let direction: 'bullish' | 'bearish';
    let top: number;
    let bottom: number;
    if (bClose > bOpen && aHigh < c.low) {
      direction = 'bullish';
      top = c.low;
      bottom = aHigh;
    } else if (bClose < bOpen && aLow > c.high) {
      direction = 'bearish';
      top = aLow;
      bottom = c.high;
    } else {
      return;
    }
    let ref: PatternEvent['ref'];
    const previous = active[active.length - 1];
    if (this.options.joinConsecutive && previous && previous.index === index - 2 && previous.direction === direction) {
      top = Math.max(top, previous.top!);
      bottom = Math.min(bottom, previous.bottom!);
      ref = { index: previous.index, ts: previous.ts };
      active.pop();
    }
    const draft: EventDraft = { kind: 'fvg', direction, index: index - 1, ts: history.ts(index - 1), top, bottom };
    if (ref) draft.ref = ref;
    active.push(step.emit(draft));
    if (active.length > this.options.maxActive) active.shift();
    this.version++;
  }
}
