/**
 * A signal card shows what the setup reads and nothing else: a breakout on the London session needs its session boxes,
 * not six order blocks and equal lows. What a setup reads is found in its decision parts (rules, filters, entry, stop,
 * targets, score criteria, context) by the DSL's own words: `in_zone: fvg`, `swing_high`, `sweep_low`,
 * `prev_day_high`, `session: [london_kill_zone]`, `asia_kill_zone_high`, `liquidity: true`, `type: swing`.
 * The market chart ("/chart", no setup) keeps everything.
 */
import type { SignalChartSpec } from './spec.ts';

/** The parts of a setup that decide; names, descriptions and pattern defaults say nothing about what is read. */
export interface SetupWords {
  rules?: unknown;
  filters?: unknown;
  entry?: unknown;
  stop?: unknown;
  targets?: unknown;
  score?: unknown;
  context?: unknown;
}

const SESSION_WORDS: Record<string, RegExp> = { Asia: /asia/, London: /london/, 'New York': /new_?york|\bny_/ };

export function annotationsUsed(setup: SetupWords): { zones: Set<string>; levels: Set<string>; sessions: Set<string> } {
  const words = JSON.stringify([setup.rules, setup.filters, setup.entry, setup.stop, setup.targets, setup.score, setup.context]).toLowerCase();
  const zones = new Set<string>();
  if (/"fvg"|imbalance/.test(words)) zones.add('fvg');
  if (/"ob"|order_?block/.test(words)) zones.add('ob');
  const levels = new Set<string>();
  if (/swing|"type":"swing"/.test(words)) levels.add('swing');
  if (/sweep|liquidity|equal_(highs|lows)/.test(words)) levels.add('liquidity');
  if (/prev_(day|week)|pdh|pdl/.test(words)) levels.add('previous');
  const sessions = new Set(Object.entries(SESSION_WORDS).filter(([, pattern]) => pattern.test(words)).map(([name]) => name));
  return { zones, levels, sessions };
}

export function keepAnnotationsOfSetup(spec: SignalChartSpec, setup: SetupWords | undefined): SignalChartSpec {
  if (!setup) return spec;
  const used = annotationsUsed(setup);
  return {
    ...spec,
    zones: (spec.zones ?? []).filter((zone) => used.zones.has(zone.kind)),
    levels: (spec.levels ?? []).filter((level) => used.levels.has(level.kind)),
    sessions: (spec.sessions ?? []).filter((session) => used.sessions.has(session.name)),
  };
}
