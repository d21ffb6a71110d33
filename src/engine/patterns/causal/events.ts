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
  emit(draft: EventDraft): PatternEvent;
}

export function makeStep(index: number, candle: Candle, sink: PatternEvent[]): Step {
  return {
    index,
    candle,
    emit(draft) {
      const event: PatternEvent = Object.freeze({ ...draft, confirmedIndex: index, confirmedTs: candle.ts });
      sink.push(event);
      return event;
    },
  };
}
