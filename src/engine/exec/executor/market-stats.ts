/**
 * What the risk governor needs to know about a market (MarketState), kept up to date from the closed candles the
 * executor is fed: ATR(14) of the signal's timeframe and its high-volatility percentile, 24 h quote volume, daily
 * closes for the correlation rule, the last price. Pure bookkeeping over candles, so a restart that re-feeds the
 * same candles rebuilds exactly the same numbers.
 */
import type { Candle, MarketKey, Timeframe } from '../../types.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import { AtrKernel } from '../../indicators/index.ts';
import type { Governance, MarketState } from '../../risk/index.ts';

/** Lot rules of a market; the governor rounds units down to the step and refuses orders below the minimums. */
export interface InstrumentSpec {
  amountStep: number;
  minAmount: number;
  minNotional: number;
}

/** Binance spot BTC/USDT-like defaults, used when the caller does not know the market's real rules. */
export const DEFAULT_INSTRUMENT: InstrumentSpec = { amountStep: 0.00001, minAmount: 0.00001, minNotional: 5 };

/** A live quote, when the caller has one; replay and paper use the last close with no spread. */
export interface Quote {
  bid: number;
  ask: number;
  quoteVolume24h?: number;
}

const DAY_MS = 86_400_000;
/** ATR values kept for the percentile: about a month of 1h bars. */
const ATR_HISTORY = 720;
const DAILY_CLOSES_KEPT = 400;

class SeriesStats {
  readonly tfMs: number;
  readonly atr = new AtrKernel(14);
  lastAtr = NaN;
  /** The last ATR_HISTORY finite ATR values as a ring (oldest at atrHead): O(1) per candle, no shift. */
  private readonly atrRing = new Float64Array(ATR_HISTORY);
  private atrHead = 0;
  private atrCount = 0;
  /** The ring sorted, rebuilt only when a percentile is asked after new candles (once per signal, not per candle). */
  private readonly atrSorted = new Float64Array(ATR_HISTORY);
  private atrSortedStale = true;
  /** Open time of the last candle pushed (a candle at or before it is a duplicate feed). */
  lastTs = -Infinity;
  hasCandle = false;
  /** The last 24 h of candles as a ring of (open ts, quote volume): no object per candle. */
  private readonly dayTs: Float64Array;
  private readonly dayQuoteOf: Float64Array;
  private head = 0;
  private count = 0;
  dayQuote = 0;

  constructor(readonly timeframe: Timeframe) {
    this.tfMs = timeframeMs(timeframe);
    const capacity = Math.ceil(DAY_MS / this.tfMs) + 2;
    this.dayTs = new Float64Array(capacity);
    this.dayQuoteOf = new Float64Array(capacity);
  }

  /** False for a candle already seen (restart, duplicate feed). */
  push(c: Candle): boolean {
    if (this.hasCandle && c.ts <= this.lastTs) return false;
    this.hasCandle = true;
    this.lastTs = c.ts;
    this.lastAtr = this.atr.push(c.high, c.low, c.close);
    if (Number.isFinite(this.lastAtr)) {
      if (this.atrCount < ATR_HISTORY) this.atrRing[(this.atrHead + this.atrCount++) % ATR_HISTORY] = this.lastAtr;
      else {
        this.atrRing[this.atrHead] = this.lastAtr;
        this.atrHead = this.atrHead + 1 === ATR_HISTORY ? 0 : this.atrHead + 1;
      }
      this.atrSortedStale = true;
    }
    const closeTs = c.ts + this.tfMs;
    const cap = this.dayTs.length;
    // Evict first so the ring never overflows; what stays is exactly what the list version kept.
    while (this.count > 0 && this.dayTs[this.head] + this.tfMs <= closeTs - DAY_MS) {
      this.dayQuote -= this.dayQuoteOf[this.head];
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.count--;
    }
    const quote = c.close * c.volume;
    // Ring positions wrap by a comparison, not a division (this runs on every candle of a governed backtest).
    const at = this.head + this.count >= cap ? this.head + this.count - cap : this.head + this.count;
    this.dayTs[at] = c.ts;
    this.dayQuoteOf[at] = quote;
    this.count++;
    this.dayQuote += quote;
    return true;
  }

  /** atrPercentile over the kept ATR values, with the same interpolation (risk/metrics.ts). */
  atrPercentile(p: number): number {
    const n = this.atrCount;
    if (n === 0) return Infinity;
    const sorted = this.atrSorted;
    if (this.atrSortedStale) {
      for (let i = 0; i < n; i++) sorted[i] = this.atrRing[(this.atrHead + i) % ATR_HISTORY];
      sorted.subarray(0, n).sort();
      this.atrSortedStale = false;
    }
    const rank = (p / 100) * (n - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
  }
}

export class MarketStats {
  private readonly series = new Map<string, SeriesStats>();
  private readonly dailyCloses = new Map<string, { day: number; close: number }[]>();
  private readonly lastPrices = new Map<string, { price: number; ts: number }>();

  /** The series and daily closes of the market observed last: a backtest feeds one market over and over. */
  private lastMarket: MarketKey | null = null;
  private lastSeries: SeriesStats | null = null;
  private lastCloses: { day: number; close: number }[] | null = null;

  observe(market: MarketKey, candle: Candle): void {
    let s: SeriesStats;
    let cached = market === this.lastMarket ? this.lastCloses : null;
    if (cached && this.lastSeries) s = this.lastSeries;
    else {
      const key = `${market.symbol}|${market.timeframe}`;
      let found = this.series.get(key);
      if (!found) this.series.set(key, (found = new SeriesStats(market.timeframe)));
      s = found;
      cached = null;
    }
    if (!s.push(candle)) return;
    const closeTs = candle.ts + s.tfMs;
    const last = this.lastPrices.get(market.symbol);
    // Updated in place: this runs once per candle in every governed backtest.
    if (!last) this.lastPrices.set(market.symbol, { price: candle.close, ts: closeTs });
    else if (closeTs >= last.ts) {
      last.price = candle.close;
      last.ts = closeTs;
    }
    // The daily close is the close of the day's last candle: overwrite while the same UTC day goes on.
    const day = Math.floor(candle.ts / DAY_MS);
    let closes = cached;
    if (!closes) {
      closes = this.dailyCloses.get(market.symbol) ?? [];
      this.dailyCloses.set(market.symbol, closes);
    }
    if (closes.length > 0 && closes[closes.length - 1].day === day) closes[closes.length - 1].close = candle.close;
    else if (closes.length === 0 || closes[closes.length - 1].day < day) closes.push({ day, close: candle.close });
    if (closes.length > DAILY_CLOSES_KEPT) closes.shift();
    this.lastMarket = market;
    this.lastSeries = s;
    this.lastCloses = closes;
  }

  lastPrice(symbol: string): number | undefined {
    return this.lastPrices.get(symbol)?.price;
  }

  atr(symbol: string, timeframe: Timeframe): number {
    return this.series.get(`${symbol}|${timeframe}`)?.lastAtr ?? NaN;
  }

  /**
   * MarketState for an intent on `symbol` at `timeframe`; `others` are the symbols of open positions. `fallbackPrice`
   * (the signal's entry) stands in for the last price before any candle of the symbol was seen (just after a restart).
   */
  marketState(symbol: string, timeframe: Timeframe, others: readonly string[], g: Governance, spec: InstrumentSpec, fallbackPrice: number, quote?: Quote): MarketState {
    const s = this.series.get(`${symbol}|${timeframe}`);
    const price = this.lastPrice(symbol) ?? fallbackPrice;
    const dailyCloses: Record<string, number[]> = {};
    let lastDay = -Infinity;
    for (const sym of [symbol, ...others]) lastDay = Math.max(lastDay, this.dailyCloses.get(sym)?.at(-1)?.day ?? -Infinity);
    // The correlation rule wants series ending on the same day; a symbol that stopped updating is cut, not shifted.
    for (const sym of new Set([symbol, ...others])) {
      const closes = this.dailyCloses.get(sym) ?? [];
      dailyCloses[sym] = closes.at(-1)?.day === lastDay ? closes.map((d) => d.close) : [];
    }
    return {
      symbol,
      lastPrice: price,
      bid: quote?.bid ?? price,
      ask: quote?.ask ?? price,
      quoteVolume24h: quote?.quoteVolume24h ?? s?.dayQuote ?? 0,
      dailyCloses,
      atr: s?.lastAtr ?? NaN,
      atrThreshold: s ? s.atrPercentile(g.risk.atrPercentile) : Infinity,
      barIndex: s?.hasCandle ? Math.floor(s.lastTs / s.tfMs) : 0,
      amountStep: spec.amountStep,
      minAmount: spec.minAmount,
      minNotional: spec.minNotional,
    };
  }
}
