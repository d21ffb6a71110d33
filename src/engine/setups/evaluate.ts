/**
 * Evaluates setup conditions against the state of one market at one closed candle, for one side.
 * Pure: everything it reads comes through EvalContext, so live, replay and backtest evaluate identically.
 *
 * Three-valued (Kleene) logic: a condition is true, false or UNKNOWN. Unknown means an input is not there yet (an
 * indicator warming up, a higher timeframe with no closed candle, a pattern window longer than the history seen) and is
 * never treated as true: `not unknown` is unknown, `all` is unknown unless some child is false, `any` is unknown unless
 * some child is true. Only a rule that is TRUE makes a signal, and only a TRUE criterion earns its weight.
 */
import type { Condition, Operand, RegimeWord } from './schema.ts';
import type { Regime } from '../regime/types.ts';
import { parseOperand, type ParsedOperand } from './operand.ts';

export type Direction = 'bull' | 'bear';
export type Truth = 'true' | 'false' | 'unknown';

export interface EvalContext {
  /** The side being evaluated (bull = a long): side-relative conditions and omitted directions follow it. */
  side: Direction;
  /** Value of a series `offset` bars ago (0 = the candle that just closed); NaN when unknown or not stable. */
  series(ref: Extract<ParsedOperand, { kind: 'series' }>): number;
  param(name: string): number;
  /** A pattern event of this kind confirmed within the last `within` bars (0 = on this candle): its description,
   * false when there is none, undefined when fewer than `within` + 1 candles have been seen (cannot tell yet). */
  patternWithin(kind: string, direction: Direction, within: number): string | false | undefined;
  /** The closing candle trades inside an active zone of this kind: its description, false, or undefined before any state. */
  inZone(kind: string, direction: Direction): string | false | undefined;
  candlePattern(kind: string, direction: Direction): boolean;
  inSession(names: string[]): boolean;
  /** Does the structure (this or the context timeframe) point this way? undefined while no structure break is known. */
  structure(direction: Direction, higherTimeframe: boolean): boolean | undefined;
  /**
   * The market regime in force as of this candle's close (the regime gate's classifier); undefined while it warms up
   * or where no classifier runs (a `regime` condition is then unknown, never true).
   */
  regime?(): Regime | undefined;
}

/** Why a condition held, in words, for the signal's reasons (pattern hits name themselves). */
export interface Evaluation {
  truth: Truth;
  /** truth === 'true'. */
  ok: boolean;
  notes: string[];
}

export function operandValue(operand: Operand, ctx: EvalContext): number {
  const parsed = parseOperand(operand);
  if (!parsed) return NaN;
  if (parsed.kind === 'number') return parsed.value;
  if (parsed.kind === 'param') return ctx.param(parsed.name);
  return ctx.series(parsed);
}

/** The same operand `bars` candles earlier (for crosses). Numbers and params do not move. */
function previous(operand: Operand, ctx: EvalContext, bars = 1): number {
  const parsed = parseOperand(operand);
  if (!parsed || parsed.kind !== 'series') return operandValue(operand, ctx);
  return ctx.series({ ...parsed, offset: parsed.offset + bars });
}

const TRUE: Evaluation = Object.freeze({ truth: 'true', ok: true, notes: [] }) as Evaluation;
const FALSE: Evaluation = Object.freeze({ truth: 'false', ok: false, notes: [] }) as Evaluation;
const UNKNOWN: Evaluation = Object.freeze({ truth: 'unknown', ok: false, notes: [] }) as Evaluation;
const yes = (notes: string[]): Evaluation => (notes.length ? { truth: 'true', ok: true, notes } : TRUE);
const bool = (value: boolean | undefined): Evaluation => (value === undefined ? UNKNOWN : value ? TRUE : FALSE);
const found = (note: string | false | undefined): Evaluation => (note === undefined ? UNKNOWN : note === false ? FALSE : yes([note]));
const OPPOSITE: Record<Direction, Direction> = { bull: 'bear', bear: 'bull' };

export function evaluate(condition: Condition, ctx: EvalContext): Evaluation {
  if ('all' in condition) {
    const notes: string[] = [];
    let unknown = false;
    for (const child of condition.all) {
      const result = evaluate(child, ctx);
      if (result.truth === 'false') return FALSE;
      if (result.truth === 'unknown') unknown = true;
      else notes.push(...result.notes);
    }
    return unknown ? UNKNOWN : yes(notes);
  }
  if ('any' in condition) {
    let unknown = false;
    for (const child of condition.any) {
      const result = evaluate(child, ctx);
      if (result.truth === 'true') return result;
      if (result.truth === 'unknown') unknown = true;
    }
    return unknown ? UNKNOWN : FALSE;
  }
  if ('not' in condition) {
    const inner = evaluate(condition.not, ctx).truth;
    return inner === 'unknown' ? UNKNOWN : inner === 'true' ? FALSE : TRUE;
  }
  if ('gt' in condition) return compare(condition.gt, ctx, (a, b) => a > b);
  if ('gte' in condition) return compare(condition.gte, ctx, (a, b) => a >= b);
  if ('lt' in condition) return compare(condition.lt, ctx, (a, b) => a < b);
  if ('lte' in condition) return compare(condition.lte, ctx, (a, b) => a <= b);
  // Side-relative comparison: a is beyond b in the trade's direction (above for a long, below for a short).
  if ('beyond' in condition) return compare(condition.beyond, ctx, ctx.side === 'bull' ? (a, b) => a > b : (a, b) => a < b);
  if ('between' in condition) {
    const [x, lo, hi] = condition.between.map((o) => operandValue(o, ctx));
    return known(x, lo, hi) ? bool(x >= lo && x <= hi) : UNKNOWN;
  }
  // Crossing as backtesting.py defines it: strictly below on the previous bar, strictly above now (and mirrored).
  if ('crosses_above' in condition) return cross(condition.crosses_above, ctx, 1);
  if ('crosses_below' in condition) return cross(condition.crosses_below, ctx, -1);
  if ('pattern' in condition) return found(ctx.patternWithin(condition.pattern, resolve(condition.direction, ctx), condition.within ?? 0));
  if ('in_zone' in condition) return found(ctx.inZone(condition.in_zone, resolve(condition.direction, ctx)));
  if ('candle' in condition) return ctx.candlePattern(condition.candle, resolve(condition.direction, ctx)) ? yes([condition.candle.replace('_', ' ')]) : FALSE;
  if ('session' in condition) return bool(ctx.inSession(condition.session));
  if ('side' in condition) return bool((condition.side === 'long') === (ctx.side === 'bull'));
  if ('structure' in condition) return bool(ctx.structure(resolve(condition.structure, ctx), condition.timeframe === 'htf'));
  if ('regime' in condition) {
    const current = ctx.regime?.();
    if (current === undefined) return UNKNOWN;
    for (const word of condition.regime) if (regimeWord(word, ctx) === current) return TRUE;
    return FALSE;
  }
  return UNKNOWN;
}

/** `trend_side` is the trend in the signal's direction (trend_up for a long), `trend_opposite` the one against it. */
function regimeWord(word: RegimeWord, ctx: EvalContext): Regime {
  if (word === 'trend_side') return ctx.side === 'bull' ? 'trend_up' : 'trend_down';
  if (word === 'trend_opposite') return ctx.side === 'bull' ? 'trend_down' : 'trend_up';
  return word;
}

/** `side` / `opposite` (and an omitted direction) are relative to the side evaluated; bull / bear are absolute. */
function resolve(direction: Direction | 'side' | 'opposite' | undefined, ctx: EvalContext): Direction {
  if (direction === undefined || direction === 'side') return ctx.side;
  if (direction === 'opposite') return OPPOSITE[ctx.side];
  return direction;
}

function known(...values: number[]): boolean {
  for (const v of values) if (Number.isNaN(v)) return false;
  return true;
}

function compare(pair: [Operand, Operand], ctx: EvalContext, test: (a: number, b: number) => boolean): Evaluation {
  const a = operandValue(pair[0], ctx);
  const b = operandValue(pair[1], ctx);
  return known(a, b) ? bool(test(a, b)) : UNKNOWN;
}

function cross(pair: [Operand, Operand], ctx: EvalContext, sign: 1 | -1): Evaluation {
  const [a, b] = pair;
  const a0 = previous(a, ctx);
  const b0 = previous(b, ctx);
  const a1 = operandValue(a, ctx);
  const b1 = operandValue(b, ctx);
  if (!known(a0, b0, a1, b1)) return UNKNOWN;
  return bool(sign * (a0 - b0) < 0 && sign * (a1 - b1) > 0);
}
