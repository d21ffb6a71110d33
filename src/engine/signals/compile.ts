/**
 * Compiles setups for one market: resolves aliases to indicator specs (with $params substituted), collects the
 * distinct indicators, pattern-engine configurations and look-back depth, so each closed candle updates every
 * indicator and pattern detector exactly once however many setups share them.
 */
import { parseIndicatorSpec } from '../indicators/spec.ts';
import { createIndicator } from '../indicators/index.ts';
import type { StreamingIndicator } from '../indicators/types.ts';
import type { Timeframe } from '../types.ts';
import { DEFAULT_ZONE_MAX_AGE, type Condition, type Operand } from '../setups/schema.ts';
import type { Setup } from '../setups/loader.ts';
import { BUILT_IN_SERIES, LEVEL_SERIES, parseOperand, substituteParams } from '../setups/operand.ts';
import type { PatternFamily } from '../patterns/families.ts';
import { definitionText, setupPatternFamilies } from './pattern-families.ts';

export interface CompiledSetup {
  setup: Setup;
  params: Record<string, number>;
  /** alias → normalized indicator spec. */
  aliases: Map<string, string>;
  /** alias → key of a higher-timeframe indicator (`<timeframe>|<spec>`, see `htfKey`). */
  htfAliases: Map<string, string>;
  /** Key of the pattern engine configuration this setup reads (its own `patterns:` settings). */
  patternKey: string;
  /** Key of the context timeframe's pattern engine (`context.timeframe` + `context.patterns`), if it has a context. */
  htfPatternKey?: string;
  /** Zones older than this many candles are not traded into. */
  zoneMaxAge: number;
  /** Largest `within` of its pattern conditions. */
  maxWithin: number;
  /** Resolved snapshot column index per operand reference (-1 = unknown), filled lazily. */
  columnIndex: Map<string, number>;
}

export interface CompiledMarket {
  setups: CompiledSetup[];
  indicators: Map<string, StreamingIndicator>;
  /** Context-timeframe indicators by `htfKey`: each is fed only the closed candles of its own timeframe. */
  htfIndicators: Map<string, { timeframe: Timeframe; indicator: StreamingIndicator }>;
  /** Snapshot columns: price and level series, then indicator outputs, then `htf:<timeframe>|<output>` outputs. */
  columns: Map<string, number>;
  /** Candles of look-back kept (largest `@N` + 1 for crosses + 1). */
  depth: number;
  maxWithin: number;
  patternConfigs: Map<string, PatternConfig>;
  /** Context-timeframe pattern engines by htfPatternKey. */
  htfPatternConfigs: Map<string, PatternConfig & { timeframe: Timeframe }>;
  /**
   * Level columns (swing_high, prev_day_low, asia_high, ...) some setup may read; the others are never computed.
   * Conservative: a level counts as read when its name appears anywhere in a setup's definition.
   */
  levelsRead: Set<string>;
  /** Does a setup trade zones (in_zone, limit entries into a zone, zone-edge stops)? They read the state before the candle. */
  readsZones: boolean;
  /** Zone kinds a setup trades (in_zone conditions, limit entries into a zone, zone-edge stops). */
  zoneKinds: Set<'fvg' | 'ob'>;
  /** The DSL pattern kinds (fvg, choch, sweep_low, ...) of every `pattern` condition of a rule, filter or criterion. */
  patternKinds: Set<string>;
  /**
   * Per patternKey, the pattern-engine families the decisions of the setups on that configuration read (with their
   * dependencies; see pattern-families.ts). Empty: none of them reads the engine.
   */
  patternFamilies: Map<string, Set<PatternFamily>>;
}

export interface PatternConfig {
  swingLength: number;
  toleranceAtr: number;
}

/** The context timeframe's structure uses the same defaults as a setup's own patterns when `context.patterns` is absent. */
const DEFAULT_PATTERN_CONFIG: PatternConfig = { swingLength: 5, toleranceAtr: 0.1 };

export function compileMarket(setups: Setup[]): CompiledMarket {
  const indicators = new Map<string, StreamingIndicator>();
  const htfIndicators: CompiledMarket['htfIndicators'] = new Map();
  const patternConfigs = new Map<string, PatternConfig>();
  const htfPatternConfigs: CompiledMarket['htfPatternConfigs'] = new Map();
  let depth = 2;
  let maxWithin = 0;
  const patternKinds = new Set<string>();
  const zoneKinds = new Set<'fvg' | 'ob'>();

  const compiled = setups.map((setup): CompiledSetup => {
    const params = Object.fromEntries(Object.entries(setup.params).map(([k, p]) => [k, p.value]));
    const specOf = (raw: string) => parseIndicatorSpec(substituteParams(raw, params)).text;
    const aliases = new Map<string, string>();
    for (const [alias, raw] of Object.entries(setup.indicators)) {
      const spec = specOf(raw);
      aliases.set(alias, spec);
      if (!indicators.has(spec)) indicators.set(spec, createIndicator(spec));
    }
    const htfAliases = new Map<string, string>();
    for (const [alias, raw] of Object.entries(setup.context?.indicators ?? {})) {
      const timeframe = setup.context!.timeframe;
      const key = htfKey(timeframe, specOf(raw));
      htfAliases.set(alias, key);
      if (!htfIndicators.has(key)) htfIndicators.set(key, { timeframe, indicator: createIndicator(specOf(raw)) });
    }
    const own: PatternConfig = { swingLength: setup.patterns.swing_length, toleranceAtr: setup.patterns.liquidity_tolerance_atr };
    const patternKey = patternConfigKey(own);
    patternConfigs.set(patternKey, own);
    let htfPatternKey: string | undefined;
    if (setup.context) {
      const p = setup.context.patterns;
      const config = p ? { swingLength: p.swing_length, toleranceAtr: p.liquidity_tolerance_atr } : DEFAULT_PATTERN_CONFIG;
      htfPatternKey = `${setup.context.timeframe}|${patternConfigKey(config)}`;
      htfPatternConfigs.set(htfPatternKey, { ...config, timeframe: setup.context.timeframe });
    }

    let setupWithin = 0;
    const visitOperand = (operand: Operand) => {
      const parsed = parseOperand(operand);
      if (parsed?.kind === 'series') depth = Math.max(depth, parsed.offset + 2);
    };
    const visit = (condition: Condition): void => {
      if ('all' in condition) return condition.all.forEach(visit);
      if ('any' in condition) return condition.any.forEach(visit);
      if ('not' in condition) return visit(condition.not);
      if ('pattern' in condition) {
        setupWithin = Math.max(setupWithin, condition.within ?? 0);
        patternKinds.add(condition.pattern);
      }
      if ('in_zone' in condition) zoneKinds.add(condition.in_zone);
      if ('regime' in condition) return;
      for (const value of Object.values(condition)) if (Array.isArray(value)) value.forEach((v) => visitOperand(v as Operand));
    };
    for (const rule of [setup.rules.long, setup.rules.short]) if (rule) visit(rule);
    for (const filter of setup.filters) visit(filter.when);
    for (const criterion of setup.score.criteria) visit(criterion.when);
    maxWithin = Math.max(maxWithin, setupWithin);
    if (setup.entry.type === 'limit') zoneKinds.add(setup.entry.zone);
    if (setup.stop.type === 'zone_edge') zoneKinds.add(setup.stop.zone);
    const zoneMaxAge = setup.patterns.zone_max_age ?? DEFAULT_ZONE_MAX_AGE;
    return { setup, params, aliases, htfAliases, patternKey, htfPatternKey, zoneMaxAge, maxWithin: setupWithin, columnIndex: new Map() };
  });

  const columns = new Map<string, number>();
  const add = (name: string) => columns.has(name) || columns.set(name, columns.size);
  BUILT_IN_SERIES.forEach(add);
  for (const key of patternConfigs.keys()) for (const level of LEVEL_SERIES) add(levelColumn(key, level));
  for (const indicator of indicators.values()) indicator.outputs.forEach(add);
  for (const { timeframe, indicator } of htfIndicators.values()) indicator.outputs.forEach((o) => add(htfColumn(timeframe, o)));
  const patternFamilies = new Map<string, Set<PatternFamily>>();
  for (const c of compiled) {
    const families = patternFamilies.get(c.patternKey) ?? new Set<PatternFamily>();
    for (const family of setupPatternFamilies(c.setup)) families.add(family);
    patternFamilies.set(c.patternKey, families);
  }
  const levelsRead = new Set<string>();
  let readsZones = false;
  for (const c of compiled) {
    const text = definitionText(c.setup);
    for (const level of LEVEL_SERIES) if (text.includes(level)) levelsRead.add(levelColumn(c.patternKey, level));
    if (text.includes('"in_zone"') || c.setup.entry.type === 'limit' || c.setup.stop.type === 'zone_edge') readsZones = true;
  }
  return { setups: compiled, indicators, htfIndicators, columns, depth, maxWithin, patternConfigs, htfPatternConfigs, levelsRead, readsZones, patternKinds, zoneKinds, patternFamilies };
}

/** Snapshot column of a series operand, given the setup's aliases; undefined when it names nothing known. */
export function columnOf(compiled: CompiledSetup, market: CompiledMarket, name: string, output: string | undefined, htf: boolean): string | undefined {
  // Levels (swing_high, prev_day_low, ...) come from this setup's own pattern engine, not whichever was configured first.
  if (!htf && LEVEL_SERIES.includes(name)) return levelColumn(compiled.patternKey, name);
  if (!htf && BUILT_IN_SERIES.includes(name)) return name;
  if (htf) {
    const key = compiled.htfAliases.get(name);
    if (!key) return undefined;
    const { timeframe, indicator } = market.htfIndicators.get(key)!;
    return htfColumn(timeframe, output ? `${indicator.spec}.${output}` : indicator.outputs[0]);
  }
  const spec = compiled.aliases.get(name);
  if (!spec) return undefined;
  return output ? `${spec}.${output}` : market.indicators.get(spec)!.outputs[0];
}

/** Two setups may read the same indicator on different context timeframes: the key keeps them apart. */
export function htfKey(timeframe: Timeframe, spec: string): string {
  return `${timeframe}|${spec}`;
}

export function patternConfigKey(config: PatternConfig): string {
  return `${config.swingLength}:${config.toleranceAtr}`;
}

export function levelColumn(patternKey: string, level: string): string {
  return `lvl:${patternKey}|${level}`;
}

export function htfColumn(timeframe: Timeframe, output: string): string {
  return `htf:${timeframe}|${output}`;
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
