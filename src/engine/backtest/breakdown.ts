/**
 * Trade statistics grouped per setup (id@version, so an edited setup is judged separately), per symbol and per
 * calendar month (UTC, by exit time: the month the result was realized).
 */
import { tradeStatistics, type TradeStatistics } from './metrics.ts';
import type { TradeRecord } from './types.ts';

export interface Breakdowns {
  bySetup: Record<string, TradeStatistics>;
  bySymbol: Record<string, TradeStatistics>;
  byMonth: Record<string, TradeStatistics & { returnOnInitialPct: number }>;
}

function groupBy(trades: TradeRecord[], key: (t: TradeRecord) => string): Map<string, TradeRecord[]> {
  const groups = new Map<string, TradeRecord[]>();
  for (const t of trades) {
    const k = key(t);
    const list = groups.get(k);
    if (list) list.push(t);
    else groups.set(k, [t]);
  }
  return groups;
}

/** "YYYY-MM" of a UTC time; cached per day because 200k trades exit on a few hundred days. */
function monthKeyer(): (ts: number) => string {
  const byDay = new Map<number, string>();
  return (ts) => {
    const day = Math.floor(ts / 86_400_000);
    let key = byDay.get(day);
    if (key === undefined) byDay.set(day, (key = new Date(ts).toISOString().slice(0, 7)));
    return key;
  };
}

export function computeBreakdowns(trades: TradeRecord[], initialCash: number): Breakdowns {
  const bySetup: Breakdowns['bySetup'] = {};
  for (const [k, list] of groupBy(trades, (t) => `${t.setupId}@${t.setupVersion}`)) bySetup[k] = tradeStatistics(list);
  const bySymbol: Breakdowns['bySymbol'] = {};
  for (const [k, list] of groupBy(trades, (t) => t.symbol)) bySymbol[k] = tradeStatistics(list);
  const byMonth: Breakdowns['byMonth'] = {};
  const month = monthKeyer();
  for (const [k, list] of groupBy(trades, (t) => month(t.exitTs))) {
    const stats = tradeStatistics(list);
    byMonth[k] = { ...stats, returnOnInitialPct: (stats.totalProfitQuote / initialCash) * 100 };
  }
  return { bySetup, bySymbol, byMonth };
}
