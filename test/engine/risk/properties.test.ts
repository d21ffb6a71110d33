/**
 * Property tests: random sequences of intents, price moves, closes, time and resumes (seeded, about 10,000 steps
 * per property) against the simulator's independent oracle. Every limit must hold in 100 % of accepted entries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateIntent } from '../../../src/engine/risk/governor.ts';
import { roundDownToStep } from '../../../src/engine/risk/sizing.ts';
import { GOV, NOW, intent, market, portfolio } from './helpers.ts';
import { SYMBOLS, Simulation, type Action } from './simulator.ts';

interface Profile {
  /** Weights of intent / price / close / time / resume actions. */
  weights: [number, number, number, number, number];
  /** Ordinary move size (±%), gap size (±%), and the share of gaps among moves. */
  move: number;
  gap: number;
  gapShare: number;
  /** Price drift per move in % (a trend makes positions reach +1R, so adds happen). */
  drift: number;
  maxStopPct: number;
  addShare: number;
  maxHours: number;
}

function actions(p: Profile): fc.Arbitrary<Action[]> {
  const intentAction = fc.record({
    kind: fc.constant('intent' as const),
    symbol: fc.integer({ min: 0, max: SYMBOLS.length - 1 }),
    side: p.drift === 0 ? fc.constantFrom('long' as const, 'short' as const) : fc.constant(p.drift > 0 ? ('long' as const) : ('short' as const)),
    stopPct: fc.double({ min: 0.05, max: p.maxStopPct, noNaN: true }),
    leverage: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
    add: fc.integer({ min: 0, max: 99 }).map((n) => n < p.addShare * 100),
    setup: fc.integer({ min: 0, max: 1 }),
    wideSpread: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    thin: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    volatile: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  });
  const gapWeight = Math.max(1, Math.round(p.gapShare * 100));
  const movePct = fc.oneof(
    { arbitrary: fc.double({ min: -p.move, max: p.move, noNaN: true }).map((m) => m + p.drift), weight: 100 - gapWeight },
    { arbitrary: fc.double({ min: -p.gap, max: p.gap, noNaN: true }), weight: gapWeight },
  );
  const [wi, wp, wc, wt, wr] = p.weights;
  const action: fc.Arbitrary<Action> = fc.oneof(
    { arbitrary: intentAction, weight: wi },
    { arbitrary: fc.record({ kind: fc.constant('price' as const), symbol: fc.integer({ min: 0, max: SYMBOLS.length - 1 }), movePct }), weight: wp },
    { arbitrary: fc.record({ kind: fc.constant('close' as const), position: fc.nat(20) }), weight: wc },
    { arbitrary: fc.record({ kind: fc.constant('time' as const), hours: fc.integer({ min: 0, max: p.maxHours }) }), weight: wt },
    { arbitrary: fc.constant({ kind: 'resume' as const }), weight: wr },
  );
  return fc.array(action, { minLength: 300, maxLength: 500 });
}

const PROFILES: Record<string, { profile: Profile; mustRefuse: string[]; mustAdjust: string[] }> = {
  'a mixed market': {
    profile: { weights: [8, 7, 2, 3, 1], move: 0.6, gap: 4, gapShare: 0.15, drift: 0, maxStopPct: 5, addShare: 0.25, maxHours: 12 },
    mustRefuse: ['market-allowlist', 'correlation', 'pyramiding', 'min-size', 'kill-switch', 'cooldown'],
    mustAdjust: ['leverage-cap', 'open-risk', 'risk-per-trade'],
  },
  'a storm (gaps through the stops)': {
    profile: { weights: [8, 8, 1, 2, 1], move: 2, gap: 6, gapShare: 0.3, drift: 0, maxStopPct: 2, addShare: 0.1, maxHours: 8 },
    mustRefuse: ['kill-switch', 'daily-loss-limit', 'no-martingale'],
    mustAdjust: ['open-risk'],
  },
  'a steady uptrend (pyramiding)': {
    profile: { weights: [8, 8, 1, 1, 1], move: 0.3, gap: 1, gapShare: 0.05, drift: 0.4, maxStopPct: 1.5, addShare: 0.6, maxHours: 4 },
    mustRefuse: ['pyramiding'],
    mustAdjust: ['pyramiding', 'risk-per-trade'],
  },
  'a choppy market with tight stops (cooldowns)': {
    profile: { weights: [10, 8, 1, 3, 1], move: 0.5, gap: 1, gapShare: 0.02, drift: 0, maxStopPct: 0.4, addShare: 0, maxHours: 1 },
    mustRefuse: ['cooldown', 'no-martingale', 'daily-loss-limit'],
    mustAdjust: [],
  },
};

describe('risk governor properties', () => {
  for (const [name, { profile, mustRefuse, mustAdjust }] of Object.entries(PROFILES)) {
    it(`every accepted entry respects every limit: ${name} (≈10,000 random steps, seeded)`, () => {
      let steps = 0;
      let accepted = 0;
      const refusals = new Map<string, number>();
      const adjusted = new Map<string, number>();
      fc.assert(
        fc.property(actions(profile), (sequence) => {
          const sim = new Simulation(GOV);
          sim.run(sequence);
          steps += sequence.length;
          accepted += sim.accepted;
          for (const [rule, n] of sim.refusedBy) refusals.set(rule, (refusals.get(rule) ?? 0) + n);
          for (const [rule, n] of sim.adjustedBy) adjusted.set(rule, (adjusted.get(rule) ?? 0) + n);
          expect(sim.violations).toEqual([]);
        }),
        { seed: 20261121, numRuns: 25 },
      );
      if (process.env.RISK_STATS) console.log(name, { steps, accepted, refusals, adjusted });
      expect(steps).toBeGreaterThan(7000);
      // The run must actually reach the limits it is about, or the property proves nothing.
      expect(accepted).toBeGreaterThan(100);
      for (const rule of mustRefuse) expect(refusals.get(rule) ?? 0, `refusals by ${rule}`).toBeGreaterThanOrEqual(10);
      for (const rule of mustAdjust) expect(adjusted.get(rule) ?? 0, `adjustments by ${rule}`).toBeGreaterThanOrEqual(10);
    });
  }

  it('a verdict is always a value: garbage in never throws', () => {
    const num = fc.oneof(fc.double(), fc.constantFrom(0, -1, Number.NaN, Infinity, 1e-12, 1e12));
    fc.assert(
      fc.property(num, num, num, num, num, fc.option(num, { nil: undefined }), (entry, stop, equity, lastPrice, step, leverage) => {
        const v = evaluateIntent(intent({ entry, stop, leverage }), portfolio({}, equity), market({ lastPrice, amountStep: step }), NOW, GOV);
        expect(['accepted', 'refused']).toContain(v.status);
        if (v.status === 'accepted') {
          expect(v.size.units).toBeGreaterThan(0);
          expect(v.size.riskPct).toBeLessThanOrEqual(GOV.risk.maxPct * (1 + 1e-9));
        } else expect(v.reason.length).toBeGreaterThan(10);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  it('rounding is always down, to a whole number of steps', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(1, 0.1, 0.01, 0.001, 0.00001, 5), (units, step) => {
        const r = roundDownToStep(units, step);
        expect(r).toBeLessThanOrEqual(units);
        expect(units - r).toBeLessThan(step * (1 + 1e-9));
        expect(Math.abs(r / step - Math.round(r / step))).toBeLessThan(1e-6 + 1e-9 * (r / step));
      }),
      { seed: 11, numRuns: 5000 },
    );
  });
});
