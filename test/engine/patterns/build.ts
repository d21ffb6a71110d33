/** Test helper: hand-written candles, one hour apart from 2024-01-15 00:00 UTC unless a ts is given. */
import type { Candle } from '../../../src/engine/types.ts';
import { PatternEngine, type PatternEngineOverrides, type PatternEvent } from '../../../src/engine/patterns/index.ts';

export const HOUR = 3_600_000;
export const START = Date.UTC(2024, 0, 15);

/** [high, low, open?, close?]; open/close default to the middle of the range. */
export type Bar = [number, number, number?, number?];

export function bars(list: Bar[], start = START, step = HOUR): Candle[] {
  return list.map(([high, low, open, close], i) => {
    const mid = (high + low) / 2;
    return { ts: start + i * step, open: open ?? mid, high, low, close: close ?? mid, volume: 1 };
  });
}

/** An engine with only the structural detectors (no sessions, periods or candle patterns), unless overridden. */
export function feed(candles: Candle[], overrides: PatternEngineOverrides = {}): PatternEvent[] {
  const engine = new PatternEngine({ sessions: [], previousHighLow: [], candlePatterns: false, ...overrides });
  return candles.flatMap((c) => [...engine.update(c)]);
}

export function ofKind(events: PatternEvent[], ...kinds: string[]): PatternEvent[] {
  return events.filter((e) => kinds.includes(e.kind));
}
