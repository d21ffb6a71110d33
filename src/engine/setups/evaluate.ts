/**
 * Evaluates setup conditions against the state of one market at one closed candle.
 * Pure: everything it reads comes through EvalContext, so live, replay and backtest evaluate identically.
 * A condition whose inputs are not yet stable (NaN) is false: no signal before every input has warmed up.
 */
import type { Condition, Operand } from './schema.ts';
import { parseOperand, type ParsedOperand } from './operand.ts';

export type Direction = 'bull' | 'bear';

export interface EvalContext {
  /** Value of a series `offset` bars ago (0 = the candle that just closed); NaN when unknown or not stable. */
  series(ref: Extract<ParsedOperand, { kind: 'series' }>): number;
  param(name: string): number;
  /** A pattern event of this kind confirmed within the last `within` bars (0 = on this candle). */
  patternWithin(kind: string, direction: Direction | undefined, within: number): string | undefined;
  /** The closing candle trades inside an active zone of this kind; returns its description. */
  inZone(kind: string, direction: Direction | undefined): string | undefined;
  candlePattern(kind: string, direction: Direction | undefined): boolean;
  inSession(names: string[]): boolean;
  structure(direction: Direction, higherTimeframe: boolean): boolean;
}

/** Why a condition held, in words, for the signal's reasons (pattern hits name themselves). */
export interface Evaluation {
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

const yes = (notes: string[] = []): Evaluation => ({ ok: true, notes });
const no: Evaluation = { ok: false, notes: [] };

export function evaluate(condition: Condition, ctx: EvalContext): Evaluation {
  if ('all' in condition) {
    const notes: string[] = [];
    for (const child of condition.all) {
      const result = evaluate(child, ctx);
      if (!result.ok) return no;
      notes.push(...result.notes);
    }
    return yes(notes);
  }
  if ('any' in condition) {
    for (const child of condition.any) {
      const result = evaluate(child, ctx);
      if (result.ok) return result;
    }
    return no;
  }
  if ('not' in condition) return evaluate(condition.not, ctx).ok ? no : yes();
  if ('gt' in condition) return compare(condition.gt, ctx, (a, b) => a > b);
  if ('gte' in condition) return compare(condition.gte, ctx, (a, b) => a >= b);
  if ('lt' in condition) return compare(condition.lt, ctx, (a, b) => a < b);
  if ('lte' in condition) return compare(condition.lte, ctx, (a, b) => a <= b);
  if ('between' in condition) {
    const [x, lo, hi] = condition.between.map((o) => operandValue(o, ctx));
    return x >= lo && x <= hi ? yes() : no;
  }
  // Crossing as backtesting.py defines it: strictly below on the previous bar, strictly above now (and mirrored).
  if ('crosses_above' in condition) {
    const [a, b] = condition.crosses_above;
    return previous(a, ctx) < previous(b, ctx) && operandValue(a, ctx) > operandValue(b, ctx) ? yes() : no;
  }
  if ('crosses_below' in condition) {
    const [a, b] = condition.crosses_below;
    return previous(a, ctx) > previous(b, ctx) && operandValue(a, ctx) < operandValue(b, ctx) ? yes() : no;
  }
  if ('pattern' in condition) {
    const note = ctx.patternWithin(condition.pattern, condition.direction, condition.within ?? 0);
    return note ? yes([note]) : no;
  }
  if ('in_zone' in condition) {
    const note = ctx.inZone(condition.in_zone, condition.direction);
    return note ? yes([note]) : no;
  }
  if ('candle' in condition) return ctx.candlePattern(condition.candle, condition.direction) ? yes([condition.candle.replace('_', ' ')]) : no;
  if ('session' in condition) return ctx.inSession(condition.session) ? yes() : no;
  if ('structure' in condition) return ctx.structure(condition.structure, condition.timeframe === 'htf') ? yes() : no;
  return no;
}

function compare(pair: [Operand, Operand], ctx: EvalContext, test: (a: number, b: number) => boolean): Evaluation {
  const a = operandValue(pair[0], ctx);
  const b = operandValue(pair[1], ctx);
  // NaN compares false in every direction, which is exactly "not stable yet → no signal".
  return test(a, b) ? yes() : no;
}
