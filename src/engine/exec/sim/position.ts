/**
 * A simulated position and the trader's management plan: partial take-profits, break-even, ATR trailing, a stop
 * that never widens. Stop changes decided from a bar's high/low take effect on the NEXT bar, because inside one
 * OHLC bar we cannot know whether the extreme came before or after a stop touch (no look-ahead, no optimism).
 */
import type { Candle, Side, Signal } from '../../types.ts';
import type { ExitFill, ExitReason } from '../../backtest/types.ts';
import { feeFor, marketFillPrice, stopTriggerPrice, targetFillPrice, type CostModel } from './fill-model.ts';

export interface PlannedTarget {
  price: number;
  closeFraction: number;
}

export interface SimPosition {
  id: number;
  marketIndex: number;
  signal: Signal;
  side: Side;
  dir: 1 | -1;
  entryTs: number;
  entryBar: number;
  entryStep: number;
  entryPrice: number;
  size: number;
  remaining: number;
  initialStop: number;
  stop: number;
  stopReason: ExitReason;
  riskPerUnit: number;
  /** Loss per unit if stopped at the initial stop, fees and slippage included (1R net); NaN when not risk-sized. */
  netRiskPerUnit: number;
  /** Targets not yet taken, nearest first. */
  targets: PlannedTarget[];
  targetsTaken: number;
  breakEvenAtR: number;
  trailAtrMultiple: number;
  timeStopBars: number;
  atr: number;
  /** Most favourable price seen since entry (high for longs, low for shorts). */
  best: number;
  barsHeld: number;
  entryFee: number;
  exits: ExitFill[];
  costs: CostModel;
  /** Set at a bar's close (time stop, opposite signal); executed at the next open. */
  pendingExit: ExitReason | null;
}

/** Closes `size` units at `price`; returns the cash change (gross P&L of the part minus its fee). */
export function closePart(
  pos: SimPosition,
  price: number,
  size: number,
  feeRate: number,
  reason: ExitReason,
  ts: number,
  bar: number,
): number {
  const qty = Math.min(size, pos.remaining);
  const fee = feeFor(qty * price, feeRate);
  pos.remaining -= qty;
  if (pos.remaining <= pos.size * 1e-12) pos.remaining = 0;
  pos.exits.push({ ts, bar, price, size: qty, fee, reason });
  return pos.dir * qty * (price - pos.entryPrice) - fee;
}

/** Market-type exit of the whole remainder at `reference` (open of a bar, or a triggered stop). */
export function exitAtMarket(pos: SimPosition, reference: number, reason: ExitReason, ts: number, bar: number): number {
  const price = marketFillPrice(reference, pos.dir === 1 ? -1 : 1, false, pos.costs);
  return closePart(pos, price, pos.remaining, pos.costs.takerFee, reason, ts, bar);
}

function takeTargets(pos: SimPosition, candle: Candle, bar: number, gapOnly: boolean): number {
  let cash = 0;
  while (pos.targets.length > 0 && pos.remaining > 0) {
    const target = pos.targets[0];
    const fill = targetFillPrice(target.price, pos.side, candle);
    if (Number.isNaN(fill) || (gapOnly && fill !== candle.open)) break;
    pos.targets.shift();
    pos.targetsTaken++;
    const isLast = pos.targets.length === 0 && pos.trailAtrMultiple <= 0;
    const qty = isLast ? pos.remaining : Math.min(pos.remaining, pos.size * target.closeFraction);
    cash += closePart(pos, fill, qty, pos.costs.makerFee, 'target', candle.ts, bar);
  }
  return cash;
}

function stopOut(pos: SimPosition, candle: Candle, bar: number): number {
  const trigger = stopTriggerPrice(pos.stop, pos.side, candle);
  if (Number.isNaN(trigger) || pos.remaining <= 0) return 0;
  return exitAtMarket(pos, trigger, pos.stopReason, candle.ts, bar);
}

/**
 * Stop and targets inside one candle. A target gapped at the open is certain and taken first; when both the stop
 * and a target are touched later in the bar, `stopFirst` assumes the worse order.
 */
export function runIntrabar(pos: SimPosition, candle: Candle, bar: number, stopFirst: boolean): number {
  let cash = takeTargets(pos, candle, bar, true);
  if (pos.remaining <= 0) return cash;
  if (stopFirst) {
    cash += stopOut(pos, candle, bar);
    if (pos.remaining > 0) cash += takeTargets(pos, candle, bar, false);
  } else {
    cash += takeTargets(pos, candle, bar, false);
    cash += stopOut(pos, candle, bar);
  }
  return cash;
}

/** Tightens the stop; a stop never moves against the position. */
export function tightenStop(pos: SimPosition, candidate: number, reason: ExitReason): void {
  if (!Number.isFinite(candidate)) return;
  const tighter = !Number.isFinite(pos.stop) || (pos.dir === 1 ? candidate > pos.stop : candidate < pos.stop);
  if (tighter) {
    pos.stop = candidate;
    pos.stopReason = reason;
  }
}

/** Stop adjustments decided at the bar's close (effective from the next bar). */
export function endOfBar(pos: SimPosition, candle: Candle): void {
  pos.barsHeld++;
  pos.best = pos.dir === 1 ? Math.max(pos.best, candle.high) : Math.min(pos.best, candle.low);
  const favour = pos.dir * (pos.best - pos.entryPrice);
  if (pos.riskPerUnit > 0 && favour >= pos.breakEvenAtR * pos.riskPerUnit) {
    tightenStop(pos, pos.entryPrice, 'break-even-stop');
  }
  if (pos.targetsTaken > 0 && pos.trailAtrMultiple > 0 && pos.atr > 0) {
    tightenStop(pos, pos.best - pos.dir * pos.trailAtrMultiple * pos.atr, 'trailing-stop');
  }
}
