/**
 * A cheap pre-check of a setup rule on the current candle: false only when `evaluate` (setups/evaluate.ts) would
 * certainly not return TRUE, so the detector can skip the full evaluation on the candles where a rule cannot fire
 * (for a crossover, nearly all of them). Numeric leaves (comparisons, between, crosses, side) are decided exactly as
 * evaluate decides them, from the same snapshot values; a `pattern` leaf asks the same context question evaluate asks
 * (an event within N bars), and so do zone, session, structure and candle-pattern leaves (the pattern engine's
 * snapshot is cheap to take: its lists are copied only when they change). Only `not` answers "may hold" and leaves
 * the decision to evaluate. Signals are therefore exactly those of the full evaluation.
 */
import type { Side } from '../types.ts';
import type { Condition, Operand } from '../setups/schema.ts';
import type { Direction, EvalContext } from '../setups/evaluate.ts';

/** Reads an operand's value on the current candle, `extraOffset` candles further back (numbers and params do not move). */
export type OperandReaderFactory = (operand: Operand, extraOffset: number) => () => number;

type Check = () => boolean;
const MAYBE: Check = () => true;

const OPPOSITE: Record<Direction, Direction> = { bull: 'bear', bear: 'bull' };

export function compileMayHold(condition: Condition, side: Side, reader: OperandReaderFactory, ctx?: EvalContext): Check {
  if ('all' in condition) {
    const children = condition.all.map((c) => compileMayHold(c, side, reader, ctx)).filter((c) => c !== MAYBE);
    if (children.length === 0) return MAYBE;
    if (children.length === 1) return children[0];
    return () => {
      for (let i = 0; i < children.length; i++) if (!children[i]()) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const children = condition.any.map((c) => compileMayHold(c, side, reader, ctx));
    if (children.includes(MAYBE)) return MAYBE;
    return () => {
      for (let i = 0; i < children.length; i++) if (children[i]()) return true;
      return false;
    };
  }
  if ('gt' in condition) return compare(condition.gt, reader, (a, b) => a > b);
  if ('gte' in condition) return compare(condition.gte, reader, (a, b) => a >= b);
  if ('lt' in condition) return compare(condition.lt, reader, (a, b) => a < b);
  if ('lte' in condition) return compare(condition.lte, reader, (a, b) => a <= b);
  if ('beyond' in condition) return compare(condition.beyond, reader, side === 'long' ? (a, b) => a > b : (a, b) => a < b);
  if ('between' in condition) {
    const [x, lo, hi] = condition.between.map((o) => reader(o, 0));
    // NaN compares false, exactly as evaluate's "unknown" is never true.
    return () => {
      const v = x();
      return v >= lo() && v <= hi();
    };
  }
  if ('crosses_above' in condition) return cross(condition.crosses_above, reader, 1);
  if ('crosses_below' in condition) return cross(condition.crosses_below, reader, -1);
  if ('pattern' in condition && ctx) {
    // evaluate: found(patternWithin(...)) is TRUE exactly when it names an event (a string).
    const direction = resolve(condition.direction, side);
    const { pattern, within = 0 } = condition;
    return () => typeof ctx.patternWithin(pattern, direction, within) === 'string';
  }
  if (ctx) {
    // Each is TRUE in evaluate exactly when the context answers a string (a match named) or true; unknown never holds.
    if ('in_zone' in condition) {
      const { in_zone: kind } = condition;
      const direction = resolve(condition.direction, side);
      return () => typeof ctx.inZone(kind, direction) === 'string';
    }
    if ('candle' in condition) {
      const { candle: kind } = condition;
      const direction = resolve(condition.direction, side);
      return () => ctx.candlePattern(kind, direction);
    }
    if ('session' in condition) {
      const { session: names } = condition;
      return () => ctx.inSession(names);
    }
    if ('structure' in condition) {
      const direction = resolve(condition.structure, side);
      const higher = condition.timeframe === 'htf';
      return () => ctx.structure(direction, higher) === true;
    }
  }
  if ('side' in condition) {
    const holds = (condition.side === 'long') === (side === 'long');
    return holds ? MAYBE : () => false;
  }
  return MAYBE;
}

/** evaluate's resolve: `side` / `opposite` (and an omitted direction) follow the side evaluated. */
function resolve(d: Direction | 'side' | 'opposite' | undefined, side: Side): Direction {
  const own: Direction = side === 'long' ? 'bull' : 'bear';
  return d === undefined || d === 'side' ? own : d === 'opposite' ? OPPOSITE[own] : d;
}

function compare(pair: [Operand, Operand], reader: OperandReaderFactory, test: (a: number, b: number) => boolean): Check {
  const a = reader(pair[0], 0);
  const b = reader(pair[1], 0);
  return () => {
    const x = a();
    const y = b();
    return !Number.isNaN(x) && !Number.isNaN(y) && test(x, y);
  };
}

function cross(pair: [Operand, Operand], reader: OperandReaderFactory, sign: 1 | -1): Check {
  const a0 = reader(pair[0], 1);
  const b0 = reader(pair[1], 1);
  const a1 = reader(pair[0], 0);
  const b1 = reader(pair[1], 0);
  // A NaN anywhere makes both products NaN and the check false, as evaluate's unknown.
  return () => sign * (a0() - b0()) < 0 && sign * (a1() - b1()) > 0;
}
