/**
 * Causal liquidity: pools of equal highs (buy-side, direction "bullish" as the reference's Liquidity=1) or equal
 * lows ("bearish"), and their sweeps. The tolerance is known at the time of each swing: a fraction of price or
 * a multiple of ATR (the reference uses a fraction of the whole sample's range, which needs the future).
 * A swing joins the pool of earlier untaken swings within tolerance; each time a pool gains a swing a new
 * `liquidity-pool` event states it (members, mean level, band). A pool is swept by the first candle trading
 * beyond its extreme member; the sweep's label says whether price closed back inside ("sweep") or not ("run").
 */
import type { Candle } from '../../types.ts';
import type { Direction, PatternEvent, Step } from './events.ts';

export type LiquidityTolerance = { mode: 'fraction'; value: number } | { mode: 'atr'; multiple: number };

export interface LiquidityOptions {
  tolerance: LiquidityTolerance;
  /** Untaken swings remembered per side; older ones are forgotten. */
  maxSwings: number;
  /** Sweeps kept for queries. */
  recentSweeps: number;
}

interface Pool {
  direction: Direction;
  first: PatternEvent;
  levels: number[];
  /** Running sum (left to right, from 0: the same float as summing `levels`), highest and lowest member. */
  sum: number;
  top: number;
  bottom: number;
  last: PatternEvent;
}

export interface LiquidityPoolState {
  direction: Direction;
  index: number;
  ts: number;
  level: number;
  top: number;
  bottom: number;
  count: number;
}

/** A swing not (yet) in a pool, with the tolerance that applied when it was confirmed. */
interface LoneSwing {
  level: number;
  tolerance: number;
  event: PatternEvent;
}

function newPool(direction: Direction, first: PatternEvent, levels: number[], last: PatternEvent): Pool {
  let sum = 0;
  let top = -Infinity;
  let bottom = Infinity;
  for (const level of levels) {
    sum += level;
    top = Math.max(top, level);
    bottom = Math.min(bottom, level);
  }
  return { direction, first, levels, sum, top, bottom, last };
}

function poolLevel(pool: Pool): number {
  return pool.sum / pool.levels.length;
}

export class LiquidityDetector {
  private readonly swings: Record<Direction, LoneSwing[]> = { bullish: [], bearish: [] };
  private readonly pools: Pool[] = [];
  readonly sweeps: PatternEvent[] = [];
  /** Bumped whenever a pool forms, grows or is swept, so a state snapshot is rebuilt only after a change. */
  version = 0;

  constructor(readonly options: LiquidityOptions) {}

  get activePools(): LiquidityPoolState[] {
    return this.pools.map((pool) => ({
      direction: pool.direction,
      index: pool.first.index,
      ts: pool.first.ts,
      level: poolLevel(pool),
      top: pool.top,
      bottom: pool.bottom,
      count: pool.levels.length,
    }));
  }

  update(step: Step, newSwings: readonly PatternEvent[], atr: number): void {
    this.sweep(step, step.candle);
    for (let k = 0; k < newSwings.length; k++) this.addSwing(step, newSwings[k], atr);
  }

  private tolerance(price: number, atr: number): number {
    const t = this.options.tolerance;
    return t.mode === 'fraction' ? price * t.value : Number.isNaN(atr) ? 0 : atr * t.multiple;
  }

  private addSwing(step: Step, swing: PatternEvent, atr: number): void {
    const direction: Direction = swing.kind === 'swing-high' ? 'bullish' : 'bearish';
    const level = swing.level!;
    const tolerance = this.tolerance(level, atr);
    const side = this.swings[direction];
    const pool = this.pools.find((p) => p.direction === direction && Math.abs(poolLevel(p) - level) <= tolerance);
    if (pool) {
      pool.levels.push(level);
      pool.sum += level;
      pool.top = Math.max(pool.top, level);
      pool.bottom = Math.min(pool.bottom, level);
      pool.last = swing;
      this.version++;
      this.emitPool(step, pool);
    } else {
      // The nearest earlier lone swing within tolerance (newest first).
      let at = side.length - 1;
      while (at >= 0 && !(Math.abs(side[at].level - level) <= tolerance)) at--;
      if (at >= 0) {
        const partner = side[at];
        const created = newPool(direction, partner.event, [partner.level, level], swing);
        this.pools.push(created);
        if (this.pools.length > this.options.maxSwings) this.pools.shift();
        side.splice(at, 1);
        this.version++;
        this.emitPool(step, created);
        return;
      }
      side.push({ level, tolerance, event: swing });
      if (side.length > this.options.maxSwings) side.shift();
    }
  }

  private emitPool(step: Step, pool: Pool): void {
    step.emit({
      kind: 'liquidity-pool',
      direction: pool.direction,
      index: pool.first.index,
      ts: pool.first.ts,
      level: poolLevel(pool),
      top: pool.top,
      bottom: pool.bottom,
      count: pool.levels.length,
      ref: { index: pool.last.index, ts: pool.last.ts },
    });
  }

  private sweep(step: Step, c: Candle): void {
    // A single swing that price has traded clearly beyond (more than the tolerance) can no longer form equal
    // highs/lows with a later one; a poke within the tolerance may itself become the matching swing.
    const highs = this.swings.bullish;
    let keptHighs = 0;
    for (let i = 0; i < highs.length; i++) if (!(c.high > highs[i].level + highs[i].tolerance)) highs[keptHighs++] = highs[i];
    highs.length = keptHighs;
    const lows = this.swings.bearish;
    let keptLows = 0;
    for (let i = 0; i < lows.length; i++) if (!(c.low < lows[i].level - lows[i].tolerance)) lows[keptLows++] = lows[i];
    lows.length = keptLows;
    const pools = this.pools;
    let kept = 0;
    for (let i = 0; i < pools.length; i++) {
      const pool = pools[i];
      const extreme = pool.direction === 'bullish' ? pool.top : pool.bottom;
      const taken = pool.direction === 'bullish' ? c.high > extreme : c.low < extreme;
      if (!taken) {
        pools[kept++] = pool;
        continue;
      }
      const closedBack = pool.direction === 'bullish' ? c.close < extreme : c.close > extreme;
      const event = step.emit({
        kind: 'liquidity-sweep',
        direction: pool.direction,
        index: pool.first.index,
        ts: pool.first.ts,
        level: extreme,
        label: closedBack ? 'sweep' : 'run',
        count: pool.levels.length,
      });
      this.sweeps.push(event);
      if (this.sweeps.length > this.options.recentSweeps) this.sweeps.shift();
    }
    if (kept < pools.length) {
      pools.length = kept;
      this.version++;
    }
  }
}
