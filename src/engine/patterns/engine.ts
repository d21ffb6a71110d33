/**
 * PatternEngine: every CAUSAL detector for one market (symbol + timeframe). Feed closed candles in time order;
 * `update` returns the events confirmed by that candle (frozen, never rewritten) and `state()` answers what the
 * setup DSL asks about now. Work per candle is O(1) amortized: bounded history, bounded active lists.
 */
import type { Candle, Timeframe } from '../types.ts';
import { InputError } from '../errors.ts';
import { makeStep, type PatternEvent } from './causal/events.ts';
import { CandleHistory, WilderAtr } from './causal/history.ts';
import { SwingDetector, type SwingOptions } from './causal/swings.ts';
import { FvgDetector } from './causal/fvg.ts';
import { StructureDetector, type StructureOptions } from './causal/structure.ts';
import { OrderBlockDetector } from './causal/order-blocks.ts';
import { LiquidityDetector, type LiquidityOptions } from './causal/liquidity.ts';
import { PreviousHighLowTracker } from './causal/previous-high-low.ts';
import { BUILT_IN_SESSIONS, SessionTracker, type SessionDefinition } from './causal/sessions.ts';
import { detectCandlePatterns } from './causal/candle-patterns.ts';
import { RetracementTracker } from './causal/retracement.ts';
import type { PatternState } from './state.ts';

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
  private readonly sessions: SessionTracker[];
  private readonly retracement = new RetracementTracker();
  private lastPatterns: readonly PatternEvent[] = [];

  constructor(overrides: PatternEngineOverrides = {}) {
    this.options = merge(overrides);
    const o = this.options;
    const reach = o.swings.left + o.swings.right + 3;
    this.history = new CandleHistory(Math.max(o.historySize, reach));
    this.atr = new WilderAtr(o.liquidity.atrPeriod);
    this.swings = new SwingDetector(o.swings);
    this.fvg = new FvgDetector(o.fvg);
    this.structure = new StructureDetector(o.structure);
    this.orderBlocks = new OrderBlockDetector(o.orderBlocks);
    this.liquidity = new LiquidityDetector(o.liquidity);
    this.previous = o.previousHighLow.map((tf) => new PreviousHighLowTracker(tf));
    this.sessions = o.sessions.map((definition) => new SessionTracker(definition));
  }

  /** Candles consumed so far; the next candle gets this index. */
  get size(): number {
    return this.history.size;
  }

  update(candle: Candle): readonly PatternEvent[] {
    const index = this.history.size;
    if (index > 0) {
      const last = this.history.at(index - 1);
      if (!(candle.ts > last.ts)) {
        throw new InputError(`candle ${new Date(candle.ts).toISOString()} does not follow ${new Date(last.ts).toISOString()}`, {
          field: 'ts',
          value: candle.ts,
        });
      }
    }
    this.history.push(candle);
    const events: PatternEvent[] = [];
    const step = makeStep(index, candle, events);
    const atr = this.atr.update(candle);
    const newSwings = this.swings.update(step, this.history);
    this.structure.update(step, newSwings);
    this.fvg.update(step, this.history);
    this.orderBlocks.update(step, this.history, newSwings);
    this.liquidity.update(step, newSwings, atr);
    this.retracement.update(candle, newSwings);
    for (const tracker of this.previous) tracker.update(step);
    for (const tracker of this.sessions) tracker.update(step);
    if (this.options.candlePatterns) {
      const previous = index > 0 ? this.history.at(index - 1) : undefined;
      const patternsStart = events.length;
      for (const match of detectCandlePatterns(candle, previous)) {
        step.emit({ kind: 'candle-pattern', index, ts: candle.ts, label: match.name, ...(match.direction ? { direction: match.direction } : {}) });
      }
      this.lastPatterns = events.slice(patternsStart);
    }
    return Object.freeze(events);
  }

  state(): PatternState {
    return Object.freeze({
      candles: this.history.size,
      lastSwingHigh: this.swings.lastHigh,
      lastSwingLow: this.swings.lastLow,
      trend: this.structure.trend,
      lastStructureBreak: this.structure.lastBreak,
      activeFvgs: Object.freeze([...this.fvg.activeGaps]),
      activeOrderBlocks: Object.freeze([...this.orderBlocks.activeBlocks]),
      liquidityPools: Object.freeze(this.liquidity.activePools.map((p) => Object.freeze(p))),
      recentSweeps: Object.freeze([...this.liquidity.sweeps]),
      sessions: Object.freeze(this.sessions.map((s) => Object.freeze(s.state))),
      previousRanges: Object.freeze(this.previous.flatMap((p) => (p.previous ? [Object.freeze({ ...p.previous })] : []))),
      retracement: this.retracement.state ? Object.freeze({ ...this.retracement.state }) : undefined,
      candlePatterns: this.lastPatterns,
      atr: this.atr.value,
    });
  }
}
