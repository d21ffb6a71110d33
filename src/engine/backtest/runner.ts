/**
 * The backtest loop: one pass over the union of all markets' candle timestamps. Per candle: queued exits and
 * entries fill at its open, resting limits and stops/targets are checked inside it, equity is marked at its close,
 * and only then does the signal source see the candle. Orders decided at a close can therefore only fill later.
 */
import type { Candle, Signal } from '../types.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { direction, limitFillPrice, marketFillPrice } from '../exec/sim/fill-model.ts';
import { endOfBar, exitAtMarket, runIntrabar, type SimPosition } from '../exec/sim/position.ts';
import { Portfolio } from './portfolio.ts';
import { costsFor, describeAssumptions, planFor, resolveSettings, type ResolvedSettings } from './settings.ts';
import { sizeUnits } from './sizing.ts';
import { computeStatistics } from './metrics.ts';
import { computeBreakdowns } from './breakdown.ts';
import type { BacktestOptions, BacktestReport } from './types.ts';

const NO_DETAIL: Candle[] = [];

function expired(signal: Signal, ts: number): boolean {
  return Number.isFinite(signal.validUntil) && signal.validUntil > 0 && ts > signal.validUntil;
}

export function runBacktest(opts: BacktestOptions): BacktestReport {
  const s = resolveSettings(opts);
  const pf = new Portfolio(opts, s);
  const markets = opts.markets;
  const n = markets.length;
  const ptr = new Int32Array(n);
  const detailPtr = new Int32Array(n);
  const total = markets.reduce((sum, m) => sum + m.candles.length, 0);
  const barMs = markets.map((mk) => timeframeMs(mk.key.timeframe));
  let done = 0;

  for (;;) {
    let ts = Infinity;
    for (let m = 0; m < n; m++) {
      const candles = markets[m].candles;
      if (ptr[m] < candles.length && candles[ptr[m]].ts < ts) ts = candles[ptr[m]].ts;
    }
    if (ts === Infinity) break;
    const step = pf.stepCount;
    for (let m = 0; m < n; m++) {
      const c = markets[m].candles[ptr[m]];
      if (c === undefined || c.ts !== ts) continue;
      pf.lastOpen[m] = c.open;
      pf.closeKnownAt[m] = Infinity; // this candle's close is not known while its open is being filled
      fillAtOpen(pf, s, m, ptr[m], step, c);
      manageInside(pf, s, m, ptr[m], c, markets[m].detail ? detailFor(markets[m], c, detailPtr, m) : NO_DETAIL);
      pf.lastClose[m] = c.close;
      pf.closeKnownAt[m] = c.ts + barMs[m];
    }
    pf.markEquity(ts);
    for (let m = 0; m < n; m++) {
      const c = markets[m].candles[ptr[m]];
      if (c === undefined || c.ts !== ts) continue;
      const signals = opts.signalSource.onCandle(m, ptr[m], c);
      for (let k = 0; k < signals.length; k++) acceptSignal(pf, s, m, signals[k]);
      ptr[m]++;
      done++;
    }
    if ((pf.stepCount & 8191) === 0) {
      opts.signal?.throwIfAborted();
      opts.onProgress?.(done, total);
    }
  }
  pf.finish();
  opts.onProgress?.(total, total);
  return buildReport(opts, s, pf);
}

/** Lower-timeframe candles inside the parent candle [ts, ts + timeframe). */
function detailFor(market: BacktestOptions['markets'][number], c: Candle, detailPtr: Int32Array, m: number): Candle[] {
  const detail = market.detail;
  if (!detail || detail.length === 0) return NO_DETAIL;
  const end = c.ts + timeframeMs(market.key.timeframe);
  let i = detailPtr[m];
  while (i < detail.length && detail[i].ts < c.ts) i++;
  const start = i;
  while (i < detail.length && detail[i].ts < end) i++;
  detailPtr[m] = i;
  return i > start ? detail.slice(start, i) : NO_DETAIL;
}

function fillAtOpen(pf: Portfolio, s: ResolvedSettings, m: number, bar: number, step: number, c: Candle): void {
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
    for (const sig of queued) {
      if (expired(sig, c.ts)) pf.skip(sig, 'expired before fill');
      else if (!s.management.pyramiding && book.positions.length > 0) pf.skip(sig, 'already in a position');
      else {
        const plan = planFor(sig, s);
        const dir = direction(sig.side);
        const price = marketFillPrice(c.open, dir, true, costsFor(plan.atr, s));
        open(pf, s, m, sig, price, s.fees.taker, bar, step, c);
      }
    }
  }
}

function open(pf: Portfolio, s: ResolvedSettings, m: number, sig: Signal, price: number, feeRate: number, bar: number, step: number, c: Candle): SimPosition | null {
  const dir = direction(sig.side);
  if (Number.isFinite(sig.stop) && dir * (price - sig.stop) <= 0) {
    pf.skip(sig, 'price was already beyond the stop at the fill');
    return null;
  }
  const equity = pf.equityNow(c.ts);
  const freeMargin = equity - pf.marginUsed(c.ts);
  const units = sizeUnits(s.sizing, { equity, freeMargin, fillPrice: price, feeRate, stop: sig.stop });
  if (!(units > 0)) {
    pf.skip(sig, freeMargin <= 0 ? 'no free margin' : 'size rounds to 0 units');
    return null;
  }
  return pf.openPosition(m, sig, price, units, feeRate, bar, step, c.ts);
}

function manageInside(pf: Portfolio, s: ResolvedSettings, m: number, bar: number, c: Candle, detail: Candle[]): void {
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
    for (const sig of resting) {
      if (expired(sig, c.ts)) {
        pf.skip(sig, 'expired before fill');
        continue;
      }
      const fill = limitFillPrice(sig.entry, direction(sig.side), c);
      if (Number.isNaN(fill)) {
        book.limits.push(sig);
        continue;
      }
      if (!s.management.pyramiding && book.positions.length > 0) {
        pf.skip(sig, 'already in a position');
        continue;
      }
      const pos = open(pf, s, m, sig, fill, s.fees.maker, bar, step, c);
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

function acceptSignal(pf: Portfolio, s: ResolvedSettings, m: number, sig: Signal): void {
  const book = pf.books[m];
  const dir = direction(sig.side);
  const hasStop = Number.isFinite(sig.stop);
  if (!Number.isFinite(sig.entry) && sig.entryType === 'limit') return pf.skip(sig, 'limit entry without a price');
  if (hasStop && sig.entryType === 'limit' && dir * (sig.entry - sig.stop) <= 0) return pf.skip(sig, 'stop on the wrong side of entry');
  if (!hasStop && s.sizing.kind === 'risk') return pf.skip(sig, 'risk sizing needs a stop');
  const live = book.positions.filter((p) => p.pendingExit === null);
  const opposite = live.filter((p) => p.side !== sig.side);
  if (opposite.length > 0) {
    const mode = s.management.oppositeSignal;
    if (mode === 'ignore') return pf.skip(sig, 'opposite position open (oppositeSignal=ignore)');
    for (const p of opposite) p.pendingExit = 'opposite-signal';
    if (mode === 'exit') return pf.skip(sig, 'used to exit the opposite position (oppositeSignal=exit)');
  }
  if (!s.management.pyramiding) {
    if (live.some((p) => p.side === sig.side)) return pf.skip(sig, 'already in a position');
    if (book.marketEntries.length > 0 || book.limits.length > 0) return pf.skip(sig, 'an entry order is already pending');
  }
  if (sig.entryType === 'limit') book.limits.push(sig);
  else book.marketEntries.push(sig);
}

function buildReport(opts: BacktestOptions, s: ResolvedSettings, pf: Portfolio): BacktestReport {
  const equity = pf.equityCurve();
  const trades = pf.closed;
  const stats = computeStatistics({
    trades,
    equity,
    initialCash: opts.initialCash,
    closes: opts.markets.map((mk) => Float64Array.from(mk.candles, (c) => c.close)),
    warmupBars: s.warmupBars,
  });
  return {
    assumptions: describeAssumptions(s, opts.markets.some((mk) => (mk.detail?.length ?? 0) > 0)),
    trades,
    openTrades: pf.openSnapshots,
    skipped: pf.skipped,
    equity,
    initialCash: opts.initialCash,
    warmupBars: s.warmupBars,
    stats,
    breakdowns: computeBreakdowns(trades, opts.initialCash),
  };
}
