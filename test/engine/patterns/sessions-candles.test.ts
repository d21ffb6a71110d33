/** Sessions (IANA zones, DST) and candle patterns on hand-made candles. */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SESSIONS, detectCandlePatterns, PatternEngine } from '../../../src/engine/patterns/index.ts';
import { SessionTracker } from '../../../src/engine/patterns/causal/sessions.ts';
import { localMinuteOfDay } from '../../../src/engine/patterns/causal/time-zone.ts';
import type { Candle } from '../../../src/engine/types.ts';
import { bars, HOUR } from './build.ts';

const session = (name: string) => new SessionTracker(BUILT_IN_SESSIONS.find((s) => s.name === name)!);

describe('sessions', () => {
  it('follows daylight saving: London opens 08:00 GMT in winter and 07:00 UTC (08:00 BST) in summer', () => {
    const london = session('London');
    expect(london.contains(Date.UTC(2024, 0, 15, 7, 0))).toBe(false);
    expect(london.contains(Date.UTC(2024, 0, 15, 8, 0))).toBe(true);
    expect(london.contains(Date.UTC(2024, 6, 15, 7, 0))).toBe(true);
    // End is exclusive: 17:00 local is outside (16:00 UTC in July).
    expect(london.contains(Date.UTC(2024, 6, 15, 15, 45))).toBe(true);
    expect(london.contains(Date.UTC(2024, 6, 15, 16, 0))).toBe(false);
    const newYork = session('New York');
    expect(newYork.contains(Date.UTC(2024, 0, 15, 12, 0))).toBe(false); // 07:00 EST
    expect(newYork.contains(Date.UTC(2024, 6, 15, 12, 0))).toBe(true); // 08:00 EDT
  });

  it('resolves the DST switch inside the day it happens (Europe/London, 2024-03-31 01:00 UTC)', () => {
    expect(localMinuteOfDay('Europe/London', Date.UTC(2024, 2, 31, 0, 30))).toBe(30);
    expect(localMinuteOfDay('Europe/London', Date.UTC(2024, 2, 31, 1, 30))).toBe(150);
    expect(localMinuteOfDay('America/New_York', Date.UTC(2024, 10, 3, 5, 30))).toBe(60 + 30); // 01:30 EDT
    expect(localMinuteOfDay('America/New_York', Date.UTC(2024, 10, 3, 6, 30))).toBe(60 + 30); // 01:30 EST again
  });

  it('gives the same local minute when a day is asked again (remembered offsets) as Intl gives for it', () => {
    // Reference: the wall clock Intl prints for the instant, read here without the module's cache.
    const reference = (timeZone: string, ts: number) => {
      const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(ts);
      const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
      return get('hour') * 60 + get('minute');
    };
    // Every quarter-hour over the 2024 spring and autumn switches of London and New York, twice over.
    const days = [Date.UTC(2024, 2, 9), Date.UTC(2024, 2, 30), Date.UTC(2024, 9, 26), Date.UTC(2024, 10, 2)];
    for (const timeZone of ['Europe/London', 'America/New_York', 'Asia/Tokyo']) {
      for (let pass = 0; pass < 2; pass++) {
        for (const day of days) {
          for (let ts = day; ts < day + 3 * 86_400_000; ts += 900_000) expect(localMinuteOfDay(timeZone, ts), `${timeZone} ${new Date(ts).toISOString()}`).toBe(reference(timeZone, ts));
        }
      }
    }
  });

  it('wraps past midnight (Asian kill zone 20:00-00:00 New York)', () => {
    const asianKillZone = session('Asian kill zone');
    expect(asianKillZone.contains(Date.UTC(2024, 0, 16, 1, 0))).toBe(true); // 20:00 EST
    expect(asianKillZone.contains(Date.UTC(2024, 0, 16, 4, 45))).toBe(true); // 23:45 EST
    expect(asianKillZone.contains(Date.UTC(2024, 0, 16, 5, 0))).toBe(false); // 00:00 EST
  });

  it('emits start and end with the session high/low, and exposes the running range in the state', () => {
    // Custom 02:00-05:00 UTC session over hourly candles 00:00..06:00: candles 2, 3, 4 are inside.
    const engine = new PatternEngine({
      sessions: [{ name: 'Test', start: '02:00', end: '05:00', timeZone: 'UTC' }],
      previousHighLow: [],
      candlePatterns: false,
    });
    const candles = bars([[10, 9], [11, 9], [12, 10], [15, 11], [13, 8], [12, 10], [11, 10]]);
    const events = candles.slice(0, 4).flatMap((c) => [...engine.update(c)]).filter((e) => e.kind.startsWith('session'));
    expect(engine.state().sessions[0]).toEqual({ name: 'Test', active: true, startTs: candles[2].ts, high: 15, low: 10 });
    events.push(...candles.slice(4).flatMap((c) => [...engine.update(c)]).filter((e) => e.kind.startsWith('session')));
    expect(events.map((e) => [e.kind, e.index, e.top, e.bottom, e.confirmedIndex])).toEqual([
      ['session-start', 2, undefined, undefined, 2],
      ['session-end', 4, 15, 8, 5],
    ]);
    expect(engine.state().sessions[0].active).toBe(false);
  });

  it('rejects a malformed session', () => {
    expect(() => new PatternEngine({ sessions: [{ name: 'Bad', start: '25:00', end: '05:00', timeZone: 'UTC' }] })).toThrow(/HH:MM/);
    expect(() => new PatternEngine({ sessions: [{ name: 'Bad', start: '01:00', end: '05:00', timeZone: 'Mars/Olympus' }] })).toThrow(RangeError);
  });
});

const candle = (open: number, high: number, low: number, close: number): Candle => ({ ts: 0, open, high, low, close, volume: 0 });
const names = (current: Candle, previous?: Candle) =>
  detectCandlePatterns(current, previous).map((m) => (m.direction ? `${m.name}:${m.direction}` : m.name));

describe('candle patterns', () => {
  it('doji: body 0.05 of a 2.0 range', () => {
    expect(names(candle(10, 11, 9, 10.05))).toEqual(['doji']);
  });

  it('hammer (and bullish pin bar): body 0.2, lower wick 1.0, upper wick 0.05 of a 1.25 range', () => {
    expect(names(candle(10, 10.25, 9, 10.2))).toEqual(['hammer:bullish', 'pin-bar:bullish']);
  });

  it('shooting star (and bearish pin bar) mirrors it', () => {
    expect(names(candle(10, 11, 9.75, 9.8))).toEqual(['shooting-star:bearish', 'pin-bar:bearish']);
  });

  it('engulfing: a bullish body 8.9 -> 10.2 covers the bearish 10 -> 9', () => {
    expect(names(candle(8.9, 10.3, 8.8, 10.2), candle(10, 10.1, 8.95, 9))).toEqual(['engulfing:bullish']);
    expect(names(candle(10.1, 10.2, 8.7, 8.8), candle(9, 10.05, 8.9, 10))).toEqual(['engulfing:bearish']);
  });

  it('inside bar: 11/9 inside 12/8', () => {
    expect(names(candle(10, 11, 9, 10.5), candle(9, 12, 8, 11))).toEqual(['inside-bar']);
  });

  it('a plain trend candle matches nothing', () => {
    expect(names(candle(10, 11.1, 9.9, 11), candle(9, 10, 8.9, 9.9))).toEqual([]);
  });

  it('the engine reports the last candle patterns in its state', () => {
    const engine = new PatternEngine({ sessions: [], previousHighLow: [] });
    engine.update({ ts: 0, open: 9, high: 12, low: 8, close: 11, volume: 0 });
    engine.update({ ts: HOUR, open: 10, high: 11, low: 9, close: 10.5, volume: 0 });
    expect(engine.state().candlePatterns.map((e) => e.label)).toEqual(['inside-bar']);
  });
});
