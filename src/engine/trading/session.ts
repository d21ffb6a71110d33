/**
 * The trading session: the ONE path from a closed candle and its signals to trades, shared by `ita backtest`, the
 * bot's /backtest, walk-forward, the optimizer and `ita replay`. Per closed candle, in this order:
 *   queued entries and exits fill at its OPEN → stops / targets / break-even / trail are run inside it → equity is
 *   marked at its close → the detector sees it → each signal: opposite-signal exit → signal policy (account side,
 *   minimum score, cost in R) → one position per market → decision source → risk governor → order queued for the
 *   NEXT candle (market) or resting from the next candle (limit).
 *
 * Why a synchronous state machine: backtests must run at ≥ 1M candles/s in memory, so the hot path has no awaits,
 * no I/O and no per-candle objects. Modes that persist (replay, paper) drive the same machine one step at a time
 * and write the step's events (decisions, fills, closed trades) in one transaction afterwards — the async shell
 * lives outside, the decisions inside are identical in every mode.
 */
import type { AccountType, Candle, MarketKey, Signal } from '../types.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { direction, limitFillPrice, marketFillPrice } from '../exec/sim/fill-model.ts';
import { endOfBar, exitAtMarket, runIntrabar, type SimPosition } from '../exec/sim/position.ts';
import { DEFAULT_INSTRUMENT, type InstrumentSpec } from '../exec/executor/market-stats.ts';
import { Portfolio, type PendingEntry } from '../backtest/portfolio.ts';
import { costsFor, planFor, resolveSettings, type ResolvedSettings } from '../backtest/settings.ts';
import { sizeUnits } from '../backtest/sizing.ts';
import type { BacktestOptions, SessionEvent } from '../backtest/types.ts';
import { GovernorGate } from './governor-gate.ts';
import { beyondStop, beyondStopRefusal, decideSignal, fitUnits, netRiskPerUnit, validityEnded, type SignalRules } from './decision.ts';
import { candleAt, type CandleColumns } from '../market/columns.ts';
import { marketColumns } from '../backtest/market-columns.ts';

const NO_DETAIL: Candle[] = [];

/** A limit rests from the next candle until validUntil exactly: a candle opening AT validUntil is already too late. */
export function expiredAt(signal: Signal, ts: number): boolean {
  return validityEnded(signal.validUntil, ts);
}

export class TradingSession {
  readonly s: ResolvedSettings;
  readonly pf: Portfolio;
  readonly gate: GovernorGate | null;
  private readonly markets: BacktestOptions['markets'];
  private readonly n: number;
  private readonly ptr: Int32Array;
  /** Every market's candles as columns: the clock reads these. */
  private readonly columns: CandleColumns[];
  /** The market's own Candle objects when it has them (handed on as they are), null for a market given as columns. */
  private readonly candleObjects: (Candle[] | null)[];
  /** The candle of each market at the step being processed (null: the market has no candle at that time). */
  private readonly current: (Candle | null)[];
  private readonly detailPtr: Int32Array;
  private readonly barMs: number[];
  private readonly accounts: AccountType[];
  private readonly specs: (InstrumentSpec | null)[];
  private readonly rules: SignalRules[];
  private readonly leverage: number;
  private readonly emit: ((e: SessionEvent) => void) | null;
  readonly total: number;
  done = 0;
  /** Open time of the candle(s) the last step processed. */
  lastTs = NaN;
  private finished = false;

  constructor(readonly opts: BacktestOptions) {
    this.s = resolveSettings(opts);
    this.pf = new Portfolio(opts, this.s);
    this.markets = opts.markets;
    this.n = opts.markets.length;
    this.ptr = new Int32Array(this.n);
    this.detailPtr = new Int32Array(this.n);
    this.columns = opts.markets.map(marketColumns);
    this.candleObjects = opts.markets.map((mk) => (mk.columns ? null : mk.candles));
    this.current = new Array<Candle | null>(this.n).fill(null);
    this.total = this.columns.reduce((sum, c) => sum + c.length, 0);
    this.barMs = opts.markets.map((mk) => timeframeMs(mk.key.timeframe));
    this.accounts = opts.markets.map((mk) => mk.account ?? 'perp');
    this.specs = opts.markets.map((mk) => mk.instrument ?? (opts.governance ? DEFAULT_INSTRUMENT : null));
    // The account's costs price a signal that carries none, only when a policy judges it (research runs judge nothing).
    const costs = opts.policy ? { makerFee: this.s.fees.maker, takerFee: this.s.fees.taker, slippage: this.s.slippage.bps / 10_000 } : null;
    this.rules = this.accounts.map((account) => ({
      policy: { account, minScore: opts.policy?.minScore ?? -Infinity, maxCostR: opts.policy?.maxCostR ?? Infinity },
      oppositeSignal: this.s.management.oppositeSignal, pyramiding: this.s.management.pyramiding, riskSizing: this.s.sizing.kind === 'risk', costs,
    }));
    const cap = opts.governance?.leverageCap ?? Infinity;
    this.leverage = Math.max(1, Math.min(opts.leverage ?? 1, cap));
    const first = this.columns.reduce((t, c) => Math.min(t, c.length > 0 ? c.ts[0] : Infinity), Infinity);
    this.gate = opts.governance ? new GovernorGate(opts.governance, opts.initialCash, Number.isFinite(first) ? first : 0) : null;
    this.emit = opts.listener ?? null;
    const emit = this.emit;
    const gate = this.gate;
    // ATR percentile, 24 h volume and daily closes as live would know them at the start, not empty.
    if (gate) for (const mk of opts.markets) for (const c of mk.warmup ?? []) gate.observe(mk.key, c);
    if (gate || emit) {
      this.pf.onClosed = (trade) => {
        const ms = this.barMs[trade.marketIndex];
        gate?.tradeClosed(trade.setupId, trade.pnl, Math.floor(trade.exitTs / ms), trade.exitTs + ms);
        emit?.({ type: 'trade-closed', ts: trade.exitTs, trade });
      };
    }
    if (emit) this.pf.onSkipped = (signal, rule, reason) => emit({ type: 'skipped', ts: this.lastTs, signal, rule, reason });
  }

  /** Processes the next timestamp of the union of all markets' candles; false when every candle has been seen. */
  step(): boolean {
    const { markets, n, ptr, pf, columns, current } = this;
    let ts = Infinity;
    for (let m = 0; m < n; m++) {
      const col = columns[m];
      if (ptr[m] < col.length && col.ts[ptr[m]] < ts) ts = col.ts[ptr[m]];
    }
    if (ts === Infinity) return false;
    this.lastTs = ts;
    const step = pf.stepCount;
    for (let m = 0; m < n; m++) {
      const i = ptr[m];
      const col = columns[m];
      if (i >= col.length || col.ts[i] !== ts) {
        current[m] = null;
        continue;
      }
      // One candle object per market and step, shared by everything below (signal source, governor, positions).
      const objects = this.candleObjects[m];
      const c = objects ? objects[i] : candleAt(col, i);
      current[m] = c;
      pf.lastOpen[m] = c.open;
      pf.closeKnownAt[m] = Infinity; // this candle's close is not known while its open is being filled
      this.fillAtOpen(m, ptr[m], step, c);
      this.manageInside(m, ptr[m], c, markets[m].detail ? this.detailFor(m, c) : NO_DETAIL);
      pf.lastClose[m] = c.close;
      pf.closeKnownAt[m] = c.ts + this.barMs[m];
    }
    pf.markEquity(ts);
    const gate = this.gate;
    if (gate && pf.openPositions().length > 0) gate.markEquity(pf.equityNow(), ts + this.barMs[0]);
    for (let m = 0; m < n; m++) {
      const c = current[m];
      if (c === null) continue;
      gate?.observe(markets[m].key, c);
      const signals = this.opts.signalSource.onCandle(m, ptr[m], c);
      for (let k = 0; k < signals.length; k++) this.acceptSignal(m, signals[k], c.ts + this.barMs[m]);
      ptr[m]++;
      this.done++;
    }
    return true;
  }

  /** Runs to the last candle, then settles what is still open. */
  run(): void {
    const opts = this.opts;
    while (this.step()) {
      if ((this.pf.stepCount & 8191) === 0) {
        opts.signal?.throwIfAborted();
        opts.onProgress?.(this.done, this.total);
      }
    }
    this.finish();
    opts.onProgress?.(this.total, this.total);
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.pf.finish();
  }

  /** Lower-timeframe candles inside the parent candle [ts, ts + timeframe). */
  private detailFor(m: number, c: Candle): Candle[] {
    const detail = this.markets[m].detail;
    if (!detail || detail.length === 0) return NO_DETAIL;
    const end = c.ts + this.barMs[m];
    let i = this.detailPtr[m];
    while (i < detail.length && detail[i].ts < c.ts) i++;
    const start = i;
    while (i < detail.length && detail[i].ts < end) i++;
    this.detailPtr[m] = i;
    return i > start ? detail.slice(start, i) : NO_DETAIL;
  }

  private fillAtOpen(m: number, bar: number, step: number, c: Candle): void {
    const { pf, s } = this;
    const book = pf.books[m];
    if (book.positions.length > 0) {
      for (let k = book.positions.length - 1; k >= 0; k--) {
        const pos = book.positions[k];
        if (pos.pendingExit === null) continue;
        pf.cash += exitAtMarket(pos, c.open, pos.pendingExit, c.ts, bar);
        pf.settle(pos, step);
      }
    }
    if (book.marketEntries.length > 0) {
      const queued = book.marketEntries;
      book.marketEntries = [];
      for (const entry of queued) {
        const sig = entry.signal;
        if (expiredAt(sig, c.ts)) pf.skip(sig, 'expired before fill', `the signal was valid until ${new Date(sig.validUntil).toISOString()}`);
        else if (!s.management.pyramiding && book.positions.length > 0) pf.skip(sig, 'already in a position');
        else {
          const plan = planFor(sig, s);
          const price = marketFillPrice(c.open, direction(sig.side), true, costsFor(plan.atr, s));
          this.open(m, entry, price, s.fees.taker, bar, step, c);
        }
      }
    }
  }

  private open(m: number, entry: PendingEntry, price: number, feeRate: number, bar: number, step: number, c: Candle): SimPosition | null {
    const { pf, s } = this;
    const sig = entry.signal;
    const hasStop = Number.isFinite(sig.stop);
    if (beyondStop(sig.side, price, sig.stop)) {
      const refusal = beyondStopRefusal(price, sig.stop, 'at the fill');
      pf.skip(sig, refusal.rule, refusal.reason);
      return null;
    }
    const netRisk = hasStop ? netRiskPerUnit(sig.side, price, sig.stop, feeRate, costsFor(planFor(sig, s).atr, s)) : NaN;
    const equity = pf.equityNow(c.ts);
    const leverage = this.accounts[m] === 'spot' ? 1 : this.leverage;
    const freeMargin = equity * leverage - pf.marginUsed(c.ts);
    const sizing = s.sizing.kind === 'risk' ? { ...s.sizing, riskFraction: entry.riskFraction } : s.sizing;
    const units0 = sizeUnits(sizing, { equity, freeMargin, fillPrice: price, feeRate, stop: sig.stop, netRiskPerUnit: netRisk });
    const sized = fitUnits(units0, entry.maxUnits, price, sig.stop, netRisk, this.specs[m], freeMargin);
    if (sized.refusal) {
      pf.skip(sig, sized.refusal.rule, sized.refusal.reason);
      return null;
    }
    const units = sized.units;
    const pos = pf.openPosition(m, sig, price, units, feeRate, bar, step, c.ts, netRisk);
    this.emit?.({ type: 'position-opened', ts: c.ts, position: pos });
    return pos;
  }

  private manageInside(m: number, bar: number, c: Candle, detail: Candle[]): void {
    const { pf, s } = this;
    const book = pf.books[m];
    const stopFirst = s.management.intrabar === 'stop-first';
    const step = pf.stepCount;
    // Backwards, because settling removes the position from the list.
    for (let k = book.positions.length - 1; k >= 0; k--) {
      const pos = book.positions[k];
      if (detail.length > 0) {
        for (const d of detail) if (pos.remaining > 0) pf.cash += runIntrabar(pos, d, bar, stopFirst);
      } else pf.cash += runIntrabar(pos, c, bar, stopFirst);
      if (pos.remaining <= 0) pf.settle(pos, step);
    }
    // Resting limits: a candle that trades through the price fills it; afterwards only the stop is checked this bar.
    if (book.limits.length > 0) {
      const resting = book.limits;
      book.limits = [];
      for (const entry of resting) {
        const sig = entry.signal;
        if (expiredAt(sig, c.ts)) {
          pf.skip(sig, 'expired before fill', `the limit rested until ${new Date(sig.validUntil).toISOString()} without a fill`);
          continue;
        }
        const fill = limitFillPrice(sig.entry, direction(sig.side), c);
        if (Number.isNaN(fill)) {
          book.limits.push(entry);
          continue;
        }
        if (!s.management.pyramiding && book.positions.length > 0) {
          pf.skip(sig, 'already in a position');
          continue;
        }
        const pos = this.open(m, entry, fill, s.fees.maker, bar, step, c);
        if (pos === null) continue;
        const targets = pos.targets;
        if (fill !== c.open) pos.targets = [];
        pf.cash += runIntrabar(pos, c, bar, stopFirst);
        if (fill !== c.open) pos.targets = targets;
        if (pos.remaining <= 0) pf.settle(pos, step);
      }
    }
    for (let k = 0; k < book.positions.length; k++) {
      const pos = book.positions[k];
      endOfBar(pos, c);
      const limit = pos.timeStopBars;
      if (limit > 0 && pos.barsHeld >= limit && pos.pendingExit === null) pos.pendingExit = 'time-stop';
    }
  }

  private refuse(sig: Signal, rule: string, reason: string, now: number, verdict?: PendingVerdict): void {
    this.pf.skip(sig, rule, reason);
    this.emit?.({ type: 'decision', ts: now, signal: sig, accepted: false, rule, reason, verdict, equity: this.pf.equityNow(now) });
  }

  private acceptSignal(m: number, sig: Signal, now: number): void {
    const { pf, s } = this;
    const book = pf.books[m];
    let opposite = false;
    let sameSide = false;
    for (const p of book.positions) {
      if (p.pendingExit !== null) continue;
      if (p.side === sig.side) sameSide = true;
      else opposite = true;
    }
    const decision = decideSignal(sig, { opposite, sameSide, pendingEntry: book.marketEntries.length > 0 || book.limits.length > 0 }, this.rules[m]);
    if (decision.exitOpposite) for (const p of book.positions) if (p.pendingExit === null && p.side !== sig.side) p.pendingExit = 'opposite-signal';
    if (decision.refusal) return this.refuse(sig, decision.refusal.rule, decision.refusal.reason ?? '', now);
    if (this.opts.decide && !this.opts.decide(sig)) return this.refuse(sig, 'rejected', 'the trader rejected it', now);
    let maxUnits = Infinity;
    let riskFraction = s.sizing.kind === 'risk' ? s.sizing.riskFraction : NaN;
    let verdict: PendingVerdict | undefined;
    if (this.gate) {
      const reference = sig.entryType === 'limit' ? sig.entry : pf.lastClose[m];
      const spec = this.specs[m] ?? DEFAULT_INSTRUMENT;
      const leverage = this.accounts[m] === 'spot' ? 1 : this.leverage;
      verdict = this.gate.evaluate(this.markets[m].key as MarketKey, sig, reference, pf.equityNow(now), pf.openPositions(), (p) => pf.mark(p.marketIndex, now), spec, leverage, now);
      if (verdict.status === 'refused') return this.refuse(sig, verdict.rule, verdict.reason, now, verdict);
      maxUnits = verdict.size.units;
      riskFraction = verdict.effectiveRiskPct / 100;
    }
    this.emit?.({ type: 'decision', ts: now, signal: sig, accepted: true, verdict, equity: pf.equityNow(now) });
    const entry: PendingEntry = { signal: sig, maxUnits, riskFraction };
    if (sig.entryType === 'limit') book.limits.push(entry);
    else book.marketEntries.push(entry);
  }
}

type PendingVerdict = import('../risk/index.ts').RiskVerdict;
