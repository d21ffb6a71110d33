/**
 * The live detector for one market (exchange, symbol, timeframe). On each closed candle it updates indicators and
 * pattern state once, then evaluates every setup for both sides and emits scored Signals. The backtester and the
 * replay feed drive this same class, so a rule gives the same signal everywhere. Causal by construction: it only
 * ever sees candles up to the one that just closed, and higher-timeframe values only once their candle has closed.
 */
import type { Candle, CostModel, MarketKey, Side, Signal, Timeframe } from '../types.ts';
import { InputError } from '../errors.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { CandleResampler } from '../market/resample.ts';
import { PatternEngine, type PatternEvent, type PatternState } from '../patterns/index.ts';
import type { Setup } from '../setups/loader.ts';
import { evaluate, type Direction, type EvalContext } from '../setups/evaluate.ts';
import { columnIndexOf, compileMarket, htfColumn, levelColumn, type CompiledMarket, type CompiledSetup } from './compile.ts';
import type { StreamingIndicator } from '../indicators/types.ts';
import { SnapshotRing } from './snapshots.ts';
import { candlePatternMatches, describeEvent, engineKindOf, eventMatches, firstZone, inSession, levelReader, liquidityLevels, type LevelReader, type PatternReadout } from './pattern-view.ts';
import { PATTERN_FAMILIES, type PatternFamily } from '../patterns/families.ts';
import { CONTEXT_FAMILIES } from './pattern-families.ts';
import { LEVEL_SERIES, parseOperand } from '../setups/operand.ts';
import type { Condition, Operand } from '../setups/schema.ts';
import { compileMayHold } from './may-hold.ts';
import { planTrade, type Zone } from './plan.ts';
import { scoreSignal, type SetupHistory } from './scoring.ts';
import { DEFAULT_COST_MODEL, signalCosts } from './costs.ts';
import type { Regime } from '../regime/types.ts';

export interface DetectorOptions {
  market: MarketKey;
  setups: Setup[];
  /** Measured history of a setup version (journal + backtests), for scoring. */
  history?: (setupId: string, version: string) => SetupHistory | undefined;
  /** Fees and slippage of the market's account; every signal carries its costs at this model (default: paper, 0.1 %/side). */
  costs?: CostModel;
  /**
   * Describe the market context in each signal (structure and active sessions in `signal.context`) even when no
   * setup reads patterns. Default true (what the trader sees). A backtest that only needs trades passes false: the
   * pattern engine then runs only the families (swings, sessions, ...) the setups' decisions read, and not at all
   * when they read none: most of the per-candle work of an indicator setup.
   */
  describeContext?: boolean;
  /** Skip the rule evaluation on candles where a numeric leaf already rules it out (default true; false = the reference the tests compare to). */
  prefilter?: boolean;
  /**
   * The market regime in force as of the candle being evaluated, for `regime` conditions: the regime gate's classifier,
   * fed the same candle first (regime/gate.ts, gatedMarketDetector). Without it a `regime` condition is unknown.
   */
  regime?: () => Regime | undefined;
}

interface HigherTimeframe {
  timeframe: Timeframe;
  resampler: CandleResampler;
  /** Its indicators, fed only this timeframe's closed candles. */
  indicators: StreamingIndicator[];
  /** Their outputs' snapshot columns (the values only move when a candle of this timeframe closes). */
  outputs: { indicator: StreamingIndicator; output: string; index: number }[];
  /** One pattern engine per distinct `context.patterns` setting on this timeframe, by htfPatternKey. */
  structures: Map<string, HigherTimeframeStructure>;
}

interface HigherTimeframeStructure {
  patterns: PatternEngine;
  /** Structure direction as of the last CLOSED higher-timeframe candle. */
  trend: 'bullish' | 'bearish' | undefined;
}

const ALL_FAMILIES: ReadonlySet<PatternFamily> = new Set(PATTERN_FAMILIES);

const SIDE_DIRECTION: Record<Side, Direction> = { long: 'bull', short: 'bear' };

/** One setup × side as the per-candle loop reads it: the rule and its validity resolved once (no keyed lookups). */
interface SideSlot {
  compiled: CompiledSetup;
  side: Side;
  context: SideContext;
  rule: Condition | undefined;
  validityBars: number;
  lastSignal: number;
  /** The signal id up to the candle time: one shared string, so a kept id is two small pieces, not a dozen. */
  idPrefix: string;
}

interface SideContext {
  ctx: EvalContext;
  value(operand: string): number;
  /** False only when the side's rule cannot be true on this candle (see mayHold); then evaluate is not called. */
  mayHold: () => boolean;
}

/** One pattern engine of the detector with what the rules read from it. */
interface PatternSlot {
  /** Absent when no setup reads patterns and the context is not described: the state stays NO_PATTERNS. */
  engine: PatternEngine | undefined;
  /** Events of the asked kinds confirmed within the largest `within` of the setups. */
  events: PatternEvent[];
  /** What the per-candle questions read: the engine itself (after its update), or NO_PATTERNS when none runs. */
  readout: PatternReadout;
  /** The engine's snapshot taken at candle `takenAt` (see stateOf). */
  state: PatternState;
  takenAt: number;
  /**
   * Zones the current candle trades into, newest first, from the zones as they stood BEFORE it (taken before the
   * engine's update, only for the zone kinds a setup trades); undefined on the first candle or without an engine.
   */
  touched: { fvg: readonly PatternEvent[]; ob: readonly PatternEvent[] } | undefined;
}

const NO_ZONES: readonly PatternEvent[] = Object.freeze([]);

/** Pattern state before any engine has run (and for detectors that run none): nothing known yet. */
const NO_PATTERNS: PatternState = Object.freeze({
  candles: 0,
  lastSwingHigh: undefined,
  lastSwingLow: undefined,
  trend: undefined,
  lastStructureBreak: undefined,
  activeFvgs: [],
  activeOrderBlocks: [],
  liquidityPools: [],
  recentSweeps: [],
  sessions: [],
  previousRanges: [],
  retracement: undefined,
  candlePatterns: [],
  atr: NaN,
});

export class MarketDetector {
  readonly market: MarketKey;
  private readonly compiled: CompiledMarket;
  private readonly ring: SnapshotRing;
  /** One per pattern-engine configuration, by patternKey. */
  private readonly slots = new Map<string, PatternSlot>();
  private readonly htf = new Map<Timeframe, HigherTimeframe>();
  private readonly htfStructures = new Map<string, HigherTimeframeStructure>();
  /** Every setup × side this detector evaluates, with its context and the index of its last signal (hot path: no keyed lookups). */
  private readonly sides: SideSlot[] = [];
  private readonly history?: DetectorOptions['history'];
  private readonly regime?: DetectorOptions['regime'];
  private readonly costModel: CostModel;
  private readonly tfMs: number;
  private readonly contexts = new Map<string, SideContext>();
  private readonly levelColumns: { slot: PatternSlot; index: number; read: LevelReader }[];
  private readonly indicatorColumns: { index: number; indicator: { value(output?: string): number }; output: string }[] = [];
  private readonly priceColumns: number[];
  private readonly prefilter: boolean;
  /** The maps above as arrays, for the per-candle loops (no iterator or entry objects per candle). */
  private readonly runningSlots: PatternSlot[];
  /** Engine event kinds some `pattern` condition asks about: only these are kept for patternWithin. */
  private readonly askedKinds: ReadonlySet<string>;
  private readonly indicatorList: StreamingIndicator[];
  private readonly htfList: HigherTimeframe[];
  private index = -1;
  private lastTs = -Infinity;
  private candle!: Candle;

  constructor(options: DetectorOptions) {
    this.market = options.market;
    this.history = options.history;
    this.regime = options.regime;
    this.costModel = options.costs ?? DEFAULT_COST_MODEL;
    this.prefilter = options.prefilter !== false;
    this.tfMs = timeframeMs(options.market.timeframe);
    const applicable = options.setups.filter((s) => s.enabled && s.timeframe === options.market.timeframe && appliesTo(s, options.market.symbol));
    this.compiled = compileMarket(applicable);
    this.ring = new SnapshotRing(this.compiled.columns, this.compiled.depth);
    // Described to the trader: the whole engine. A backtest (not described) runs only the families its decisions
    // read (pattern-families.ts), and no engine for a configuration that no setup reads patterns from.
    const describe = options.describeContext !== false;
    for (const [key, config] of this.compiled.patternConfigs) {
      const families: ReadonlySet<PatternFamily> = describe ? ALL_FAMILIES : this.compiled.patternFamilies.get(key)!;
      const engine = families.size > 0 ? newPatternEngine(config.swingLength, config.toleranceAtr, families) : undefined;
      this.slots.set(key, { engine, events: [], readout: engine ?? NO_PATTERNS, state: NO_PATTERNS, takenAt: NaN, touched: undefined });
    }
    this.askedKinds = new Set([...this.compiled.patternKinds].map(engineKindOf).filter((k) => k !== undefined));
    const columns = this.compiled.columns;
    this.priceColumns = ['open', 'high', 'low', 'close', 'volume', 'hl2', 'hlc3', 'ohlc4'].map((name) => columns.get(name)!);
    // Only the levels a setup reads: the rest would be NaN-filled columns nobody looks at.
    this.levelColumns = [...this.compiled.patternConfigs.keys()].flatMap((patternKey) =>
      LEVEL_SERIES.filter((name) => this.compiled.levelsRead.has(levelColumn(patternKey, name))).map((name) => ({
        slot: this.slots.get(patternKey)!,
        index: columns.get(levelColumn(patternKey, name))!,
        read: levelReader(name),
      })),
    );
    for (const indicator of this.compiled.indicators.values()) {
      for (const output of indicator.outputs) this.indicatorColumns.push({ index: columns.get(output)!, indicator, output });
    }
    for (const [key, config] of this.compiled.htfPatternConfigs) {
      const tf = config.timeframe;
      let htf = this.htf.get(tf);
      if (!htf) {
        const indicators = [...this.compiled.htfIndicators.values()].filter((h) => h.timeframe === tf).map((h) => h.indicator);
        const outputs = indicators.flatMap((indicator) => indicator.outputs.map((output) => ({ indicator, output, index: columns.get(htfColumn(tf, output))! })));
        htf = { timeframe: tf, resampler: new CandleResampler(options.market.timeframe, tf), indicators, outputs, structures: new Map() };
        this.htf.set(tf, htf);
      }
      const structure = { patterns: newPatternEngine(config.swingLength, config.toleranceAtr, describe ? ALL_FAMILIES : CONTEXT_FAMILIES), trend: undefined };
      htf.structures.set(key, structure);
      this.htfStructures.set(key, structure);
    }
    this.runningSlots = [...this.slots.values()].filter((slot) => slot.engine);
    this.indicatorList = [...this.compiled.indicators.values()];
    this.htfList = [...this.htf.values()];
    // After the context timeframes: a side's context holds on to its context structure.
    for (const compiled of this.compiled.setups) {
      for (const side of ['long', 'short'] as const) {
        const context = this.buildContext(compiled, side);
        this.contexts.set(`${compiled.setup.id}:${side}`, context);
        const { setup } = compiled;
        const idPrefix = `${setup.id}@${setup.version}:${this.market.exchange}:${this.market.symbol}:${this.market.timeframe}:`;
        this.sides.push({ compiled, side, context, rule: setup.rules[side], validityBars: setup.validity.bars, lastSignal: NaN, idPrefix });
      }
    }
  }

  /** Setups this detector evaluates (enabled, same timeframe, market matches). */
  get setupIds(): string[] {
    return this.compiled.setups.map((c) => c.setup.id);
  }

  /** Feeds one closed candle; returns the signals it triggers (unranked; see rankSignals). */
  update(candle: Candle): Signal[] {
    if (!(candle.ts > this.lastTs)) {
      throw new InputError(`candle ${new Date(candle.ts).toISOString()} is not after ${new Date(this.lastTs).toISOString()}`, { field: 'ts', value: candle.ts });
    }
    this.lastTs = candle.ts;
    this.index++;
    this.candle = candle;
    const asked = this.askedKinds;
    const horizon = this.index - this.compiled.maxWithin;
    for (let p = 0; p < this.runningSlots.length; p++) {
      const slot = this.runningSlots[p];
      // Zone touches read the zones before this candle; only setups that trade zones ask.
      if (this.compiled.readsZones) slot.touched = this.index > 0 ? this.zonesBefore(slot.engine!, candle) : undefined;
      const events = slot.events;
      const confirmed = slot.engine!.update(candle);
      for (let k = 0; k < confirmed.length; k++) if (asked.has(confirmed[k].kind)) events.push(confirmed[k]);
      while (events.length > 0 && events[0].confirmedIndex < horizon) events.shift();
    }
    for (let k = 0; k < this.indicatorList.length; k++) this.indicatorList[k].update(candle);
    this.updateHigherTimeframes(candle);
    this.writeSnapshot(candle);

    const signals: Signal[] = [];
    for (let k = 0; k < this.sides.length; k++) {
      const signal = this.evaluateSide(this.sides[k]);
      if (signal) signals.push(signal);
    }
    return signals;
  }

  /**
   * The engine's state after the current candle, taken on first use: only a matched rule needs the whole snapshot
   * (planning and the signal's context); the per-candle questions read the engine directly (slot.readout).
   */
  private stateOf(slot: PatternSlot): PatternState {
    if (slot.engine && slot.takenAt !== this.index) {
      slot.state = slot.engine.state();
      slot.takenAt = this.index;
    }
    return slot.state;
  }

  /** The zones of the kinds some setup trades that the candle overlaps, asked before the engine sees the candle. */
  private zonesBefore(engine: PatternEngine, candle: Candle): PatternSlot['touched'] {
    const kinds = this.compiled.zoneKinds;
    return { fvg: kinds.has('fvg') ? engine.zonesTouching('fvg', candle) : NO_ZONES, ob: kinds.has('ob') ? engine.zonesTouching('ob', candle) : NO_ZONES };
  }

  private updateHigherTimeframes(candle: Candle): void {
    for (const htf of this.htfList) {
      for (const closed of htf.resampler.push(candle)) {
        for (const structure of htf.structures.values()) {
          structure.patterns.update(closed);
          structure.trend = structure.patterns.trend;
        }
        for (const indicator of htf.indicators) indicator.update(closed);
      }
    }
  }

  private writeSnapshot(c: Candle): void {
    const row = this.ring.next();
    const p = this.priceColumns;
    const open = p[0], high = p[1], low = p[2], close = p[3], volume = p[4], hl2 = p[5], hlc3 = p[6], ohlc4 = p[7];
    row[open] = c.open;
    row[high] = c.high;
    row[low] = c.low;
    row[close] = c.close;
    row[volume] = c.volume;
    row[hl2] = (c.high + c.low) / 2;
    row[hlc3] = (c.high + c.low + c.close) / 3;
    row[ohlc4] = (c.open + c.high + c.low + c.close) / 4;
    for (const level of this.levelColumns) row[level.index] = level.read(level.slot.readout);
    for (const column of this.indicatorColumns) row[column.index] = column.indicator.value(column.output);
    for (const htf of this.htfList) for (const h of htf.outputs) row[h.index] = h.indicator.value(h.output);
  }

  private evaluateSide(slot: SideSlot): Signal | undefined {
    const rule = slot.rule;
    if (!rule) return undefined;
    // One signal per setup and side while the previous one is still valid: a rule that stays true is one idea.
    if (this.index - slot.lastSignal <= slot.validityBars) return undefined;
    const context = slot.context;
    if (this.prefilter && !context.mayHold()) return undefined;
    const { compiled, side } = slot;
    const { setup } = compiled;
    const matched = evaluate(rule, context.ctx);
    if (!matched.ok) return undefined;
    for (const filter of setup.filters) if (!evaluate(filter.when, context.ctx).ok) return undefined;

    const patterns = this.slots.get(compiled.patternKey)!;
    const state = this.stateOf(patterns);
    const atrAlias = setup.stop.type === 'percent' ? 'atr' : setup.stop.atr;
    const atr = this.ring.at(columnIndexOf(compiled, this.compiled, atrAlias, undefined, false), 0);
    const zoneKind = setup.entry.type === 'limit' ? setup.entry.zone : setup.stop.type === 'zone_edge' ? setup.stop.zone : undefined;
    const zoneEvent = zoneKind
      ? patterns.touched && firstZone(patterns.touched[zoneKind], SIDE_DIRECTION[side], this.index - compiled.zoneMaxAge)
      : undefined;
    const zone: Zone | undefined = zoneEvent ? { top: Math.max(zoneEvent.top!, zoneEvent.bottom!), bottom: Math.min(zoneEvent.top!, zoneEvent.bottom!) } : undefined;
    const planned = planTrade(setup, {
      side,
      close: this.candle.close,
      atr,
      swingLow: state.lastSwingLow?.level,
      swingHigh: state.lastSwingHigh?.level,
      zone,
      liquidityAbove: liquidityLevels(state, 'above', this.candle.close),
      liquidityBelow: liquidityLevels(state, 'below', this.candle.close),
      value: (operand) => (typeof operand === 'number' ? operand : context.value(operand)),
    });
    if (!planned.ok) return undefined;

    // Only a TRUE criterion earns its weight: an unknown one (context not warmed up) is no evidence either way.
    const criteria = setup.score.criteria.map((c) => ({ name: c.name, weight: c.weight, passed: evaluate(c.when, context.ctx).ok, pass: c.pass, fail: c.fail }));
    const score = scoreSignal(criteria, this.history?.(setup.id, setup.version));
    slot.lastSignal = this.index;
    const plan = planned.plan;
    const signal: Signal = {
      id: `${slot.idPrefix}${this.candle.ts}:${side}`,
      setupId: setup.id,
      setupVersion: setup.version,
      setupName: setup.name,
      exchange: this.market.exchange,
      symbol: this.market.symbol,
      timeframe: this.market.timeframe,
      side,
      ts: this.candle.ts,
      entryType: plan.entryType,
      entry: plan.entry,
      stop: plan.stop,
      targets: plan.targets,
      rr: plan.rr,
      score: score.score,
      rank: 0,
      reasons: { strengths: [...matched.notes, ...score.strengths], weaknesses: [...plan.notes, ...score.weaknesses] },
      context: this.contextSnapshot(compiled, state, atr, zone),
      // Known at the close (ts + tf); actionable for `validity.bars` more candles.
      validUntil: this.candle.ts + this.tfMs * (1 + setup.validity.bars),
      costs: undefined,
    };
    signal.costs = signalCosts(signal, this.costModel);
    return signal;
  }

  /** Built once per setup and side; reads the detector's current candle and state when called. */
  private buildContext(compiled: CompiledSetup, side: Side): SideContext {
    const slot = this.slots.get(compiled.patternKey)!;
    const sideDirection = SIDE_DIRECTION[side];
    const series = (name: string, output: string | undefined, htf: boolean, offset: number) =>
      this.ring.at(columnIndexOf(compiled, this.compiled, name, output, htf), offset);
    const htfStructure = compiled.htfPatternKey ? this.htfStructures.get(compiled.htfPatternKey) : undefined;
    const ctx: EvalContext = {
      side: sideDirection,
      series: (ref) => series(ref.name, ref.output, ref.htf, ref.offset),
      param: (name) => compiled.params[name] ?? NaN,
      patternWithin: (kind, direction, within) => {
        const events = slot.events;
        const wanted = directionFor(kind, direction);
        for (let i = events.length - 1; i >= 0 && events[i].confirmedIndex >= this.index - within; i--) {
          if (eventMatches(events[i], kind, wanted)) return describeEvent(events[i]);
        }
        // Fewer candles seen than the window: an event may have happened before the history began.
        return this.index < within ? undefined : false;
      },
      inZone: (kind, direction) => {
        const touched = slot.touched;
        if (!touched) return undefined;
        const zone = firstZone(touched[kind as 'fvg' | 'ob'], direction, this.index - compiled.zoneMaxAge);
        return zone ? `retrace into a ${describeEvent(zone)}` : false;
      },
      candlePattern: (kind, direction) => candlePatternMatches(slot.readout, kind, direction),
      inSession: (names) => inSession(slot.readout, names),
      structure: (direction, higher) => {
        const trend = higher ? htfStructure?.trend : slot.readout.trend;
        return trend === undefined ? undefined : trend === (direction === 'bull' ? 'bullish' : 'bearish');
      },
      regime: () => this.regime?.(),
    };
    const value = (operand: string) => {
      const parsed = parseOperand(operand);
      if (!parsed) return NaN;
      if (parsed.kind === 'number') return parsed.value;
      if (parsed.kind === 'param') return compiled.params[parsed.name] ?? NaN;
      return series(parsed.name, parsed.output, parsed.htf, parsed.offset);
    };
    const rule = compiled.setup.rules[side];
    const mayHold = rule ? compileMayHold(rule, side, (operand, extra) => this.operandReader(compiled, operand, extra), ctx) : () => false;
    return { ctx, value, mayHold };
  }

  /** A reader of one operand for the current candle, resolved once: the same values evaluate's context returns. */
  private operandReader(compiled: CompiledSetup, operand: Operand, extraOffset = 0): () => number {
    const parsed = parseOperand(operand);
    if (!parsed) return () => NaN;
    if (parsed.kind === 'number') return () => parsed.value;
    if (parsed.kind === 'param') {
      const value = compiled.params[parsed.name] ?? NaN;
      return () => value;
    }
    const index = columnIndexOf(compiled, this.compiled, parsed.name, parsed.output, parsed.htf);
    const offset = parsed.offset + extraOffset;
    const ring = this.ring;
    return () => ring.at(index, offset);
  }

  private contextSnapshot(compiled: CompiledSetup, state: PatternState, atr: number, zone: Zone | undefined): Signal['context'] {
    const snapshot: Signal['context'] = { close: this.candle.close, atr };
    for (const [alias, spec] of compiled.aliases) {
      const indicator = this.compiled.indicators.get(spec)!;
      for (const output of indicator.outputs) snapshot[output === spec ? alias : `${alias}.${output.slice(spec.length + 1)}`] = indicator.value(output);
    }
    for (const [alias, key] of compiled.htfAliases) {
      const indicator = this.compiled.htfIndicators.get(key)!.indicator;
      if (indicator.outputs.length === 1) snapshot[`htf.${alias}`] = indicator.value();
    }
    if (state.trend) snapshot.structure = state.trend;
    const htfTrend = compiled.htfPatternKey ? this.htfStructures.get(compiled.htfPatternKey)?.trend : undefined;
    if (htfTrend) snapshot.htfStructure = htfTrend;
    const sessions = state.sessions.filter((s) => s.active).map((s) => s.name);
    if (sessions.length) snapshot.sessions = sessions.join(', ');
    if (zone) {
      snapshot.zoneTop = zone.top;
      snapshot.zoneBottom = zone.bottom;
    }
    return snapshot;
  }
}

/** Structure-like patterns take the (resolved) direction; swings, sweeps and level breaks have no side of their own. */
const DIRECTED_PATTERNS: ReadonlySet<string> = new Set(['fvg', 'ob', 'bos', 'choch']);

function directionFor(kind: string, direction: Direction): Direction | undefined {
  return DIRECTED_PATTERNS.has(kind) ? direction : undefined;
}

function appliesTo(setup: Setup, symbol: string): boolean {
  return setup.markets.includes('*') || setup.markets.includes(symbol);
}

function newPatternEngine(swingLength: number, toleranceAtr: number, families: Iterable<PatternFamily>): PatternEngine {
  return new PatternEngine({ swings: { left: swingLength, right: swingLength }, liquidity: { tolerance: { mode: 'atr', multiple: toleranceAtr } } }, families);
}
