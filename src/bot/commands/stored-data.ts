/**
 * What candle data exists, as of the run's clock: periods count back from the end of the stored data (or from the
 * replay's position when that is earlier), and a request for missing data is answered with the data that is there.
 */
import { timeframeMs } from '../../engine/market/timeframes.ts';
import type { MarketKey } from '../../engine/types.ts';
import type { StoredRange } from '../services.ts';
import { escapeHtml } from '../format/html.ts';
import { formatDate } from '../format/time.ts';
import type { Translate } from '../i18n/index.ts';

/** The stored range of a market cut at the clock: only candles closed by `now` count. */
export interface UsableRange {
  market: MarketKey;
  /** Known only when the clock does not cut the stored range (counting past the clock would need a query). */
  count?: number;
  firstTs: number;
  /** The last candle closed by the clock. */
  lastTs: number;
  /** The last stored candle, whatever the clock. */
  storedLastTs: number;
  /** Where periods end: the clock, or the close of the last stored candle when that is earlier. */
  end: number;
}

export function usableRange(stored: readonly StoredRange[], market: MarketKey, now: number): UsableRange | undefined {
  const range = stored.find((s) => s.exchange === market.exchange && s.symbol === market.symbol && s.timeframe === market.timeframe)
    ?? stored.find((s) => s.symbol === market.symbol && s.timeframe === market.timeframe);
  if (!range) return undefined;
  const tf = timeframeMs(range.timeframe);
  const end = Math.min(range.lastTs + tf, now);
  const closedLast = Math.min(range.lastTs, end - tf);
  if (closedLast < range.firstTs) return undefined;
  return {
    market: { exchange: range.exchange, symbol: range.symbol, timeframe: range.timeframe },
    count: closedLast === range.lastTs ? range.count : undefined,
    firstTs: range.firstTs, lastTs: closedLast, storedLastTs: range.lastTs, end,
  };
}

export function rangeText(range: UsableRange, t: Translate): string {
  const dates = { first: formatDate(range.firstTs), last: formatDate(range.lastTs) };
  return range.count === undefined ? t('data.rangeDates', dates) : t('data.range', { count: range.count.toLocaleString('en-US'), ...dates });
}

/** "No stored 4h candles of DOGE/USDT on binance. Stored: BTC/USDT 1h, 4h (binance)." */
export function missingDataText(stored: readonly StoredRange[], market: MarketKey, now: number, t: Translate): string {
  const usable = stored.filter((s) => usableRange(stored, s, now));
  const sameSymbol = usable.filter((s) => s.symbol === market.symbol);
  const shown = (sameSymbol.length ? sameSymbol : usable).slice(0, 12);
  const list = shown.map((s) => `${escapeHtml(s.symbol)} ${s.timeframe} (${escapeHtml(s.exchange)})`).join(', ');
  const head = t('data.none', { symbol: escapeHtml(market.symbol), timeframe: market.timeframe, exchange: escapeHtml(market.exchange) });
  return `${head} ${list ? t('data.storedList', { list }) : t('data.nothingStored')}`;
}

/** A requested [from, to] that misses the stored data entirely: say what is there instead. */
export function outsideRangeText(range: UsableRange, from: number | undefined, to: number | undefined, t: Translate): string | undefined {
  const missesBefore = to !== undefined && to < range.firstTs;
  const missesAfter = from !== undefined && from > range.lastTs;
  if (!missesBefore && !missesAfter) return undefined;
  return t('data.outside', {
    symbol: escapeHtml(range.market.symbol), timeframe: range.market.timeframe,
    from: from === undefined ? '…' : formatDate(from), to: to === undefined ? '…' : formatDate(to), range: rangeText(range, t),
  });
}
