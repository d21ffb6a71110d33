/**
 * Setup semantics: three-valued evaluation (unknown is never true), pattern and context settings from each setup's
 * own YAML. Each test here failed on the code before the fix (see the commit message).
 */
import { describe, expect, it } from 'vitest';
import { parseSetup } from '../../../src/engine/setups/index.ts';
import { evaluate, type EvalContext } from '../../../src/engine/setups/evaluate.ts';
import type { Condition } from '../../../src/engine/setups/schema.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import { resampleCandles } from '../../../src/engine/market/resample.ts';
import { PatternEngine } from '../../../src/engine/patterns/index.ts';
import type { Candle, MarketKey } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const setupText = (id: string, body: string, timeframe = '1d') => `id: ${id}
name: ${id}
description: semantics test
rationale: a setup written only to check how conditions are evaluated
timeframe: ${timeframe}
${body}
stop: { type: percent, pct: 2 }
targets: [{ r: 2 }]
validity: { bars: 1 }
`;

/** A context where `a` is known (1), `nan` is not warmed up, and the structure is not known yet. */
const ctx: EvalContext = {
  side: 'bull',
  series: (ref) => (ref.name === 'a' ? 1 : NaN),
  param: () => NaN,
  patternWithin: () => undefined,
  inZone: () => undefined,
  candlePattern: () => false,
  inSession: () => false,
  structure: () => undefined,
};
const truth = (c: Condition) => evaluate(c, ctx).truth;

describe('three-valued evaluation', () => {
  it('a comparison on a value that is not warmed up is unknown, and stays unknown under not, all and any', () => {
    const unknown: Condition = { lt: ['close', 'nan'] };
    expect(truth(unknown)).toBe('unknown');
    expect(truth({ not: unknown })).toBe('unknown');
    expect(truth({ not: { not: unknown } })).toBe('unknown');
    expect(truth({ any: [unknown, { gt: ['a', 2] }] })).toBe('unknown'); // unknown OR false
    expect(truth({ any: [unknown, { gt: ['a', 0] }] })).toBe('true'); // unknown OR true
    expect(truth({ all: [unknown, { gt: ['a', 0] }] })).toBe('unknown'); // unknown AND true
    expect(truth({ all: [unknown, { gt: ['a', 2] }] })).toBe('false'); // unknown AND false
    expect(truth({ not: { structure: 'bull', timeframe: 'htf' } })).toBe('unknown');
    expect(truth({ not: { in_zone: 'fvg' } })).toBe('unknown');
    expect(truth({ not: { pattern: 'bos', within: 5 } })).toBe('unknown');
    expect(truth({ not: { crosses_above: ['a', 'nan'] } })).toBe('unknown');
    expect(truth({ not: { between: ['a', 'nan', 3] } })).toBe('unknown');
  });

  it('`not: close < SMA 200` fires only once the SMA 200 exists (it fired from the very first candle)', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_1d');
    const setup = parseSetup(setupText('not_below_sma', 'indicators: { sma200: "sma:200" }\nrules: { long: { not: { lt: [close, sma200] } } }'), 'x.yaml');
    const market: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1d' };
    const signals = detectSignals(candles, { market, setups: [setup] });
    const indexOf = new Map(candles.map((c, i) => [c.ts, i]));
    expect(signals.length).toBeGreaterThan(5);
    // SMA 200's first value is on candle index 199; before it, "not below" is unknown, not true.
    expect(indexOf.get(signals[0].ts)).toBeGreaterThanOrEqual(199);
    for (const s of signals) {
      const i = indexOf.get(s.ts)!;
      const sma = candles.slice(i - 199, i + 1).reduce((sum, c) => sum + c.close, 0) / 200;
      expect(candles[i].close).toBeGreaterThanOrEqual(sma - 1e-9);
    }
  });

  it('`not` of the higher-timeframe structure is unknown before the context has a structure break', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_1h').slice(0, 2000);
    const setup = parseSetup(setupText('not_htf_bull', 'context: { timeframe: 1d }\nrules: { long: { not: { structure: bull, timeframe: htf } } }', '1h'), 'x.yaml');
    const signals = detectSignals(candles, { market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' }, setups: [setup] });
    // The daily structure needs at least 5 + 5 + 1 daily candles for a first swing and a break: 11 days = 264 hours.
    expect(signals.length).toBeGreaterThan(10);
    for (const s of signals) expect(s.ts).toBeGreaterThanOrEqual(candles[0].ts + 11 * 86_400_000);
  });
});

/** Candle indexes where close crosses above the last confirmed swing high of a PatternEngine with this swing length. */
function swingHighCrosses(candles: Candle[], swing: number): number[] {
  const engine = new PatternEngine({ swings: { left: swing, right: swing } });
  const level: number[] = candles.map((c) => {
    engine.update(c);
    return engine.state().lastSwingHigh?.level ?? NaN;
  });
  const out: number[] = [];
  for (let i = 2; i < candles.length; i++) {
    if (candles[i - 1].close < level[i - 2] && candles[i].close > level[i - 1]) out.push(i);
  }
  return out;
}

describe('pattern settings come from each setup', () => {
  const swingSetup = (id: string, swing: number) =>
    parseSetup(setupText(id, `patterns: { swing_length: ${swing} }\nrules: { long: { crosses_above: [close, swing_high@1] } }`, '4h'), `${id}.yaml`);

  it('a setup reads swing levels of its own swing_length, whatever setup is listed first', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_4h').slice(0, 3000);
    const market: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '4h' };
    const short = swingSetup('swing_two', 2);
    const long = swingSetup('swing_eight', 8);
    const together = detectSignals(candles, { market, setups: [short, long] });
    const indexOf = new Map(candles.map((c, i) => [c.ts, i]));
    for (const [setup, swing] of [[short, 2], [long, 8]] as const) {
      const expected = swingHighCrosses(candles, swing);
      expect(expected.length, setup.id).toBeGreaterThan(20);
      expect(together.filter((s) => s.setupId === setup.id).map((s) => indexOf.get(s.ts)!), setup.id).toEqual(expected);
    }
  });

  it('the context timeframe structure uses context.patterns (it was hard-coded to swing length 5)', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_1h').slice(0, 6000);
    const daily = resampleCandles(candles, '1h', '1d');
    for (const swing of [2, 8]) {
      const setup = parseSetup(
        setupText(`htf_swing_${swing}`, `context: { timeframe: 1d, patterns: { swing_length: ${swing} } }\nrules: { long: { structure: bull, timeframe: htf } }`, '1h'),
        'x.yaml',
      );
      const signals = detectSignals(candles, { market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' }, setups: [setup] });
      // Expected: the daily trend after each closed day, from a PatternEngine with this swing length.
      const engine = new PatternEngine({ swings: { left: swing, right: swing } });
      const bullishFrom = new Map<number, boolean>();
      for (const d of daily) {
        engine.update(d);
        bullishFrom.set(d.ts + 86_400_000, engine.state().trend === 'bullish');
      }
      let bullish = false;
      const expected: number[] = [];
      let last = -Infinity;
      for (const [i, c] of candles.entries()) {
        const closeTs = c.ts + 3_600_000;
        if (bullishFrom.has(closeTs)) bullish = bullishFrom.get(closeTs)!;
        // validity 1 bar: one signal, then the next is allowed two candles later at the earliest.
        if (bullish && i - last > 1) {
          expected.push(c.ts);
          last = i;
        }
      }
      expect(expected.length).toBeGreaterThan(100);
      expect(signals.map((s) => s.ts), `swing ${swing}`).toEqual(expected);
    }
  });
});
