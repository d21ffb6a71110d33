/**
 * Compiles setups for one market: resolves aliases to indicator specs (with $params substituted), collects the
 * distinct indicators, pattern-engine configurations and look-back depth, so each closed candle updates every
 * indicator and pattern detector exactly once however many setups share them.
 */
import { parseIndicatorSpec } from '../indicators/spec.ts';
import { createIndicator } from '../indicators/index.ts';
import type { StreamingIndicator } from '../indicators/types.ts';
import type { Condition, Operand } from '../setups/schema.ts';
import type { Setup } from '../setups/loader.ts';
import { BUILT_IN_SERIES, parseOperand, substituteParams } from '../setups/operand.ts';

export interface CompiledSetup {
  setup: Setup;
  params: Record<string, number>;
  /** alias → normalized indicator spec. */
  aliases: Map<string, string>;
  htfAliases: Map<string, string>;
  /** Key of the pattern engine configuration this setup reads. */
  patternKey: string;
  /** Largest `within` of its pattern conditions. */
  maxWithin: number;
  /** Resolved snapshot column index per operand reference (-1 = unknown), filled lazily. */
  columnIndex: Map<string, number>;
}

export interface CompiledMarket {
  setups: CompiledSetup[];
  indicators: Map<string, StreamingIndicator>;
  htfIndicators: Map<string, StreamingIndicator>;
  /** Snapshot columns: price and level series, then indicator outputs, then `htf:` outputs. */
  columns: Map<string, number>;
  /** Candles of look-back kept (largest `@N` + 1 for crosses + 1). */
  depth: number;
  maxWithin: number;
  patternConfigs: Map<string, { swingLength: number; toleranceAtr: number }>;
}

export function compileMarket(setups: Setup[]): CompiledMarket {
  const indicators = new Map<string, StreamingIndicator>();
  const htfIndicators = new Map<string, StreamingIndicator>();
  const patternConfigs = new Map<string, { swingLength: number; toleranceAtr: number }>();
  let depth = 2;
  let maxWithin = 0;

  const compiled = setups.map((setup): CompiledSetup => {
    const params = Object.fromEntries(Object.entries(setup.params).map(([k, p]) => [k, p.value]));
    const resolve = (block: Record<string, string>, into: Map<string, StreamingIndicator>) => {
      const aliases = new Map<string, string>();
      for (const [alias, raw] of Object.entries(block)) {
        const spec = parseIndicatorSpec(substituteParams(raw, params)).text;
        aliases.set(alias, spec);
        if (!into.has(spec)) into.set(spec, createIndicator(spec));
      }
      return aliases;
    };
    const aliases = resolve(setup.indicators, indicators);
    const htfAliases = setup.context ? resolve(setup.context.indicators, htfIndicators) : new Map<string, string>();
    const patternKey = `${setup.patterns.swing_length}:${setup.patterns.liquidity_tolerance_atr}`;
    patternConfigs.set(patternKey, { swingLength: setup.patterns.swing_length, toleranceAtr: setup.patterns.liquidity_tolerance_atr });

    let setupWithin = 0;
    const visitOperand = (operand: Operand) => {
      const parsed = parseOperand(operand);
      if (parsed?.kind === 'series') depth = Math.max(depth, parsed.offset + 2);
    };
    const visit = (condition: Condition): void => {
      if ('all' in condition) return condition.all.forEach(visit);
      if ('any' in condition) return condition.any.forEach(visit);
      if ('not' in condition) return visit(condition.not);
      if ('pattern' in condition) setupWithin = Math.max(setupWithin, condition.within ?? 0);
      for (const value of Object.values(condition)) if (Array.isArray(value)) value.forEach((v) => visitOperand(v as Operand));
    };
    for (const rule of [setup.rules.long, setup.rules.short]) if (rule) visit(rule);
    for (const filter of setup.filters) visit(filter.when);
    for (const criterion of setup.score.criteria) visit(criterion.when);
    maxWithin = Math.max(maxWithin, setupWithin);
    return { setup, params, aliases, htfAliases, patternKey, maxWithin: setupWithin, columnIndex: new Map() };
  });

  const columns = new Map<string, number>();
  const add = (name: string) => columns.has(name) || columns.set(name, columns.size);
  BUILT_IN_SERIES.forEach(add);
  for (const indicator of indicators.values()) indicator.outputs.forEach(add);
  for (const indicator of htfIndicators.values()) indicator.outputs.forEach((o) => add(`htf:${o}`));
  return { setups: compiled, indicators, htfIndicators, columns, depth, maxWithin, patternConfigs };
}

/** Snapshot column of a series operand, given the setup's aliases; undefined when it names nothing known. */
export function columnOf(compiled: CompiledSetup, market: CompiledMarket, name: string, output: string | undefined, htf: boolean): string | undefined {
  if (!htf && BUILT_IN_SERIES.includes(name)) return name;
  const spec = (htf ? compiled.htfAliases : compiled.aliases).get(name);
  if (!spec) return undefined;
  const indicator = (htf ? market.htfIndicators : market.indicators).get(spec)!;
  const column = output ? `${spec}.${output}` : indicator.outputs[0];
  return htf ? `htf:${column}` : column;
}

/** Column index of a series reference for this setup, resolved once and cached; -1 when it names nothing known. */
export function columnIndexOf(compiled: CompiledSetup, market: CompiledMarket, name: string, output: string | undefined, htf: boolean): number {
  const key = `${htf ? 'htf.' : ''}${name}${output ? '.' + output : ''}`;
  let index = compiled.columnIndex.get(key);
  if (index === undefined) {
    const column = columnOf(compiled, market, name, output, htf);
    index = column === undefined ? -1 : (market.columns.get(column) ?? -1);
    compiled.columnIndex.set(key, index);
  }
  return index;
}
