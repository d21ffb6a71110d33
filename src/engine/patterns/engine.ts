/**
 * PatternEngine: every CAUSAL detector for one market (symbol + timeframe). Feed closed candles in time order;
 * `update` returns the events confirmed by that candle (frozen, never rewritten) and `state()` answers what the
 * setup DSL asks about now. Work per candle is O(1) amortized: bounded history, bounded active lists.
 */
import type { Candle, Timeframe } from '../types.ts';
import { InputError } from '../errors.ts';
import { EventStep, type EventDraft, type PatternEvent } from './causal/events.ts';
import { CandleHistory, WilderAtr } from './causal/history.ts';
import { SwingDetector, type SwingOptions } from './causal/swings.ts';
import { FvgDetector } from './causal/fvg.ts';
import { StructureDetector, type StructureOptions } from './causal/structure.ts';
import { OrderBlockDetector } from './causal/order-blocks.ts';
import { LiquidityDetector, type LiquidityOptions } from './causal/liquidity.ts';
import { PreviousHighLowTracker, type PreviousRangeState } from './causal/previous-high-low.ts';
import { BUILT_IN_SESSIONS, SessionTracker, type SessionDefinition } from './causal/sessions.ts';
import { detectCandlePatterns } from './causal/candle-patterns.ts';
import { RetracementTracker } from './causal/retracement.ts';
import type { PatternState } from './state.ts';
import { zonesTouching } from './zones.ts';
import { PATTERN_FAMILIES, withDependencies, type PatternFamily } from './families.ts';

export interface PatternEngineOptions {
  swings: SwingOptions;
  fvg: { joinConsecutive: boolean; maxActive: number };
  structure: StructureOptions;
  orderBlocks: { maxActive: number };
  liquidity: LiquidityOptions & { atrPeriod: number };
  previousHighLow: Timeframe[];
  sessions: readonly SessionDefinition[];
  candlePatterns: boolean;
  /** Candles remembered (order-block search reaches back at most this far). */
  historySize: number;
}

export const DEFAULT_PATTERN_OPTIONS: PatternEngineOptions = {
  swings: { left: 5, right: 5 },
  fvg: { joinConsecutive: false, maxActive: 200 },
  structure: { breakOn: 'close' },
  orderBlocks: { maxActive: 100 },
  liquidity: { tolerance: { mode: 'atr', multiple: 0.1 }, atrPeriod: 14, maxSwings: 50, recentSweeps: 10 },
  previousHighLow: ['1d', '1w'],
  sessions: BUILT_IN_SESSIONS,
  candlePatterns: true,
  historySize: 2000,
};

export type PatternEngineOverrides = { [K in keyof PatternEngineOptions]?: Partial<PatternEngineOptions[K]> | PatternEngineOptions[K] };

function merge(overrides: PatternEngineOverrides): PatternEngineOptions {
  const out = { ...DEFAULT_PATTERN_OPTIONS } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    const base = (DEFAULT_PATTERN_OPTIONS as unknown as Record<string, unknown>)[key];
    const plainObject = value && typeof value === 'object' && !Array.isArray(value) && base && !Array.isArray(base);
    out[key] = plainObject ? { ...(base as object), ...(value as object) } : value;
  }
  return out as unknown as PatternEngineOptions;
}

export class PatternEngine {
  readonly options: PatternEngineOptions;
  private readonly history: CandleHistory;
  private readonly atr: WilderAtr;
  private readonly swings: SwingDetector;
  private readonly fvg: FvgDetector;
  private readonly structure: StructureDetector;
  private readonly orderBlocks: OrderBlockDetector;
  private readonly liquidity: LiquidityDetector;
  private readonly previous: PreviousHighLowTracker[];
  private readonly sessionTrackers: SessionTracker[];
  private readonly retracement = new RetracementTracker();
  private lastPatterns: readonly PatternEvent[] = [];
  private readonly step = new EventStep();
  /** The last candle fed (the two-candle patterns compare with it). */
  private previousCandle: Candle | undefined;
  private readonly views = emptyViews();
  /** The families this engine runs (all by default), with what they are computed from. */
  readonly families: ReadonlySet<PatternFamily>;
  private readonly run: Readonly<Record<PatternFamily, boolean>>;

  /**
   * `families`: run only these parts (and their dependencies); the others leave their state empty. For a caller that
   * knows everything its decisions read (a backtest's detector); the default runs every detector.
   */
  constructor(overrides: PatternEngineOverrides = {}, families: Iterable<PatternFamily> = PATTERN_FAMILIES) {
    this.options = merge(overrides);
    const o = this.options;
    this.families = withDependencies(families);
    this.run = Object.fromEntries(PATTERN_FAMILIES.map((f) => [f, this.families.has(f)])) as Record<PatternFamily, boolean>;
    const reach = o.swings.left + o.swings.right + 3;
    this.history = new CandleHistory(Math.max(o.historySize, reach));
    this.atr = new WilderAtr(o.liquidity.atrPeriod);
    this.swings = new SwingDetector(o.swings);
    this.fvg = new FvgDetector(o.fvg);
    this.structure = new StructureDetector(o.structure);
    this.orderBlocks = new OrderBlockDetector(o.orderBlocks);
    this.liquidity = new LiquidityDetector(o.liquidity);
    this.previous = this.run['previous-high-low'] ? o.previousHighLow.map((tf) => new PreviousHighLowTracker(tf)) : [];
    this.sessionTrackers = this.run.sessions ? o.sessions.map((definition) => new SessionTracker(definition)) : [];
  }

  /** Candles consumed so far; the next candle gets this index. */
  get size(): number {
    return this.history.size;
  }

  update(candle: Candle): readonly PatternEvent[] {
    const index = this.history.size;
    const previous = this.previousCandle;
    if (previous) {
      if (!(candle.ts > previous.ts)) {
        throw new InputError(`candle ${new Date(candle.ts).toISOString()} does not follow ${new Date(previous.ts).toISOString()}`, {
          field: 'ts',
          value: candle.ts,
        });
      }
    }
    this.history.push(candle);
    const step = this.step;
    step.begin(index, candle);
    const run = this.run;
    // Same order as with every family: the events of the families that run come out in the same order.
    const newSwings = run.swings ? this.swings.update(step, this.history) : EMPTY;
    if (run.structure) this.structure.update(step, newSwings);
    if (run.fvg) this.fvg.update(step, this.history);
    if (run['order-blocks']) this.orderBlocks.update(step, this.history, newSwings);
    if (run.liquidity) this.liquidity.update(step, newSwings, this.atr.update(candle));
    if (run.retracement) this.retracement.update(candle, newSwings);
    for (let k = 0; k < this.previous.length; k++) this.previous[k].update(step);
    for (let k = 0; k < this.sessionTrackers.length; k++) this.sessionTrackers[k].update(step);
    if (this.options.candlePatterns && run['candle-patterns']) {
      const patternsStart = step.count;
      const matches = detectCandlePatterns(candle, previous);
      for (let k = 0; k < matches.length; k++) {
        const match = matches[k];
        const draft: EventDraft = { kind: 'candle-pattern', index, ts: candle.ts, label: match.name };
        if (match.direction) draft.direction = match.direction;
        step.emit(draft);
      }
      this.lastPatterns = step.since(patternsStart);
    }
    this.previousCandle = candle;
    return step.finish();
  }

  // What the per-candle questions of a detector read, right after `update`, without taking a whole snapshot.

  /** Direction of the latest BOS/CHoCH. */
  get trend(): PatternState['trend'] {
    return this.structure.trend;
  }

  get lastSwingHigh(): PatternEvent | undefined {
    return this.swings.lastHigh;
  }

  get lastSwingLow(): PatternEvent | undefined {
    return this.swings.lastLow;
  }

  /** Candle patterns of the last candle (frozen). */
  get candlePatterns(): readonly PatternEvent[] {
    return this.lastPatterns;
  }

  /** One frozen entry per configured session, in a frozen list rebuilt only when a session changed. */
  get sessions(): PatternState['sessions'] {
    const views = this.views;
    if (!sameItems(views.sessions, this.sessionTrackers, (s) => s.state)) views.sessions = Object.freeze(this.sessionTrackers.map((s) => s.state));
    return views.sessions;
  }

  /** The previous completed period per configured timeframe (frozen copies, rebuilt only when one changed). */
  get previousRanges(): PatternState['previousRanges'] {
    const views = this.views;
    if (!sameItems(views.previousSources, this.previous, (p) => p.previous)) {
      views.previousSources = this.previous.map((p) => p.previous);
      views.previousRanges = Object.freeze(this.previous.flatMap((p) => (p.previous ? [Object.freeze({ ...p.previous })] : [])));
    }
    return views.previousRanges;
  }

  /**
   * Active zones of `kind` the candle's range overlaps, newest first, as they stand now: asked before `update`, the
   * zones of the state before the candle (the first touch of a gap is often the candle that mitigates it).
   */
  zonesTouching(kind: 'fvg' | 'ob', candle: Candle): readonly PatternEvent[] {
    return zonesTouching(kind === 'fvg' ? this.fvg.activeGaps : this.orderBlocks.activeBlocks, candle);
  }

  /**
   * A frozen snapshot. Its lists are frozen copies made only after the detector behind them changed (version or
   * identity checks), so asking on every candle costs a few comparisons, not a copy of every zone and pool.
   */
  state(): PatternState {
    const views = this.views;
    if (views.fvgVersion !== this.fvg.version) {
      views.fvgVersion = this.fvg.version;
      views.activeFvgs = Object.freeze([...this.fvg.activeGaps]);
    }
    if (views.orderBlockVersion !== this.orderBlocks.version) {
      views.orderBlockVersion = this.orderBlocks.version;
      views.activeOrderBlocks = Object.freeze([...this.orderBlocks.activeBlocks]);
    }
    if (views.liquidityVersion !== this.liquidity.version) {
      views.liquidityVersion = this.liquidity.version;
      views.liquidityPools = Object.freeze(this.liquidity.activePools.map((p) => Object.freeze(p)));
      views.recentSweeps = Object.freeze([...this.liquidity.sweeps]);
    }
    return Object.freeze({
      candles: this.history.size,
      lastSwingHigh: this.swings.lastHigh,
      lastSwingLow: this.swings.lastLow,
      trend: this.structure.trend,
      lastStructureBreak: this.structure.lastBreak,
      activeFvgs: views.activeFvgs,
      activeOrderBlocks: views.activeOrderBlocks,
      liquidityPools: views.liquidityPools,
      recentSweeps: views.recentSweeps,
      sessions: this.sessions,
      previousRanges: this.previousRanges,
      retracement: this.retracement.state,
      candlePatterns: this.lastPatterns,
      atr: this.atr.value,
    });
  }
}

/** The frozen lists of the last snapshot and what they were built from. */
interface SnapshotViews {
  fvgVersion: number;
  activeFvgs: readonly PatternEvent[];
  orderBlockVersion: number;
  activeOrderBlocks: readonly PatternEvent[];
  liquidityVersion: number;
  liquidityPools: PatternState['liquidityPools'];
  recentSweeps: readonly PatternEvent[];
  sessions: PatternState['sessions'];
  previousSources: readonly (PreviousRangeState | undefined)[];
  previousRanges: PatternState['previousRanges'];
}

const EMPTY: readonly never[] = Object.freeze([]);

function emptyViews(): SnapshotViews {
  // Versions start below the detectors' (0), so the first snapshot builds every list.
  return {
    fvgVersion: -1,
    activeFvgs: EMPTY,
    orderBlockVersion: -1,
    activeOrderBlocks: EMPTY,
    liquidityVersion: -1,
    liquidityPools: EMPTY,
    recentSweeps: EMPTY,
    sessions: EMPTY,
    previousSources: EMPTY,
    previousRanges: EMPTY,
  };
}

/** Does `items` hold, in order, exactly what `of` gives for each source (by identity)? */
function sameItems<S, T>(items: readonly T[], sources: readonly S[], of: (source: S) => T): boolean {
  if (items.length !== sources.length) return false;
  for (let i = 0; i < sources.length; i++) if (items[i] !== of(sources[i])) return false;
  return true;
}
