/** CAUSAL detectors on small hand-built series; every expected value below is worked out by hand in the comments. */
import { describe, expect, it } from 'vitest';
import { PatternEngine } from '../../../src/engine/patterns/index.ts';
import { bars, feed, ofKind, START, HOUR } from './build.ts';

const swings11 = { swings: { left: 1, right: 1 } };

describe('swings', () => {
  it('confirms a fractal high `right` candles later; of two equal highs the first is the swing', () => {
    // highs 1,2,5,3,5,2,1 with left=right=2: index 2 (5 > 1,2 and >= 3,5) is a swing, index 4 is not (5 is not > 5).
    const candles = bars([[1, 0], [2, 1], [5, 4], [3, 2], [5, 4], [2, 1], [1, 0]]);
    const highs = ofKind(feed(candles, { swings: { left: 2, right: 2 } }), 'swing-high');
    expect(highs).toEqual([
      { kind: 'swing-high', index: 2, ts: START + 2 * HOUR, level: 5, confirmedIndex: 4, confirmedTs: START + 4 * HOUR },
    ]);
  });
});

// A shared hand-made walk (left = right = 1):
//  i0 h5 l4 | i1 h10 l8 (swing high, known at i2) | i2 h9 l7 (swing low, known at i3)
//  i3 h12 l9 close 11: closes above 10 -> bullish BOS of the i1 swing; bullish OB = lowest low between i1 and i3 = i2
//  i4 h11 l6 close 6.5: low 6 < 7 mitigates that OB; closes below 7 -> bearish CHoCH of the i2 swing (trend was
//     bullish); bearish OB = highest high between i2 and i4 = i3 (12 / 9)
const walk = bars([[5, 4, 4.2, 4.5], [10, 8, 8.5, 9], [9, 7, 8.5, 8], [12, 9, 9.5, 11], [11, 6, 10, 6.5]]);

describe('structure: BOS and CHoCH', () => {
  it('breaks the latest swing on a close beyond it, CHoCH when against the trend', () => {
    const breaks = ofKind(feed(walk, swings11), 'bos', 'choch');
    expect(breaks.map((e) => [e.kind, e.direction, e.index, e.level, e.confirmedIndex])).toEqual([
      ['bos', 'bullish', 1, 10, 3],
      ['choch', 'bearish', 2, 7, 4],
    ]);
  });

  it('with breakOn wick a high beyond the level is enough', () => {
    // i3 now closes at 9.5 (below 10) but its high 12 trades above -> the break still comes at i3.
    const candles = bars([[5, 4], [10, 8], [9, 7], [12, 9, 9.2, 9.5]]);
    expect(ofKind(feed(candles, swings11), 'bos')).toEqual([]);
    const wick = ofKind(feed(candles, { ...swings11, structure: { breakOn: 'wick' } }), 'bos');
    expect(wick.map((e) => [e.direction, e.index, e.confirmedIndex])).toEqual([['bullish', 1, 3]]);
  });
});

describe('order blocks', () => {
  it('creates the block on the breaking candle and mitigates it when price trades through', () => {
    const events = ofKind(feed(walk, swings11), 'order-block', 'order-block-mitigated');
    expect(events.map((e) => [e.kind, e.direction, e.index, e.top, e.bottom, e.confirmedIndex])).toEqual([
      ['order-block', 'bullish', 2, 9, 7, 3],
      ['order-block-mitigated', 'bullish', 2, 9, 7, 4],
      ['order-block', 'bearish', 3, 12, 9, 4],
    ]);
  });

  it('reports active blocks in the state until mitigated', () => {
    const engine = new PatternEngine({ sessions: [], previousHighLow: [], candlePatterns: false, ...swings11 });
    walk.forEach((c) => engine.update(c));
    expect(engine.state().activeOrderBlocks.map((b) => [b.direction, b.index])).toEqual([['bearish', 3]]);
    expect(engine.state().trend).toBe('bearish');
  });

  it('a state snapshot does not change when later candles arrive', () => {
    const engine = new PatternEngine({ sessions: [], previousHighLow: [], candlePatterns: false, ...swings11 });
    walk.slice(0, 4).forEach((c) => engine.update(c));
    const snapshot = engine.state();
    const before = JSON.stringify(snapshot);
    engine.update(walk[4]);
    expect(JSON.stringify(snapshot)).toBe(before);
    expect(snapshot.activeOrderBlocks.map((b) => b.direction)).toEqual(['bullish']);
    expect(Object.isFrozen(snapshot.activeOrderBlocks)).toBe(true);
  });
});

describe('fair value gaps', () => {
  // a h10 | b bullish body, h13 l9.5 | c l11: gap [10, 11] labelled on b (i1), known at c (i2).
  it('emits the gap on the third candle and its mitigation when price trades back into it', () => {
    const candles = bars([[10, 9], [13, 9.5, 10, 12.5], [14, 11], [15, 12], [14, 10.5]]);
    const events = ofKind(feed(candles), 'fvg', 'fvg-mitigated');
    expect(events.map((e) => [e.kind, e.direction, e.index, e.top, e.bottom, e.confirmedIndex])).toEqual([
      ['fvg', 'bullish', 1, 11, 10, 2],
      ['fvg-mitigated', 'bullish', 1, 11, 10, 4],
    ]);
  });

  it('joins a gap whose middle candle follows an active same-direction gap', () => {
    // gap 1 on i1: [10, 11]; gap 2 on i2 (bullish body): b.high 13 < d.low 13.5 -> [13, 13.5]; joined [10, 13.5].
    const candles = bars([[10, 9], [13, 9.5, 10, 12.5], [14, 11, 11.5, 13.8], [15, 13.5]]);
    const plain = ofKind(feed(candles), 'fvg');
    expect(plain.map((e) => [e.index, e.top, e.bottom])).toEqual([[1, 11, 10], [2, 13.5, 13]]);
    const joined = ofKind(feed(candles, { fvg: { joinConsecutive: true } }), 'fvg');
    expect(joined.map((e) => [e.index, e.top, e.bottom, e.ref?.index])).toEqual([[1, 11, 10, undefined], [2, 13.5, 10, 1]]);
  });
});

describe('liquidity', () => {
  // Tolerance 0.1% of price (~0.1): swing highs 100 (i1) and 100.05 (i3) are equal highs; the pool is known when
  // the second swing is confirmed (i4); i5 trades to 100.2 and closes back at 99.9 below 100.05: a sweep.
  const candles = bars([[99, 98], [100, 99], [99.5, 98.5], [100.05, 99], [99.6, 98.8], [100.2, 99.5, 99.6, 99.9]]);
  const options = { ...swings11, liquidity: { tolerance: { mode: 'fraction' as const, value: 0.001 } } };

  it('pools equal highs within tolerance and reports the sweep', () => {
    const events = ofKind(feed(candles, options), 'liquidity-pool', 'liquidity-sweep');
    expect(events.map((e) => [e.kind, e.direction, e.index, e.count, e.label, e.confirmedIndex])).toEqual([
      ['liquidity-pool', 'bullish', 1, 2, undefined, 4],
      ['liquidity-sweep', 'bullish', 1, 2, 'sweep', 5],
    ]);
    expect(events[0].level).toBeCloseTo(100.025, 10);
    expect([events[0].bottom, events[0].top, events[1].level]).toEqual([100, 100.05, 100.05]);
  });

  it('labels a sweep that closes beyond the pool a run', () => {
    const breakout = [...candles.slice(0, 5), ...bars([[100.3, 99.5, 99.6, 100.2]], candles[5].ts)];
    const sweep = ofKind(feed(breakout, options), 'liquidity-sweep');
    expect(sweep.map((e) => [e.label, e.confirmedIndex])).toEqual([['run', 5]]);
  });

  it('keeps highs apart when they differ by more than the tolerance', () => {
    const tight = { ...options, liquidity: { tolerance: { mode: 'fraction' as const, value: 0.0001 } } };
    expect(ofKind(feed(candles, tight), 'liquidity-pool')).toEqual([]);
  });
});

describe('previous day high/low', () => {
  it('announces the previous day on the first candle of the next and reports each break once', () => {
    const day1 = bars([[10, 9], [11, 8], [12, 9], [11, 10]], START, HOUR);
    const day2 = bars([[11, 9], [12.5, 10], [13, 11], [11, 7.5]], START + 24 * HOUR, HOUR);
    const events = ofKind(feed([...day1, ...day2], { previousHighLow: ['1d'] }), 'previous-range', 'previous-high-broken', 'previous-low-broken');
    expect(events.map((e) => [e.kind, e.top ?? e.level, e.bottom, e.confirmedIndex])).toEqual([
      ['previous-range', 12, 8, 4],
      ['previous-high-broken', 12, undefined, 5],
      ['previous-low-broken', 8, undefined, 7],
    ]);
  });
});

describe('retracement depth', () => {
  it('measures how far the candle came back into the leg between the latest swings', () => {
    // left = right = 1: swing high 10 (i1), swing low 7 (i2, known at i3). Down leg 10 -> 7 (span 3):
    // i3 high 8 -> (8 - 7) / 3 = 33.3 %, i4 high 9.1 -> 70 %, deepest 70 %.
    const candles = bars([[5, 4], [10, 8], [9, 7], [8, 7.5], [9.1, 8]]);
    const engine = new PatternEngine({ sessions: [], previousHighLow: [], candlePatterns: false, ...swings11 });
    candles.slice(0, 4).forEach((c) => engine.update(c));
    expect(engine.state().retracement).toEqual({ leg: 'down', swingHigh: 10, swingLow: 7, currentPct: 33.3, deepestPct: 33.3 });
    engine.update(candles[4]);
    expect(engine.state().retracement).toEqual({ leg: 'down', swingHigh: 10, swingLow: 7, currentPct: 70, deepestPct: 70 });
  });
});
