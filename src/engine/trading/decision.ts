/**
 * The decision rules after a signal, written once. The trading session (backtest, /backtest, walk-forward, the
 * optimizer, `ita replay`) and the executor (paper, live) both call these functions, so a signal is taken, refused
 * and sized by the same rules in every mode; only the moment differs (the session decides at the signal's close and
 * fills at the next open, the executor decides when the trader approves and fills at the venue's price).
 *
 * Pure: no I/O, no clock. Order of the rules (the first that refuses is the one reported):
 *   invalid signal → opposite-signal exit (an exit needs no score and works on spot) → signal policy (account side,
 *   minimum score, cost in R at the account's fees and slippage) → opposite position held (mode `ignore`) → one
 *   position per market (open, or an entry pending) → [decision source, risk governor: callers] → at the fill:
 *   price already beyond the stop → net-1R sizing (lot step floor, market minimums).
 */
import type { Side, Signal } from '../types.ts';
import type { CostModel as FillCosts } from '../exec/sim/fill-model.ts';
import { marketFillPrice } from '../exec/sim/fill-model.ts';
import { applySignalPolicy, type SignalPolicy } from '../signals/policy.ts';
import { signalCosts } from '../signals/costs.ts';
import type { CostModel, Timeframe } from '../types.ts';
import type { ManagementOptions } from '../backtest/types.ts';
import type { InstrumentSpec } from '../exec/executor/market-stats.ts';
import { floorToStep } from './lots.ts';

export type OppositeSignalMode = ManagementOptions['oppositeSignal'];

export interface Refusal {
  rule: string;
  /** Absent for the session's historical size refusals ('no free margin', 'size rounds to 0 units'). */
  reason?: string;
}

/** What a signal's market holds right now, as the rules need it (positions already exiting are not counted). */
export interface MarketBook {
  /** An open position on the other side. */
  opposite: boolean;
  /** An open position on the signal's side. */
  sameSide: boolean;
  /** An entry order waiting to fill on this market. */
  pendingEntry: boolean;
}

export interface SignalRules {
  policy: SignalPolicy;
  oppositeSignal: OppositeSignalMode;
  /** Several positions per market (research); off in every trading mode. */
  pyramiding: boolean;
  /** Risk sizing needs a stop to measure 1R. */
  riskSizing: boolean;
  /** The account's costs, for a signal that does not carry its own (null: only costs the signal carries are judged). */
  costs: CostModel | null;
}

export interface SignalDecision {
  /** Exit the opposite position(s) of this market (decided even when the signal itself is refused). */
  exitOpposite: boolean;
  refusal: Refusal | null;
}

export const BEYOND_STOP = 'beyond-stop';

/** A signal that cannot be traded as given. */
export function invalidSignal(sig: Pick<Signal, 'side' | 'entryType' | 'entry' | 'stop'>, riskSizing: boolean): Refusal | null {
  const hasStop = Number.isFinite(sig.stop);
  if (!Number.isFinite(sig.entry) && sig.entryType === 'limit') return { rule: 'invalid', reason: 'limit entry without a price' };
  if (hasStop && sig.entryType === 'limit' && dirOf(sig.side) * (sig.entry - sig.stop) <= 0) return { rule: 'invalid', reason: 'stop on the wrong side of entry' };
  if (!hasStop && riskSizing) return { rule: 'invalid', reason: 'risk sizing needs a stop' };
  return null;
}

/**
 * Every position-independent and position-dependent rule before the decision source and the governor. Sets
 * `sig.costs` at the account's model when the signal has none and `rules.costs` is given (so the cost is judged).
 */
export type DecidableSignal = Pick<Signal, 'side' | 'entryType' | 'entry' | 'stop' | 'targets' | 'score' | 'costs'>;

export function decideSignal(sig: DecidableSignal, book: MarketBook, rules: SignalRules): SignalDecision {
  const invalid = invalidSignal(sig, rules.riskSizing);
  if (invalid) return { exitOpposite: false, refusal: invalid };
  const mode = rules.oppositeSignal;
  // Position rule first: an exit adds no risk, so it needs no score and holds on a spot account too.
  const exitOpposite = book.opposite && mode !== 'ignore';
  if (exitOpposite && mode === 'exit') return { exitOpposite, refusal: { rule: 'opposite-exit', reason: 'used to exit the opposite position (oppositeSignal=exit)' } };
  if (rules.costs && sig.costs === undefined && Number.isFinite(sig.stop)) sig.costs = signalCosts(sig, rules.costs);
  const policy = applySignalPolicy(sig, rules.policy);
  if (!policy.pass) return { exitOpposite, refusal: { rule: policy.rule, reason: policy.reason } };
  if (book.opposite && mode === 'ignore') return { exitOpposite, refusal: { rule: 'opposite-position', reason: 'an opposite position is open (oppositeSignal=ignore)' } };
  if (!rules.pyramiding) {
    if (book.sameSide) return { exitOpposite, refusal: { rule: 'one-position', reason: 'already in a position on this market' } };
    if (book.pendingEntry) return { exitOpposite, refusal: { rule: 'one-position', reason: 'an entry order is already pending on this market' } };
  }
  return { exitOpposite, refusal: null };
}

/** A limit rests from the next candle until validUntil exactly: a candle opening AT validUntil is already too late. */
export function validityEnded(validUntil: number, ts: number): boolean {
  return Number.isFinite(validUntil) && validUntil > 0 && ts >= validUntil;
}

/** The price is at or beyond the stop: an entry there would be stopped at once (or rest without protection). */
export function beyondStop(side: Side, price: number, stop: number): boolean {
  return Number.isFinite(stop) && dirOf(side) * (price - stop) <= 0;
}

export function beyondStopRefusal(price: number, stop: number, at: 'now' | 'at the fill'): Refusal {
  return { rule: BEYOND_STOP, reason: `the price ${num(price)} is already beyond the stop ${num(stop)} ${at}` };
}

/**
 * 1R net: what a stop-out at the initial stop costs per unit, both fees and the stop's slippage included, so a
 * stopped trade loses about 1R after costs. NaN without a stop.
 */
export function netRiskPerUnit(side: Side, fillPrice: number, stop: number, entryFeeRate: number, costs: FillCosts): number {
  if (!Number.isFinite(stop)) return NaN;
  const dir = dirOf(side);
  const stopFill = marketFillPrice(stop, dir === 1 ? -1 : 1, false, costs);
  return dir * (fillPrice - stopFill) + fillPrice * entryFeeRate + stopFill * costs.takerFee;
}

export type SizeResult = { units: number; refusal: null } | { units: 0; refusal: Refusal };

/**
 * The last step of sizing, shared: `units` from the sizing rule (Infinity when only the governor sizes), capped by
 * the governor's `maxUnits` — which it sized on the GROSS distance, so scaled to the net risk it stays within every
 * cap —, floored to the lot step in whole steps and refused below the market minimums.
 */
export function fitUnits(
  units: number, maxUnits: number, fillPrice: number, stop: number, netRisk: number, spec: InstrumentSpec | null, freeMargin = Infinity,
): SizeResult {
  if (maxUnits < Infinity) {
    const gross = Math.abs(fillPrice - stop);
    units = Math.min(units, netRisk > 0 ? (maxUnits * gross) / netRisk : maxUnits);
  }
  if (spec) units = floorToStep(units, spec.amountStep);
  if (!(units > 0)) return { units: 0, refusal: { rule: freeMargin <= 0 ? 'no free margin' : 'size rounds to 0 units' } };
  if (spec && (units < spec.minAmount || units * fillPrice < spec.minNotional)) {
    return {
      units: 0,
      refusal: {
        rule: 'min-size',
        reason: `size ${units} units (notional ${(units * fillPrice).toFixed(2)}) is below the market minimum (amount ${spec.minAmount}, notional ${spec.minNotional})`,
      },
    };
  }
  return { units, refusal: null };
}

/** The session's market: one position per (symbol, timeframe). The executor keys its books the same way. */
export function sameMarket(a: { symbol: string; timeframe: Timeframe | string }, b: { symbol: string; timeframe: Timeframe | string }): boolean {
  return a.symbol === b.symbol && a.timeframe === b.timeframe;
}

function dirOf(side: Side): 1 | -1 {
  return side === 'long' ? 1 : -1;
}

function num(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(7)).toString() : String(x);
}
