/**
 * Cross-field checks the schema cannot express: every series an operand names is declared, every `$param` exists,
 * indicator specs are valid, `htf.` references need a `context:` block.
 */
import type { Condition, Operand, SetupDefinition } from './schema.ts';
import { BUILT_IN_SERIES, parseOperand, substituteParams } from './operand.ts';

/** Returns the output names of an indicator spec (one name for single-output indicators); throws on a bad spec. */
export type OutputsOf = (spec: string) => string[];

export interface ReferenceProblem {
  path: (string | number)[];
  message: string;
}

export function checkReferences(setup: SetupDefinition, outputsOf?: OutputsOf): ReferenceProblem | undefined {
  const params = Object.fromEntries(Object.entries(setup.params).map(([k, p]) => [k, p.value]));
  const outputs = new Map<string, string[]>();
  const htfOutputs = new Map<string, string[]>();

  for (const [name, p] of Object.entries(setup.params)) {
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) return { path: ['params', name], message: `min ${p.min} is above max ${p.max}` };
  }
  const declare = (block: Record<string, string>, into: Map<string, string[]>, base: (string | number)[]) => {
    for (const [alias, rawSpec] of Object.entries(block)) {
      if (BUILT_IN_SERIES.includes(alias)) return { path: [...base, alias], message: `"${alias}" is a built-in series; choose another name` };
      const spec = substituteParams(rawSpec, params);
      if (spec.includes('$')) return { path: [...base, alias], message: `spec "${rawSpec}" uses a $param that is not declared under params` };
      try {
        into.set(alias, outputsOf ? outputsOf(spec) : []);
      } catch (error) {
        return { path: [...base, alias], message: (error as Error).message };
      }
    }
    return undefined;
  };
  const declared = declare(setup.indicators, outputs, ['indicators']) ?? (setup.context ? declare(setup.context.indicators, htfOutputs, ['context', 'indicators']) : undefined);
  if (declared) return declared;

  const checkOperand = (operand: Operand, at: (string | number)[]): ReferenceProblem | undefined => {
    const parsed = parseOperand(operand);
    if (!parsed) return { path: at, message: `"${operand}" is not a number, a $param or a series name like close, ema200, bb.upper, atr@1` };
    if (parsed.kind === 'param') return parsed.name in params ? undefined : { path: at, message: `unknown parameter "$${parsed.name}"; declare it under params` };
    if (parsed.kind !== 'series') return undefined;
    if (parsed.htf && !setup.context) return { path: at, message: `"${operand}" needs a context: block with the higher timeframe` };
    const table = parsed.htf ? htfOutputs : outputs;
    if (BUILT_IN_SERIES.includes(parsed.name)) {
      return parsed.output ? { path: at, message: `"${parsed.name}" has no outputs` } : undefined;
    }
    const known = table.get(parsed.name);
    if (!known) {
      const names = [...BUILT_IN_SERIES, ...table.keys()].join(', ');
      return { path: at, message: `unknown series "${parsed.name}"; known: ${names}` };
    }
    if (outputsOf && known.length > 1 && !parsed.output) return { path: at, message: `"${parsed.name}" has several outputs; pick one: ${known.map((o) => `${parsed.name}.${o}`).join(', ')}` };
    if (outputsOf && parsed.output && !known.includes(parsed.output)) return { path: at, message: `"${parsed.name}" has no output "${parsed.output}"; outputs: ${known.join(', ')}` };
    return undefined;
  };

  const walk = (condition: Condition, at: (string | number)[]): ReferenceProblem | undefined => {
    const [key, value] = Object.entries(condition)[0] as [string, unknown];
    if (key === 'all' || key === 'any') {
      for (const [i, child] of (value as Condition[]).entries()) {
        const problem = walk(child, [...at, key, i]);
        if (problem) return problem;
      }
      return undefined;
    }
    if (key === 'not') return walk(value as Condition, [...at, 'not']);
    if (key === 'structure' && 'timeframe' in condition && condition.timeframe === 'htf' && !setup.context) {
      return { path: [...at, 'timeframe'], message: 'higher-timeframe structure needs a context: block' };
    }
    if (Array.isArray(value)) {
      // Session and regime names are words, not series.
      if (key === 'session' || key === 'regime') return undefined;
      for (const [i, operand] of (value as Operand[]).entries()) {
        const problem = checkOperand(operand, [...at, key, i]);
        if (problem) return problem;
      }
    }
    return undefined;
  };

  for (const side of ['long', 'short'] as const) {
    const rule = setup.rules[side];
    const problem = rule && walk(rule, ['rules', side]);
    if (problem) return problem;
  }
  for (const [i, filter] of setup.filters.entries()) {
    const problem = walk(filter.when, ['filters', i, 'when']);
    if (problem) return problem;
  }
  for (const [i, criterion] of setup.score.criteria.entries()) {
    const problem = walk(criterion.when, ['score', 'criteria', i, 'when']);
    if (problem) return problem;
  }
  const stop = setup.stop;
  const stopOperands: [Operand, string][] =
    stop.type === 'atr' ? [[stop.mult, 'mult']] : stop.type === 'percent' ? [[stop.pct, 'pct']] : [[stop.buffer_atr, 'buffer_atr']];
  for (const [operand, field] of stopOperands) {
    const problem = checkOperand(operand, ['stop', field]);
    if (problem) return problem;
  }
  const needsAtr = stop.type === 'atr' || (stop.type !== 'percent' && stop.buffer_atr !== 0) || setup.management.trail_atr !== undefined;
  const atrName = stop.type === 'percent' ? 'atr' : stop.atr;
  if (needsAtr && !outputs.has(atrName)) {
    return { path: ['stop', 'atr'], message: `stop or trailing uses ATR series "${atrName}", which is not declared under indicators (e.g. atr: "atr:14")` };
  }
  for (const [i, target] of setup.targets.entries()) {
    if ('r' in target) {
      const problem = checkOperand(target.r, ['targets', i, 'r']);
      if (problem) return problem;
    }
  }
  return undefined;
}
