/**
 * Portfolio state of one backtest: cash, open positions per market, pending orders, the equity curve, closed
 * trades and refused signals. Cash follows a margin model (leverage 1): opening a position pays only its fee;
 * equity = cash + open positions marked to the latest price, which is what backtesting.py reports too.
 */
import { marketColumns, marketLength } from './market-columns.ts';
import type { Signal } from '../types.ts';
import { direction } from '../exec/sim/fill-model.ts';
import { exitAtMarket, type PlannedTarget, type SimPosition } from '../exec/sim/position.ts';
import { costsFor, planFor, type ResolvedSettings } from './settings.ts';
import type { BacktestOptions, EquityCurve, SkippedSignal, TradeRecord } from './types.ts';

/** An approved entry waiting for its fill, with what the governor allowed when it was decided. */
export interface PendingEntry {
  signal: Signal;
  /** The governor's size (units at the decision's reference price); Infinity without a governor. */
  maxUnits: number;
  /** Risk per trade as a fraction of equity (the governor's effective risk, or the sizing setting). */
  riskFraction: number;
}

export interface MarketBook {
  positions: SimPosition[];
  /** Market entries decided at the last close, filled at the next open. */
  marketEntries: PendingEntry[];
  /** Limit entries resting until filled or expired. */
  limits: PendingEntry[];
}

export class Portfolio {
  cash: number;
  readonly books: MarketBook[];
  readonly lastClose: Float64Array;
  /** When each market's lastClose became known (close time); until then decisions see `lastOpen` instead. */
  readonly closeKnownAt: Float64Array;
  readonly lastOpen: Float64Array;
  readonly closed: TradeRecord[] = [];
  readonly skipped: SkippedSignal[] = [];
  openSnapshots: TradeRecord[] = [];
  stepCount = 0;
  private readonly open: SimPosition[] = [];
  private readonly ts: Float64Array;
  private readonly sharedTs: boolean;
  private readonly eq: Float64Array;
  private nextId = 1;
  private ended = false;

  constructor(
    private readonly opts: BacktestOptions,
    private readonly s: ResolvedSettings,
  ) {
    this.cash = opts.initialCash;
    this.books = opts.markets.map(() => ({ positions: [], marketEntries: [], limits: [] }));
    this.lastClose = new Float64Array(opts.markets.length).fill(NaN);
    this.closeKnownAt = new Float64Array(opts.markets.length);
    this.lastOpen = new Float64Array(opts.markets.length).fill(NaN);
    const capacity = opts.markets.reduce((sum, m) => sum + marketLength(m), 0);
    // One market: step i is its candle i, so the curve's times are the candles' own (8 bytes a candle not copied).
    this.sharedTs = opts.markets.length === 1;
    this.ts = this.sharedTs ? marketColumns(opts.markets[0]).ts : new Float64Array(capacity);
    this.eq = new Float64Array(capacity);
  }

  /** Called with every trade as it closes (governor bookkeeping, journaling). */
  onClosed: ((trade: TradeRecord) => void) | null = null;
  onSkipped: ((sig: Signal, rule: string, reason: string) => void) | null = null;

  skip(sig: Signal, rule: string, reason?: string): void {
    this.skipped.push({ signalId: sig.id, setupId: sig.setupId, symbol: sig.symbol, ts: sig.ts, rule, reason });
    this.onSkipped?.(sig, rule, reason ?? rule);
  }

  openPositions(): readonly SimPosition[] {
    return this.open;
  }

  /** Price of market m as known at `now` (no `now`: the latest close, for the equity curve). */
  mark(m: number, now: number): number {
    return this.closeKnownAt[m] <= now ? this.lastClose[m] : this.lastOpen[m];
  }

  /** Equity as known at `now`: a candle of another timeframe that has not closed yet is marked at its open. */
  equityNow(now = Infinity): number {
    let equity = this.cash;
    for (let i = 0; i < this.open.length; i++) {
      const p = this.open[i];
      equity += p.dir * p.remaining * (this.mark(p.marketIndex, now) - p.entryPrice);
    }
    return equity;
  }

  marginUsed(now = Infinity): number {
    let used = 0;
    for (const p of this.open) used += p.remaining * this.mark(p.marketIndex, now);
    return used;
  }

  markEquity(ts: number): void {
    if (!this.sharedTs) this.ts[this.stepCount] = ts;
    this.eq[this.stepCount] = this.open.length === 0 ? this.cash : this.equityNow();
    this.stepCount++;
  }

  equityCurve(): EquityCurve {
    // After the end nothing writes the curve again: the report can share its memory instead of copying it.
    if (this.ended) return { ts: this.ts.subarray(0, this.stepCount), equity: this.eq.subarray(0, this.stepCount) };
    return { ts: this.ts.slice(0, this.stepCount), equity: this.eq.slice(0, this.stepCount) };
  }

  openPosition(m: number, sig: Signal, price: number, units: number, feeRate: number, bar: number, step: number, ts: number, netRiskPerUnit = NaN): SimPosition {
    const plan = planFor(sig, this.s);
    const dir = direction(sig.side);
    const risk = Number.isFinite(sig.stop) ? Math.abs(price - sig.stop) : NaN;
    let targets: PlannedTarget[] = sig.targets.map((t) => ({ price: t.price, closeFraction: t.closeFraction }));
    if (targets.length === 0 && risk > 0) {
      targets = this.s.management.defaultTargets.map((t) => ({ price: price + dir * t.r * risk, closeFraction: t.closeFraction }));
    }
    targets = targets.filter((t) => dir * (t.price - price) > 0).sort((a, b) => dir * (a.price - b.price));
    const entryFee = units * price * feeRate;
    this.cash -= entryFee;
    const pos: SimPosition = {
      id: this.nextId++,
      marketIndex: m,
      signal: sig,
      side: sig.side,
      dir,
      entryTs: ts,
      entryBar: bar,
      entryStep: step,
      entryPrice: price,
      size: units,
      remaining: units,
      initialStop: sig.stop,
      stop: sig.stop,
      stopReason: 'stop',
      riskPerUnit: risk,
      netRiskPerUnit,
      targets,
      targetsTaken: 0,
      breakEvenAtR: plan.breakEvenAtR,
      trailAtrMultiple: plan.trailAtrMultiple,
      timeStopBars: plan.timeStopBars,
      atr: plan.atr,
      best: price,
      barsHeld: 0,
      entryFee,
      exits: [],
      costs: costsFor(plan.atr, this.s),
      pendingExit: null,
    };
    this.books[m].positions.push(pos);
    this.open.push(pos);
    return pos;
  }

  /** Moves a fully closed position into the trade list. */
  settle(pos: SimPosition, step: number): void {
    if (pos.remaining > 0) return;
    const book = this.books[pos.marketIndex].positions;
    book.splice(book.indexOf(pos), 1);
    this.open.splice(this.open.indexOf(pos), 1);
    const trade = this.toRecord(pos, step, NaN);
    this.closed.push(trade);
    this.onClosed?.(trade);
  }

  private toRecord(pos: SimPosition, exitStep: number, markPrice: number): TradeRecord {
    let exitValue = 0;
    let exitSize = 0;
    let fees = pos.entryFee;
    let gross = 0;
    for (const e of pos.exits) {
      exitValue += e.price * e.size;
      exitSize += e.size;
      fees += e.fee;
      gross += pos.dir * e.size * (e.price - pos.entryPrice);
    }
    if (pos.remaining > 0) {
      exitValue += markPrice * pos.remaining;
      exitSize += pos.remaining;
      gross += pos.dir * pos.remaining * (markPrice - pos.entryPrice);
    }
    const pnl = gross - fees;
    const last = pos.exits[pos.exits.length - 1];
    const market = this.opts.markets[pos.marketIndex];
    const columns = marketColumns(market);
    const lastBar = columns.length - 1;
    return {
      id: pos.id,
      marketIndex: pos.marketIndex,
      symbol: market.key.symbol,
      setupId: pos.signal.setupId,
      setupVersion: pos.signal.setupVersion,
      signalId: pos.signal.id,
      side: pos.side,
      size: pos.size,
      entryTs: pos.entryTs,
      entryBar: pos.entryBar,
      entryStep: pos.entryStep,
      entryPrice: pos.entryPrice,
      exitTs: last && pos.remaining <= 0 ? last.ts : columns.ts[lastBar],
      exitBar: last && pos.remaining <= 0 ? last.bar : lastBar,
      exitStep,
      exitPrice: exitValue / exitSize,
      exits: pos.exits,
      initialStop: pos.initialStop,
      fees,
      pnl,
      returnPct: pnl / (pos.size * pos.entryPrice),
      rMultiple: pos.netRiskPerUnit > 0 ? pnl / (pos.size * pos.netRiskPerUnit) : pos.riskPerUnit > 0 ? pnl / (pos.size * pos.riskPerUnit) : NaN,
      exitReason: last?.reason ?? 'end-of-data',
    };
  }

  /** End of data: close (or snapshot) what is still open and drop orders that never got a candle. */
  finish(): void {
    this.ended = true;
    const lastStep = this.stepCount - 1;
    for (const book of this.books) {
      for (const p of [...book.marketEntries, ...book.limits]) this.skip(p.signal, 'no candle left to fill');
      book.marketEntries = [];
      book.limits = [];
    }
    if (this.s.finalize === 'leave-open') {
      this.openSnapshots = this.open.map((p) => this.toRecord(p, lastStep, this.lastClose[p.marketIndex]));
      return;
    }
    for (const pos of [...this.open]) {
      const c = marketColumns(this.opts.markets[pos.marketIndex]);
      const lastBar = c.length - 1;
      const price = this.s.finalize === 'last-open' ? c.open[lastBar] : c.close[lastBar];
      this.cash += exitAtMarket(pos, price, 'end-of-data', c.ts[lastBar], lastBar);
      this.settle(pos, lastStep);
    }
    if (lastStep >= 0) this.eq[lastStep] = this.equityNow();
  }
}
