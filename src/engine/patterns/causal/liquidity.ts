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

function poolLevel(pool: Pool): number {
  return pool.levels.reduce((a, b) => a + b, 0) / pool.levels.length;
}

export class LiquidityDetector {
  private swings: Record<Direction, LoneSwing[]> = { bullish: [], bearish: [] };
  private pools: Pool[] = [];
  readonly sweeps: PatternEvent[] = [];

  constructor(readonly options: LiquidityOptions) {}

  get activePools(): LiquidityPoolState[] {
    return this.pools.map((pool) => ({
      direction: pool.direction,
      index: pool.first.index,
      ts: pool.first.ts,
      level: poolLevel(pool),
      top: Math.max(...pool.levels),
      bottom: Math.min(...pool.levels),
      count: pool.levels.length,
    }));
  }

  update(step: Step, newSwings: readonly PatternEvent[], atr: number): void {
    this.sweep(step, step.candle);
    for (const swing of newSwings) this.addSwing(step, swing, atr);
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
      pool.last = swing;
      this.emitPool(step, pool);
    } else {
      const partner = [...side].reverse().find((s) => Math.abs(s.level - level) <= tolerance);
      if (partner) {
        const created: Pool = { direction, first: partner.event, levels: [partner.level, level], last: swing };
        this.pools.push(created);
        if (this.pools.length > this.options.maxSwings) this.pools.shift();
        side.splice(side.indexOf(partner), 1);
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
      top: Math.max(...pool.levels),
      bottom: Math.min(...pool.levels),
      count: pool.levels.length,
      ref: { index: pool.last.index, ts: pool.last.ts },
    });
  }

  private sweep(step: Step, c: Candle): void {
    // A single swing that price has traded clearly beyond (more than the tolerance) can no longer form equal
    // highs/lows with a later one; a poke within the tolerance may itself become the matching swing.
    this.swings.bullish = this.swings.bullish.filter((s) => !(c.high > s.level + s.tolerance));
    this.swings.bearish = this.swings.bearish.filter((s) => !(c.low < s.level - s.tolerance));
    this.pools = this.pools.filter((pool) => {
      const extreme = pool.direction === 'bullish' ? Math.max(...pool.levels) : Math.min(...pool.levels);
      const taken = pool.direction === 'bullish' ? c.high > extreme : c.low < extreme;
      if (!taken) return true;
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
      return false;
    });
  }
}
