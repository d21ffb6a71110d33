/**
 * Which parts of the pattern engine (families, patterns/families.ts) a setup's decisions read. A backtest's detector
 * runs only these; everything a decision reads must come out the same as with the whole engine, so the derivation is
 * conservative: a read it cannot place asks for every family, never for none.
 *
 * The reads, and where the detector answers them:
 * - rule, filter and criterion conditions (setups/evaluate.ts, signals/may-hold.ts): `pattern` kinds (events),
 *   `in_zone` (active zones), `candle`, `session`, `structure` (own timeframe; `timeframe: htf` reads the context
 *   engine), level operands (swing_high, prev_day_low, asia_kill_zone_high, ...: signals/pattern-view.ts levelReader);
 * - the entry (a limit into a zone), the stop (swing, zone_edge) and liquidity targets (signals/plan.ts, fed by the
 *   detector's liquidityLevels: liquidity pools AND the previous day/week extremes).
 * The signal's context text (structure, active sessions) is not a decision: a backtest does not describe it.
 */
import { PATTERN_FAMILIES, withDependencies, type PatternFamily } from '../patterns/families.ts';
import type { Condition } from '../setups/schema.ts';
import type { Setup } from '../setups/loader.ts';
import { LEVEL_SERIES } from '../setups/operand.ts';

/** The DSL's pattern events by the family that emits them (see pattern-view.ts ENGINE_KIND). */
const PATTERN_FAMILY: Readonly<Record<string, PatternFamily>> = {
  fvg: 'fvg',
  ob: 'order-blocks',
  bos: 'structure',
  choch: 'structure',
  swing_high: 'swings',
  swing_low: 'swings',
  sweep_high: 'liquidity',
  sweep_low: 'liquidity',
  prev_day_high_break: 'previous-high-low',
  prev_day_low_break: 'previous-high-low',
  prev_week_high_break: 'previous-high-low',
  prev_week_low_break: 'previous-high-low',
};

const ZONE_FAMILY: Readonly<Record<'fvg' | 'ob', PatternFamily>> = { fvg: 'fvg', ob: 'order-blocks' };

/** Condition keywords that read nothing of the pattern engine (their operands are checked separately). */
const NUMERIC_KEYS = new Set(['gt', 'gte', 'lt', 'lte', 'beyond', 'between', 'crosses_above', 'crosses_below', 'side', 'regime']);

/** Condition keys answered from the pattern engine's events and state, as they appear in a definition's text. */
const PATTERN_READS = ['"pattern"', '"in_zone"', '"candle"', '"session"', '"structure"'];

/** The context timeframe's engine is only ever read for its structure direction (the `structure: ..., timeframe: htf` condition). */
export const CONTEXT_FAMILIES: ReadonlySet<PatternFamily> = withDependencies(['structure']);

/** The family a level series is computed by (swing_high → swings, prev_day_low → previous high/low, london_high → sessions). */
export function levelFamily(level: string): PatternFamily {
  if (level.startsWith('swing_')) return 'swings';
  if (level.startsWith('prev_')) return 'previous-high-low';
  return 'sessions';
}

/** The families (with their dependencies) the decisions of one setup read on its own timeframe. */
export function setupPatternFamilies(setup: Setup): Set<PatternFamily> {
  const families = new Set<PatternFamily>();
  let unplaced = false;
  let patternConditions = 0;
  const visit = (condition: Condition): void => {
    if ('all' in condition) return condition.all.forEach(visit);
    if ('any' in condition) return condition.any.forEach(visit);
    if ('not' in condition) return visit(condition.not);
    if (!Object.keys(condition).every((key) => NUMERIC_KEYS.has(key))) patternConditions++;
    if ('pattern' in condition) {
      const family = PATTERN_FAMILY[condition.pattern];
      if (family) families.add(family);
      else unplaced = true;
      return;
    }
    if ('in_zone' in condition) {
      const family = ZONE_FAMILY[condition.in_zone];
      if (family) families.add(family);
      else unplaced = true;
      return;
    }
    if ('candle' in condition) {
      families.add('candle-patterns');
      return;
    }
    if ('session' in condition) {
      families.add('sessions');
      return;
    }
    if ('structure' in condition) {
      // The context timeframe's structure is its own engine (CONTEXT_FAMILIES); only the own timeframe's is read here.
      if (condition.timeframe !== 'htf') families.add('structure');
      return;
    }
    if (!Object.keys(condition).every((key) => NUMERIC_KEYS.has(key))) unplaced = true;
  };
  for (const rule of [setup.rules.long, setup.rules.short]) if (rule) visit(rule);
  for (const filter of setup.filters) visit(filter.when);
  for (const criterion of setup.score.criteria) visit(criterion.when);

  if (setup.entry.type === 'limit') families.add(ZONE_FAMILY[setup.entry.zone]);
  if (setup.stop.type === 'swing') families.add('swings');
  if (setup.stop.type === 'zone_edge') families.add(ZONE_FAMILY[setup.stop.zone]);
  // A liquidity target aims at pools of equal highs / lows and at the previous day's and week's extremes.
  if (setup.targets.some((t) => 'liquidity' in t)) families.add('liquidity').add('previous-high-low');

  // Levels are found as compile.ts finds the level columns it writes: by name, anywhere in the definition.
  const text = definitionText(setup);
  for (const level of LEVEL_SERIES) if (text.includes(level)) families.add(levelFamily(level));
  // A pattern key in the text but no pattern condition found by the walk (a shape it does not know): run everything.
  if (patternConditions === 0 && PATTERN_READS.some((key) => text.includes(key))) unplaced = true;
  return unplaced ? new Set(PATTERN_FAMILIES) : withDependencies(families);
}

/** Everything of a setup that decides a signal, as one string (rules, filters, criteria, entry, stop, targets). */
export function definitionText(setup: Setup): string {
  return JSON.stringify([setup.rules, setup.filters, setup.score, setup.entry, setup.stop, setup.targets, setup.params]);
}
