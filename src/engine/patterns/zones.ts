/** Which zones (fair value gaps, order blocks) a candle trades into: the one overlap rule for the engine and its readers. */
import type { Candle } from '../types.ts';
import type { PatternEvent } from './causal/events.ts';

/** Zones of `zones` (oldest first) whose band the candle's range overlaps, newest first (the most recent imbalance is the one price reacts to). */
export function zonesTouching(zones: readonly PatternEvent[], candle: Pick<Candle, 'high' | 'low'>): readonly PatternEvent[] {
  let touched: PatternEvent[] | undefined;
  for (let i = zones.length - 1; i >= 0; i--) {
    const zone = zones[i];
    const top = Math.max(zone.top!, zone.bottom!);
    const bottom = Math.min(zone.top!, zone.bottom!);
    if (candle.low <= top && candle.high >= bottom) (touched ??= []).push(zone);
  }
  return touched ?? NONE;
}

const NONE: readonly PatternEvent[] = Object.freeze([]);
