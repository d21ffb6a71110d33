/**
 * PatternEngine with a subset of families: the families it runs (and what they are built from) emit exactly the
 * events and state of the whole engine, candle by candle on the BTCUSDT 15m sample; the others stay empty.
 */
import { describe, expect, it } from 'vitest';
import { PatternEngine, type PatternKind, type PatternState } from '../../../src/engine/patterns/index.ts';
import { PATTERN_FAMILIES, withDependencies, type PatternFamily } from '../../../src/engine/patterns/families.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const candles = loadSampleCandles('binance_BTCUSDT_15m').slice(0, 12_000);

/** The event kinds each family emits (written out from causal/*.ts). */
const KINDS: Record<PatternFamily, PatternKind[]> = {
  'candle-patterns': ['candle-pattern'],
  sessions: ['session-start', 'session-end'],
  'previous-high-low': ['previous-range', 'previous-high-broken', 'previous-low-broken'],
  swings: ['swing-high', 'swing-low'],
  structure: ['bos', 'choch'],
  fvg: ['fvg', 'fvg-mitigated'],
  'order-blocks': ['order-block', 'order-block-mitigated'],
  liquidity: ['liquidity-pool', 'liquidity-sweep'],
  retracement: [],
};

/** The parts of the state each family fills. */
const STATE: Record<PatternFamily, (keyof PatternState)[]> = {
  'candle-patterns': ['candlePatterns'],
  sessions: ['sessions'],
  'previous-high-low': ['previousRanges'],
  swings: ['lastSwingHigh', 'lastSwingLow'],
  structure: ['trend', 'lastStructureBreak'],
  fvg: ['activeFvgs'],
  'order-blocks': ['activeOrderBlocks'],
  liquidity: ['liquidityPools', 'recentSweeps', 'atr'],
  retracement: ['retracement'],
};

const EMPTY_STATE = new PatternEngine({}, []).state();

describe('PatternEngine restricted to families', () => {
  it('adds what a family is built from', () => {
    expect([...withDependencies(['liquidity'])].sort()).toEqual(['liquidity', 'swings']);
    expect([...withDependencies(['structure', 'order-blocks', 'retracement'])].sort()).toEqual(['order-blocks', 'retracement', 'structure', 'swings']);
    expect([...withDependencies(['sessions'])]).toEqual(['sessions']);
  });

  for (const family of PATTERN_FAMILIES) {
    it(`${family}: the same events and state as the whole engine, nothing else`, () => {
      const full = new PatternEngine();
      const part = new PatternEngine({}, [family]);
      const running = [...part.families];
      const kinds = new Set(running.flatMap((f) => KINDS[f]));
      const read = running.flatMap((f) => STATE[f]);
      const unread = PATTERN_FAMILIES.filter((f) => !part.families.has(f)).flatMap((f) => STATE[f]);
      let events = 0;
      for (const candle of candles) {
        const expected = full.update(candle).filter((e) => kinds.has(e.kind));
        const got = part.update(candle);
        expect(got).toEqual(expected);
        events += got.length;
        const fullState = full.state();
        const partState = part.state();
        for (const key of read) expect(partState[key], key).toEqual(fullState[key]);
        for (const key of unread) expect(partState[key], key).toEqual(EMPTY_STATE[key]);
      }
      if (kinds.size > 0) expect(events).toBeGreaterThan(0);
    }, 120_000);
  }
});
