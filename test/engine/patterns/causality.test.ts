/**
 * CAUSAL mode: feeding candles one at a time never changes what was already emitted. The whole EURUSD 15m file
 * is replayed once, candle by candle; then fresh engines run on prefixes cut at 50 random points (and the full
 * length) must emit exactly the events of the long run confirmed up to that point, in the same order.
 */
import { describe, expect, it } from 'vitest';
import { PatternEngine, type PatternEvent } from '../../../src/engine/patterns/index.ts';
import { loadEurusd15m } from './eurusd.ts';

const candles = loadEurusd15m();

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Serialized events of a fresh engine fed the first `count` candles (strings compare far faster than deep equality). */
function run(count: number): string[] {
  const engine = new PatternEngine();
  const events: string[] = [];
  for (let i = 0; i < count; i++) for (const event of engine.update(candles[i])) events.push(JSON.stringify(event));
  return events;
}

describe('causal pattern engine', () => {
  const engine = new PatternEngine();
  const log: PatternEvent[] = [];
  const snapshots: string[] = [];
  let confirmedOnEmission = true;
  for (let i = 0; i < candles.length; i++) {
    for (const event of engine.update(candles[i])) {
      if (event.confirmedIndex !== i || event.confirmedTs !== candles[i].ts || event.index > i) confirmedOnEmission = false;
      log.push(event);
      snapshots.push(JSON.stringify(event));
    }
  }

  it('emits every kind of event on the EURUSD file', () => {
    const kinds = new Set(log.map((e) => e.kind));
    for (const kind of ['swing-high', 'swing-low', 'bos', 'choch', 'fvg', 'fvg-mitigated', 'order-block',
      'order-block-mitigated', 'liquidity-pool', 'liquidity-sweep', 'previous-range', 'previous-high-broken',
      'previous-low-broken', 'session-start', 'session-end', 'candle-pattern'] as const) {
      expect(kinds.has(kind), kind).toBe(true);
    }
  });

  it('stamps each event with the candle that confirmed it, never a later or earlier one', () => {
    expect(confirmedOnEmission).toBe(true);
  });

  it('never mutates an emitted event afterwards (frozen, identical snapshot at the end)', () => {
    expect(log.every((e) => Object.isFrozen(e))).toBe(true);
    expect(log.map((e) => JSON.stringify(e))).toEqual(snapshots);
    expect(() => {
      (log[0] as { level?: number }).level = 1;
    }).toThrow(TypeError);
  });

  it('a fresh run cut at t emits exactly the long run events confirmed up to t', () => {
    const next = random(20240521);
    const cuts = Array.from({ length: 50 }, () => 1 + Math.floor(next() * (candles.length - 1)));
    cuts.push(candles.length);
    for (const t of cuts) {
      const expected = snapshots.filter((_, k) => log[k].confirmedIndex < t);
      const actual = run(t);
      const firstDifference = actual.findIndex((line, k) => line !== expected[k]);
      expect({ t, count: actual.length, firstDifference }).toEqual({ t, count: expected.length, firstDifference: -1 });
    }
  });

  it('rejects a candle that does not follow the previous one', () => {
    const fresh = new PatternEngine();
    fresh.update(candles[1]);
    expect(() => fresh.update(candles[0])).toThrow(/does not follow/);
  });
});
