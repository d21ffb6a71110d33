/**
 * CAUSAL pattern events. An event is emitted on the candle that confirms it and is frozen: later candles never
 * rewrite it. `index`/`ts` locate the pattern's own candle (the swing, the gap's middle candle, the order-block
 * candle); `confirmedIndex`/`confirmedTs` locate the candle on whose close it became known.
 * Indexes count candles fed to one engine, from 0.
 */
import type { Candle } from '../../types.ts';

export type Direction = 'bullish' | 'bearish';

export type PatternKind =
  | 'swing-high'
  | 'swing-low'
  | 'bos'
  | 'choch'
  | 'fvg'
  | 'fvg-mitigated'
  | 'order-block'
  | 'order-block-mitigated'
  | 'liquidity-pool'
  | 'liquidity-sweep'
  | 'previous-range'
  | 'previous-high-broken'
  | 'previous-low-broken'
  | 'session-start'
  | 'session-end'
  | 'candle-pattern';

export interface CandleRef {
  index: number;
  ts: number;
}

export interface PatternEvent {
  kind: PatternKind;
  direction?: Direction;
  index: number;
  ts: number;
  confirmedIndex: number;
  confirmedTs: number;
  /** The price that matters: swing level, broken level, pool level, previous high/low. */
  level?: number;
  /** Zone bounds (FVG, order block, pool band, session or period range). */
  top?: number;
  bottom?: number;
  /** Sub-type or name: candle pattern name, session name, previous-range timeframe, sweep or run. */
  label?: string;
  /** The earlier pattern this event refers to (the swing broken, the gap mitigated, a merged gap). */
  ref?: CandleRef;
  /** How many swings a liquidity pool holds. */
  count?: number;
}

export type EventDraft = Omit<PatternEvent, 'confirmedIndex' | 'confirmedTs'>;

/** What a detector gets on every closed candle. */
export interface Step {
  index: number;
  candle: Candle;
  /** Completes the draft in place (it must be a fresh literal, used for nothing else) and freezes it. */
  emit(draft: EventDraft): PatternEvent;
}

const NO_EVENTS: readonly PatternEvent[] = Object.freeze([]);

/**
 * The engine's one Step, moved to each new candle: no closure and no step object per candle. An event is the
 * detector's own draft literal with the two confirmation fields appended and then frozen, so it has the same keys
 * in the same order as a copy would, without the copy (a spread-and-freeze costs microseconds per event in V8).
 */
export class EventStep implements Step {
  index = -1;
  candle!: Candle;
  private sink: PatternEvent[] | undefined;

  begin(index: number, candle: Candle): void {
    this.index = index;
    this.candle = candle;
    this.sink = undefined;
  }

  emit(draft: EventDraft): PatternEvent {
    const event = draft as PatternEvent;
    event.confirmedIndex = this.index;
    event.confirmedTs = this.candle.ts;
    Object.freeze(event);
    (this.sink ??= []).push(event);
    return event;
  }

  /** Events emitted since `begin` (the array is frozen and handed out; a quiet candle gets a shared empty one). */
  finish(): readonly PatternEvent[] {
    return this.sink ? Object.freeze(this.sink) : NO_EVENTS;
  }

  /** Events emitted since `begin`, from position `from` on (frozen). */
  since(from: number): readonly PatternEvent[] {
    return this.sink && this.sink.length > from ? Object.freeze(this.sink.slice(from)) : NO_EVENTS;
  }

  get count(): number {
    return this.sink ? this.sink.length : 0;
  }
}
