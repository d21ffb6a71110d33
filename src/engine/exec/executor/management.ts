/**
 * Position management in paper and live, with the backtester's own rules (src/engine/exec/sim/position.ts):
 * take-profit legs sized from the signal's targets (or the default plan), break-even after +0.6R, the rest trailed
 * at 1.8 × ATR once the first target is taken, a stop that never widens, an optional time stop. The broker holds
 * the legs and the exchange-side stop; at each closed candle the executor runs the same endOfBar() the backtest
 * runs and moves the broker's stop when it tightened, so paper, live and backtest manage a trade alike.
 */
import type { Candle, Side } from '../../types.ts';
import { direction } from '../sim/fill-model.ts';
import { endOfBar, type SimPosition } from '../sim/position.ts';
import type { ExitReason } from '../../backtest/types.ts';
import { DEFAULT_MANAGEMENT } from '../../backtest/settings.ts';
import { floorToStep } from '../../trading/lots.ts';
import type { TakeProfitLeg } from '../broker.ts';
import type { ManagedPositionRow } from './store.ts';
import type { ApprovableSignal, ManagementPlan } from './types.ts';

export const DEFAULT_PLAN: ManagementPlan = {
  defaultTargets: DEFAULT_MANAGEMENT.defaultTargets,
  breakEvenAtR: DEFAULT_MANAGEMENT.breakEvenAtR,
  trailAtrMultiple: DEFAULT_MANAGEMENT.trailAtrMultiple,
  timeStopBars: DEFAULT_MANAGEMENT.timeStopBars,
};

function contextNumber(signal: ApprovableSignal, key: string, fallback: number): number {
  const value = signal.context?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Per-signal overrides travel in signal.context, exactly as the backtester reads them (backtest/settings planFor). */
export function planOf(signal: ApprovableSignal, plan: ManagementPlan, fallbackAtr: number) {
  return {
    atr: contextNumber(signal, 'atr', fallbackAtr),
    breakEvenAtR: contextNumber(signal, 'breakEvenAtR', plan.breakEvenAtR),
    trailAtrMultiple: contextNumber(signal, 'trailAtrMultiple', plan.trailAtrMultiple),
    timeStopBars: contextNumber(signal, 'timeStopBars', plan.timeStopBars),
  };
}

/**
 * Take-profit legs for `units`: the signal's targets (or the default plan from `entry`), nearest first, each closing
 * its fraction of the whole position. Like the simulator, the last target closes the rest when nothing trails or when
 * the targets' fractions add up to the whole.
 */
export function takeProfitLegs(signal: ApprovableSignal, entry: number, units: number, step: number, plan: ManagementPlan, trailAtr: number): TakeProfitLeg[] {
  const dir = direction(signal.side);
  const risk = Math.abs(entry - signal.stop);
  let targets = signal.targets.map((t) => ({ price: t.price, closeFraction: t.closeFraction }));
  if (targets.length === 0 && risk > 0) targets = plan.defaultTargets.map((t) => ({ price: entry + dir * t.r * risk, closeFraction: t.closeFraction }));
  targets = targets.filter((t) => dir * (t.price - entry) > 0).sort((a, b) => dir * (a.price - b.price));
  const legs: TakeProfitLeg[] = [];
  let left = units;
  let fraction = 0;
  targets.forEach((t, i) => {
    fraction += t.closeFraction;
    // Targets whose fractions add up to the whole close the whole, as in the simulator (which never rounds a partial
    // exit): without this, rounding each leg down to the lot step leaves a dust remainder below the market minimum.
    const last = i === targets.length - 1 && (trailAtr <= 0 || fraction >= 1 - 1e-9);
    // Whole lot steps rebuilt from their count (trading/lots.ts): k × step in floating point can land a hair above
    // the true multiple, and a guard against that would drop a whole step (0.03547 − 0.00886 → 0.0266).
    const amount = floorToStep(Math.min(left, last ? left : units * t.closeFraction), step);
    if (amount > 0) {
      legs.push({ price: t.price, amount });
      left = floorToStep(left - amount, step);
    }
  });
  return legs;
}

export interface ManagementStep {
  /** New stop when the rules tightened it this bar. */
  newStop?: { price: number; reason: ExitReason };
  timeStop: boolean;
  row: ManagedPositionRow;
}

/** One closed candle of an open position: the simulator's endOfBar over the stored management state. */
export function manageBar(row: ManagedPositionRow, brokerStop: number, candle: Candle): ManagementStep {
  const side = row.side as Side;
  // endOfBar reads and writes only these fields of a SimPosition.
  const sim = {
    dir: direction(side),
    side,
    entryPrice: row.entry_price,
    riskPerUnit: row.risk_per_unit,
    best: row.best,
    barsHeld: row.bars_held,
    breakEvenAtR: row.break_even_at_r,
    trailAtrMultiple: row.trail_atr,
    atr: row.atr,
    targetsTaken: row.targets_taken,
    stop: brokerStop,
    stopReason: 'stop' as ExitReason,
  };
  endOfBar(sim as unknown as SimPosition, candle);
  const next: ManagedPositionRow = { ...row, best: sim.best, bars_held: sim.barsHeld, last_bar_ts: candle.ts, stop: sim.stop };
  return {
    row: next,
    newStop: sim.stop !== brokerStop ? { price: sim.stop, reason: sim.stopReason } : undefined,
    timeStop: row.time_stop_bars > 0 && sim.barsHeld >= row.time_stop_bars,
  };
}
