/**
 * The outcome of one signal as a triple barrier — stop, targets, time limit — over the candles after it, with the
 * backtest simulator's own fill rules and position mechanics (exec/sim/fill-model.ts, exec/sim/position.ts: reused,
 * not re-implemented). Pure: the same signal and candles give the same outcome, so a signal the trader rejected or
 * that was never pushed gets the outcome it WOULD have had (marked counterfactual), comparable with the taken ones.
 *
 * Timing, as in the backtester: the signal is known at its candle's close; a market entry fills at the next open
 * (taker fee, adverse slippage), skipped if that open is already beyond the stop; a limit entry rests until
 * validUntil and fills at its price (maker fee) or at a better gap open, and on its fill candle only the stop is
 * checked unless it filled at the open. Stop and target touched in one candle: the stop first (pessimistic) unless
 * `intrabar: 'target-first'`. The time barrier: after `horizonBars` candles in the trade, exit at the next open.
 *
 * R: one R is the net risk per unit at the actual fill: |fill − stop| plus the entry cost and the cost of a stop
 * exit (signals/costs.ts's definition), so a clean stop-out is −1 R and every R is net of costs.
 */
import type { Candle, CostModel, Signal } from '../types.ts';
import type { ExitReason } from '../backtest/types.ts';
import { DEFAULT_COST_MODEL } from '../signals/costs.ts';
import { direction, limitFillPrice, marketFillPrice, NO_COSTS, type CostModel as SimCostModel } from '../exec/sim/fill-model.ts';
import { endOfBar, exitAtMarket, runIntrabar, type PlannedTarget, type SimPosition } from '../exec/sim/position.ts';

export interface OutcomeOptions {
  costs?: CostModel;
  /** Time barrier in candles held; default 48. */
  horizonBars?: number;
  intrabar?: 'stop-first' | 'target-first';
  /** Optional management on top of the barriers (the setup's break_even_r / trail_atr); off by default. */
  breakEvenAtR?: number;
  trailAtrMultiple?: number;
  /** True when the trader took the trade; otherwise the outcome is counterfactual. Default false. */
  taken?: boolean;
}

export type OutcomeStatus = 'closed' | 'open' | 'not-filled';
export type Barrier = 'stop' | 'target' | 'time';

export interface SignalOutcome {
  signalId: string;
  setupId: string;
  setupVersion: string;
  side: Signal['side'];
  /** closed: a barrier decided it; open: the candles so far do not (yet); not-filled: it never became a trade. */
  status: OutcomeStatus;
  /** Why it never became a trade (not-filled). */
  reason?: string;
  counterfactual: boolean;
  entryTs?: number;
  entryPrice?: number;
  exitTs?: number;
  /** The barrier that ended it (the last exit's kind; break-even and trailing stops count as stop). */
  barrier?: Barrier;
  exitReason?: ExitReason;
  /** Net of fees and slippage, in net R (see above). NaN while open or not filled. */
  netR: number;
  /** Before costs, in units of |fill − stop|. */
  grossR: number;
  /** Net P&L of one unit of the base asset, in quote currency (the backtester's pnl / size). */
  pnlPerUnit: number;
  barsHeld: number;
  /** Open time of the last candle the outcome depends on: samples whose windows overlap share information. */
  windowEndTs: number;
  /** The assumptions, for the report. */
  assumptions: { costs: CostModel; horizonBars: number; intrabar: 'stop-first' | 'target-first' };
}

/** Converts the account's CostModel to the simulator's (fraction slippage, no separate spread). */
export function simCosts(model: CostModel): SimCostModel {
  return { ...NO_COSTS, slippageFraction: model.slippage, makerFee: model.makerFee, takerFee: model.takerFee };
}

/**
 * `candles` are the signal's market candles; only those opening after the signal candle are used. Pass as many as
 * are known: the outcome is `open` until a barrier decides it.
 */
export function signalOutcome(signal: Signal, candles: readonly Candle[], options: OutcomeOptions = {}): SignalOutcome {
  const costs = options.costs ?? DEFAULT_COST_MODEL;
  const horizon = options.horizonBars ?? 48;
  const intrabar = options.intrabar ?? 'stop-first';
  const stopFirst = intrabar === 'stop-first';
  const sim = simCosts(costs);
  const dir = direction(signal.side);
  const base = {
    signalId: signal.id,
    setupId: signal.setupId,
    setupVersion: signal.setupVersion,
    side: signal.side,
    counterfactual: !options.taken,
    netR: NaN,
    grossR: NaN,
    pnlPerUnit: NaN,
    barsHeld: 0,
    assumptions: { costs, horizonBars: horizon, intrabar },
  };
  let i = firstAfter(candles, signal.ts);
  if (!Number.isFinite(signal.stop) || dir * (signal.entry - signal.stop) <= 0) {
    return { ...base, status: 'not-filled', reason: 'no stop on the loss side of the entry', windowEndTs: signal.ts };
  }

  let pos: SimPosition | undefined;
  for (; i < candles.length && !pos; i++) {
    const c = candles[i];
    if (signal.entryType === 'market') {
      const price = marketFillPrice(c.open, dir, true, sim);
      if (dir * (price - signal.stop) <= 0) return { ...base, status: 'not-filled', reason: 'the next open was already beyond the stop', windowEndTs: c.ts };
      pos = openPosition(signal, price, costs.takerFee, c, i, sim, options);
      runIntrabar(pos, c, i, stopFirst);
    } else {
      if (Number.isFinite(signal.validUntil) && c.ts > signal.validUntil) {
        return { ...base, status: 'not-filled', reason: 'the limit was not reached before the signal expired', windowEndTs: c.ts };
      }
      const fill = limitFillPrice(signal.entry, dir, c);
      if (Number.isNaN(fill)) continue;
      if (dir * (fill - signal.stop) <= 0) return { ...base, status: 'not-filled', reason: 'the candle gapped through the stop at the fill', windowEndTs: c.ts };
      pos = openPosition(signal, fill, costs.makerFee, c, i, sim, options);
      // Filled inside the candle: the targets may have traded before the fill, so only the stop counts on this bar.
      const targets = pos.targets;
      if (fill !== c.open) pos.targets = [];
      runIntrabar(pos, c, i, stopFirst);
      if (fill !== c.open) pos.targets = targets;
    }
    if (pos.remaining > 0) manageEndOfBar(pos, c, horizon);
  }
  if (!pos) {
    const last = candles[candles.length - 1];
    return { ...base, status: 'open', windowEndTs: last && last.ts > signal.ts ? last.ts : signal.ts };
  }
  let lastTs = pos.entryTs;
  for (; i < candles.length && pos.remaining > 0; i++) {
    const c = candles[i];
    lastTs = c.ts;
    if (pos.pendingExit !== null) {
      exitAtMarket(pos, c.open, pos.pendingExit, c.ts, i);
      break;
    }
    runIntrabar(pos, c, i, stopFirst);
    if (pos.remaining > 0) manageEndOfBar(pos, c, horizon);
  }
  return summarize(base, pos, lastTs, sim);
}

function firstAfter(candles: readonly Candle[], ts: number): number {
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (candles[mid].ts <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function openPosition(signal: Signal, price: number, feeRate: number, c: Candle, bar: number, costs: SimCostModel, o: OutcomeOptions): SimPosition {
  const dir = direction(signal.side);
  const targets: PlannedTarget[] = signal.targets
    .map((t) => ({ price: t.price, closeFraction: t.closeFraction }))
    .filter((t) => dir * (t.price - price) > 0)
    .sort((a, b) => dir * (a.price - b.price));
  const atr = typeof signal.context.atr === 'number' ? signal.context.atr : NaN;
  return {
    id: 0,
    marketIndex: 0,
    signal,
    side: signal.side,
    dir,
    entryTs: c.ts,
    entryBar: bar,
    entryStep: bar,
    entryPrice: price,
    size: 1,
    remaining: 1,
    initialStop: signal.stop,
    stop: signal.stop,
    stopReason: 'stop',
    riskPerUnit: Math.abs(price - signal.stop),
    // The outcome measures its own net R (summarize); the simulator's net-risk field is for sized backtest trades.
    netRiskPerUnit: NaN,
    targets,
    targetsTaken: 0,
    breakEvenAtR: o.breakEvenAtR ?? Infinity,
    trailAtrMultiple: o.trailAtrMultiple ?? 0,
    timeStopBars: 0,
    atr,
    best: price,
    barsHeld: 0,
    entryFee: price * feeRate,
    exits: [],
    costs,
    pendingExit: null,
  };
}

function manageEndOfBar(pos: SimPosition, c: Candle, horizon: number): void {
  endOfBar(pos, c);
  if (pos.barsHeld >= horizon && pos.pendingExit === null) pos.pendingExit = 'time-stop';
}

type Base = Omit<SignalOutcome, 'status' | 'windowEndTs'>;

function summarize(base: Base, pos: SimPosition, lastTs: number, sim: SimCostModel): SignalOutcome {
  const fees = pos.entryFee + pos.exits.reduce((s, e) => s + e.fee, 0);
  const gross = pos.exits.reduce((s, e) => s + pos.dir * e.size * (e.price - pos.entryPrice), 0);
  const stopFill = marketFillPrice(pos.initialStop, pos.dir === 1 ? -1 : 1, false, sim);
  const netRisk = Math.abs(pos.entryPrice - pos.initialStop) + pos.entryFee + Math.abs(stopFill - pos.initialStop) + stopFill * sim.takerFee;
  const closed = pos.remaining <= 0;
  const last = pos.exits[pos.exits.length - 1];
  const common = { ...base, entryTs: pos.entryTs, entryPrice: pos.entryPrice, barsHeld: pos.barsHeld };
  if (!closed) return { ...common, status: 'open', windowEndTs: lastTs };
  return {
    ...common,
    status: 'closed',
    exitTs: last.ts,
    exitReason: last.reason,
    barrier: last.reason === 'target' ? 'target' : last.reason === 'time-stop' ? 'time' : 'stop',
    netR: (gross - fees) / netRisk,
    grossR: gross / pos.riskPerUnit,
    pnlPerUnit: gross - fees,
    windowEndTs: last.ts,
  };
}
