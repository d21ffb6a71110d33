/**
 * A backtest's detector (describeContext false) runs only the pattern-engine families its setups read. Checked two
 * ways: the derivation names the families each shipped setup reads (written out by hand from the YAML files), and
 * for each family a setup whose decision depends on that family alone gives, on the real 15m sample, exactly the
 * signals of the detector that runs the whole engine (describeContext true), and gives some — so dropping the family
 * from the derivation would make it fail.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';
import { loadSetupFile, parseSetup, type Setup } from '../../../src/engine/setups/index.ts';
import { MarketDetector } from '../../../src/engine/signals/detector.ts';
import { setupPatternFamilies } from '../../../src/engine/signals/pattern-families.ts';
import type { PatternFamily } from '../../../src/engine/patterns/families.ts';
import type { Candle, Signal } from '../../../src/engine/types.ts';

const shippedFamilies: Record<string, PatternFamily[]> = {
  breakout_4h: [],
  sma_cross: [],
  range_rev: ['candle-patterns'],
  // Its only pattern read: the session criterion.
  ema_cross: ['sessions'],
  // The session rule and the asia_kill_zone levels; the structure criterion (built from swings).
  london_breakout: ['sessions', 'structure', 'swings'],
  // The session filter; the bos/choch criterion.
  vol_exp: ['sessions', 'structure', 'swings'],
  // Sweeps and choch, the swing stop, the liquidity target (pools and previous day/week extremes), kill zones, fvg.
  sweep_choch: ['liquidity', 'structure', 'swings', 'previous-high-low', 'sessions', 'fvg'],
  // Own structure, the gap it trades into (in_zone, limit entry, zone-edge stop), sessions, reaction candles, liquidity target.
  fvg_retrace: ['structure', 'swings', 'fvg', 'sessions', 'candle-patterns', 'liquidity', 'previous-high-low'],
};

describe('pattern families a shipped setup reads', () => {
  const files = readdirSync(path.join(ROOT, 'setups')).filter((f) => f.endsWith('.yaml'));
  it('names every shipped setup', () => expect(files.map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(Object.keys(shippedFamilies).sort()));
  for (const file of files) {
    const id = file.replace(/\.yaml$/, '');
    it(id, () => {
      const setup = loadSetupFile(path.join(ROOT, 'setups', file));
      expect([...setupPatternFamilies(setup)].sort()).toEqual([...shippedFamilies[id]].sort());
    });
  }
});

/** A 15m setup: `body` holds its rules (and, where the family needs them, entry, stop, targets). */
function setupWith(id: string, body: string): Setup {
  const text = `id: ${id}
name: ${id}
description: decision read from one pattern family
rationale: test of the backtest's pattern-family restriction
timeframe: 15m
indicators: { atr: "atr:14", ema_fast: "ema:9", ema_slow: "ema:21" }
${body}
validity: { bars: 1 }
`;
  const hasStop = /^stop:/m.test(body);
  const hasTargets = /^targets:/m.test(body);
  return parseSetup(`${text}${hasStop ? '' : 'stop: { type: atr, mult: 1 }\n'}${hasTargets ? '' : 'targets: [{ r: 1 }]\n'}`, `${id}.yaml`);
}

const sides = (long: string, short: string) => `rules:\n  long: ${long}\n  short: ${short}`;

/** One setup per family (and per way of reading it), with the families the derivation must find. */
const cases: { name: string; families: PatternFamily[]; setup: Setup }[] = [
  { name: 'candle pattern', families: ['candle-patterns'], setup: setupWith('fam_candle', sides('{ candle: engulfing, direction: side }', '{ candle: engulfing, direction: side }')) },
  {
    name: 'session rule',
    families: ['sessions'],
    setup: setupWith('fam_session', sides('{ all: [{ session: [london_kill_zone] }, { crosses_above: [ema_fast, ema_slow] }] }', '{ all: [{ session: [new_york] }, { crosses_below: [ema_fast, ema_slow] }] }')),
  },
  { name: 'session level', families: ['sessions'], setup: setupWith('fam_session_level', sides('{ crosses_above: [close, asia_kill_zone_high] }', '{ crosses_below: [close, london_low] }')) },
  { name: 'previous day/week level', families: ['previous-high-low'], setup: setupWith('fam_prev', sides('{ crosses_above: [close, prev_day_high] }', '{ crosses_below: [close, prev_week_low] }')) },
  { name: 'previous-high break', families: ['previous-high-low'], setup: setupWith('fam_prev_break', sides('{ pattern: prev_day_high_break }', '{ pattern: prev_day_low_break }')) },
  { name: 'swing level', families: ['swings'], setup: setupWith('fam_swing_level', sides('{ crosses_above: [close, swing_high] }', '{ crosses_below: [close, swing_low] }')) },
  { name: 'swing pattern', families: ['swings'], setup: setupWith('fam_swing_pattern', sides('{ pattern: swing_low }', '{ pattern: swing_high }')) },
  {
    name: 'swing stop',
    families: ['swings'],
    setup: setupWith('fam_swing_stop', `${sides('{ crosses_above: [ema_fast, ema_slow] }', '{ crosses_below: [ema_fast, ema_slow] }')}\nstop: { type: swing, buffer_atr: 0.2 }`),
  },
  { name: 'structure side', families: ['structure', 'swings'], setup: setupWith('fam_structure', sides('{ all: [{ structure: side }, { crosses_above: [ema_fast, ema_slow] }] }', '{ all: [{ structure: side }, { crosses_below: [ema_fast, ema_slow] }] }')) },
  { name: 'choch', families: ['structure', 'swings'], setup: setupWith('fam_choch', sides('{ pattern: choch, direction: bull }', '{ pattern: bos, direction: bear }')) },
  { name: 'sweep', families: ['liquidity', 'swings'], setup: setupWith('fam_sweep', sides('{ pattern: sweep_low, within: 3 }', '{ pattern: sweep_high, within: 3 }')) },
  {
    name: 'liquidity target',
    families: ['liquidity', 'swings', 'previous-high-low'],
    setup: setupWith('fam_liquidity_target', `${sides('{ crosses_above: [ema_fast, ema_slow] }', '{ crosses_below: [ema_fast, ema_slow] }')}\ntargets: [{ liquidity: true, min_r: 1 }]`),
  },
  { name: 'fvg pattern', families: ['fvg'], setup: setupWith('fam_fvg', sides('{ pattern: fvg, direction: side }', '{ pattern: fvg, direction: side }')) },
  {
    name: 'in_zone fvg with a limit entry and a zone-edge stop',
    families: ['fvg'],
    setup: setupWith('fam_fvg_zone', `${sides('{ in_zone: fvg }', '{ in_zone: fvg }')}\nentry: { type: limit, zone: fvg }\nstop: { type: zone_edge, zone: fvg, buffer_atr: 0.1 }`),
  },
  {
    name: 'limit entry into an order block',
    families: ['order-blocks', 'swings'],
    setup: setupWith('fam_ob_entry', `${sides('{ crosses_above: [ema_fast, ema_slow] }', '{ crosses_below: [ema_fast, ema_slow] }')}\nentry: { type: limit, zone: ob, at: mid }`),
  },
  { name: 'in_zone ob', families: ['order-blocks', 'swings'], setup: setupWith('fam_ob_zone', sides('{ in_zone: ob, direction: side }', '{ in_zone: ob, direction: side }')) },
];

/** The decision part of a signal: all of it but the context text that only the described detector fills in. */
function decision(signal: Signal): unknown {
  const { structure: _s, htfStructure: _h, sessions: _x, ...context } = signal.context;
  return { ...signal, context };
}

function signalsOf(setup: Setup, candles: Candle[], describeContext: boolean): unknown[] {
  const detector = new MarketDetector({ market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: setup.timeframe }, setups: [setup], describeContext });
  const out: unknown[] = [];
  for (const candle of candles) for (const signal of detector.update(candle)) out.push(decision(signal));
  return out;
}

describe('a setup reading one pattern family: the restricted engine gives the full engine\'s signals', () => {
  const candles = loadSampleCandles('binance_BTCUSDT_15m');
  for (const c of cases) {
    it(c.name, () => {
      expect([...setupPatternFamilies(c.setup)].sort()).toEqual([...c.families].sort());
      const restricted = signalsOf(c.setup, candles, false);
      const full = signalsOf(c.setup, candles, true);
      expect(full.length, 'the setup signals on this data').toBeGreaterThan(0);
      expect(restricted).toEqual(full);
    }, 60_000);
  }

  it('a context setup reads the higher timeframe\'s structure only from its own engine', () => {
    const setup = parseSetup(
      `id: fam_htf
name: fam_htf
description: 4h structure
rationale: test
timeframe: 15m
context: { timeframe: 4h }
indicators: { atr: "atr:14", ema_fast: "ema:9", ema_slow: "ema:21" }
rules:
  long: { all: [{ structure: side, timeframe: htf }, { crosses_above: [ema_fast, ema_slow] }] }
  short: { all: [{ structure: side, timeframe: htf }, { crosses_below: [ema_fast, ema_slow] }] }
stop: { type: atr, mult: 1 }
targets: [{ r: 1 }]
validity: { bars: 1 }
`,
      'fam_htf.yaml',
    );
    // Nothing of its own timeframe's engine: no engine runs there; the 4h engine runs its structure.
    expect([...setupPatternFamilies(setup)]).toEqual([]);
    const full = signalsOf(setup, candles, true);
    expect(full.length).toBeGreaterThan(0);
    expect(signalsOf(setup, candles, false)).toEqual(full);
  }, 60_000);
});
