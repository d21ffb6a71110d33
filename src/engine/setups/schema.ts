/**
 * The setup DSL: one YAML file per setup, validated here. See setups/README.md for the user-facing description.
 * Conditions are data (not code) so the same rule on the same data always gives the same signal, and so a setup can be
 * versioned by hashing its normalized content.
 */
import { z } from 'zod';
import { TIMEFRAMES } from '../types.ts';
import { REGIMES } from '../regime/types.ts';

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case: letters, digits and _ , starting with a letter');

/** A number, a `$param`, or a series reference like `close`, `ema200`, `bb.upper`, `atr@1`, `htf.ema200`. */
export const operandSchema = z.union([z.number(), z.string().min(1)]);
export type Operand = z.infer<typeof operandSchema>;

const pair = z.tuple([operandSchema, operandSchema]);

export const PATTERN_EVENTS = [
  'fvg',
  'ob',
  'bos',
  'choch',
  'swing_high',
  'swing_low',
  'sweep_high',
  'sweep_low',
  'prev_day_high_break',
  'prev_day_low_break',
  'prev_week_high_break',
  'prev_week_low_break',
] as const;
export const ZONE_KINDS = ['fvg', 'ob'] as const;
export const CANDLE_PATTERNS = ['doji', 'hammer', 'shooting_star', 'engulfing', 'pin_bar', 'inside_bar'] as const;
export const SESSIONS = ['asia', 'london', 'new_york', 'asia_kill_zone', 'london_kill_zone', 'new_york_kill_zone', 'london_close_kill_zone'] as const;
/** bull / bear are absolute; side / opposite are relative to the side evaluated (a long's side is bull). */
const direction = z.enum(['bull', 'bear', 'side', 'opposite']);
type DirectionWord = 'bull' | 'bear' | 'side' | 'opposite';

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { gt: [Operand, Operand] }
  | { gte: [Operand, Operand] }
  | { lt: [Operand, Operand] }
  | { lte: [Operand, Operand] }
  | { beyond: [Operand, Operand] }
  | { between: [Operand, Operand, Operand] }
  | { crosses_above: [Operand, Operand] }
  | { crosses_below: [Operand, Operand] }
  | { pattern: (typeof PATTERN_EVENTS)[number]; direction?: DirectionWord; within?: number }
  | { in_zone: (typeof ZONE_KINDS)[number]; direction?: DirectionWord }
  | { candle: (typeof CANDLE_PATTERNS)[number]; direction?: DirectionWord }
  | { session: (typeof SESSIONS)[number][] }
  | { side: 'long' | 'short' }
  | { structure: DirectionWord; timeframe?: 'htf' }
  | { regime: RegimeWord[] };

/**
 * The market regime in force (regime/classifier.ts, after min_bars_hold): one of the five labels, absolute, or
 * `trend_side` / `trend_opposite`, relative to the side evaluated (trend_up for a long, trend_down for a short).
 */
export const REGIME_WORDS = [...REGIMES, 'trend_side', 'trend_opposite'] as const;
export type RegimeWord = (typeof REGIME_WORDS)[number];

/** Condition keywords, in the order of the union below (the loader maps a keyword to its branch for error messages). */
export const CONDITION_KEYWORDS = [
  'all', 'any', 'not', 'gt', 'gte', 'lt', 'lte', 'beyond', 'between', 'crosses_above', 'crosses_below', 'pattern', 'in_zone', 'candle', 'session', 'side', 'structure', 'regime',
] as const;

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({ gt: pair }),
    z.strictObject({ gte: pair }),
    z.strictObject({ lt: pair }),
    z.strictObject({ lte: pair }),
    z.strictObject({ beyond: pair }),
    z.strictObject({ between: z.tuple([operandSchema, operandSchema, operandSchema]) }),
    z.strictObject({ crosses_above: pair }),
    z.strictObject({ crosses_below: pair }),
    z.strictObject({ pattern: z.enum(PATTERN_EVENTS), direction: direction.optional(), within: z.number().int().min(0).max(500).optional() }),
    z.strictObject({ in_zone: z.enum(ZONE_KINDS), direction: direction.optional() }),
    z.strictObject({ candle: z.enum(CANDLE_PATTERNS), direction: direction.optional() }),
    z.strictObject({ session: z.array(z.enum(SESSIONS)).min(1) }),
    z.strictObject({ side: z.enum(['long', 'short']) }),
    z.strictObject({ structure: direction, timeframe: z.literal('htf').optional() }),
    z.strictObject({ regime: z.array(z.enum(REGIME_WORDS)).min(1) }),
  ]),
);

const paramSchema = z.strictObject({
  value: z.number(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().positive().optional(),
});

/**
 * The least distance a stop may have from entry, in percent of entry. A closer stop is widened to it: at 0.1 % fees
 * per side a stop 0.8 % away costs 0.25 R when hit, one 0.2 % away a whole R, so a setup states its floor here.
 */
const minStopPct = z.number().positive().max(50).optional();

const stopSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('atr'), atr: z.string().default('atr'), mult: operandSchema, min_pct: minStopPct }),
  z.strictObject({ type: z.literal('swing'), buffer_atr: operandSchema.default(0), atr: z.string().default('atr'), min_pct: minStopPct }),
  z.strictObject({ type: z.literal('zone_edge'), zone: z.enum(ZONE_KINDS), buffer_atr: operandSchema.default(0), atr: z.string().default('atr'), min_pct: minStopPct }),
  z.strictObject({ type: z.literal('percent'), pct: operandSchema }),
]);

const targetSchema = z.union([
  z.strictObject({ r: operandSchema, close: z.number().gt(0).max(1).default(1) }),
  z.strictObject({ liquidity: z.literal(true), close: z.number().gt(0).max(1).default(1), min_r: z.number().positive().default(1) }),
]);

const entrySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('market') }),
  z.strictObject({ type: z.literal('limit'), zone: z.enum(ZONE_KINDS), at: z.enum(['edge', 'mid']).default('edge') }),
]);

const criterionSchema = z.strictObject({
  name: id,
  weight: z.number().positive(),
  when: conditionSchema,
  /** Words for the signal's reasons, e.g. "with 4h structure" / "against 4h structure". */
  pass: z.string().min(1),
  fail: z.string().min(1).optional(),
});

/**
 * Pattern engine settings. zone_max_age is optional (not defaulted) so files without it keep their version; the
 * detector applies DEFAULT_ZONE_MAX_AGE. It bounds how far back a zone can be, which bounds the warm-up.
 */
const patternSettingsSchema = z.strictObject({
  swing_length: z.number().int().min(1).max(50).default(5),
  liquidity_tolerance_atr: z.number().positive().default(0.1),
  zone_max_age: z.number().int().min(1).max(5000).optional(),
});

/** Zones (FVG, order block) older than this many candles are not traded into, unless a setup says otherwise. */
export const DEFAULT_ZONE_MAX_AGE = 300;

const filterSchema = z.strictObject({ name: id, when: conditionSchema, reason: z.string().min(1).optional() });

export const setupSchema = z
  .strictObject({
    id,
    name: z.string().min(1),
    description: z.string().min(1),
    rationale: z.string().min(1),
    enabled: z.boolean().default(true),
    markets: z.array(z.string().min(1)).min(1).default(['*']),
    /** Market regimes the setup may trade in (regime/types.ts); absent = all. No default, so versions stay put. */
    regimes: z.array(z.enum(REGIMES)).min(1).refine((r) => new Set(r).size === r.length, 'a regime is listed twice').optional(),
    timeframe: z.enum(TIMEFRAMES),
    context: z
      .strictObject({
        timeframe: z.enum(TIMEFRAMES),
        indicators: z.record(id, z.string().min(1)).default({}),
        /** Pattern settings of the context timeframe (its structure); the same defaults as the setup's own. */
        patterns: patternSettingsSchema.optional(),
      })
      .optional(),
    params: z.record(id, paramSchema).default({}),
    indicators: z.record(id, z.string().min(1)).default({}),
    patterns: patternSettingsSchema.prefault({}),
    rules: z
      .strictObject({ long: conditionSchema.optional(), short: conditionSchema.optional() })
      .refine((r) => r.long !== undefined || r.short !== undefined, 'give at least one of rules.long or rules.short'),
    filters: z.array(filterSchema).default([]),
    entry: entrySchema.default({ type: 'market' }),
    stop: stopSchema,
    targets: z.array(targetSchema).min(1),
    management: z
      .strictObject({
        break_even_r: z.number().positive().optional(),
        trail_atr: z.number().positive().optional(),
        time_stop_bars: z.number().int().positive().optional(),
        exit_on_opposite: z.boolean().default(false),
      })
      .prefault({}),
    score: z.strictObject({ criteria: z.array(criterionSchema).default([]) }).prefault({}),
    validity: z.strictObject({ bars: z.number().int().min(1).max(500) }).prefault({ bars: 3 }),
  })
  .superRefine((setup, ctx) => {
    const closing = setup.targets.reduce((sum, t) => sum + t.close, 0);
    if (closing > 1 + 1e-9) {
      ctx.addIssue({ code: 'custom', path: ['targets'], message: `target close fractions add up to ${closing}, more than the whole position (1)` });
    }
  });

export type SetupDefinition = z.infer<typeof setupSchema>;
export type StopRule = SetupDefinition['stop'];
export type TargetRule = SetupDefinition['targets'][number];
