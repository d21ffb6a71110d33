/**
 * Paginated history download. Pages are requested forward from `since` with the exchange's page limit; the next
 * page starts one period after the newest candle received, so exchange gaps (maintenance) are skipped naturally.
 * It stops on an empty page, when a page reaches the forming candle or `until`, or when a page makes no progress
 * (an exchange ignoring `since` must not loop us forever).
 */
import type { Candle, Timeframe } from '../../types.ts';
import { timeframeMs } from '../timeframes.ts';
import { isClosed, sortUnique } from './candles.ts';

export interface BackfillProgress {
  page: number;
  /** Closed candles collected so far. */
  candles: number;
  /** Open time of the newest candle so far (undefined before the first non-empty page). */
  lastTs?: number;
  since: number;
  until: number;
  /** 0..1, by time covered. */
  fraction: number;
}

export interface BackfillPlan {
  since: number;
  /** Exclusive end (open times strictly before it). */
  until: number;
  tf: Timeframe;
  pageLimit: number;
  now: () => number;
  fetchPage: (cursor: number) => Promise<Candle[]>;
  onPage?: (progress: BackfillProgress) => void;
}

export async function backfillPages(plan: BackfillPlan): Promise<Candle[]> {
  const { since, until, tf } = plan;
  const ms = timeframeMs(tf);
  const collected: Candle[] = [];
  let cursor = since;
  let page = 0;
  while (cursor < until) {
    const rows = sortUnique(await plan.fetchPage(cursor));
    page += 1;
    const fresh = rows.filter((c) => c.ts >= cursor && c.ts < until);
    const newest = rows[rows.length - 1];
    const nowMs = plan.now();
    let reachedOpenEnd = false;
    for (const candle of fresh) {
      if (!isClosed(candle, tf, nowMs)) {
        reachedOpenEnd = true;
        break;
      }
      // Pages may overlap when an exchange rounds `since` down; keep strictly increasing open times.
      if (collected.length === 0 || candle.ts > collected[collected.length - 1].ts) collected.push(candle);
    }
    const lastTs = collected.length ? collected[collected.length - 1].ts : undefined;
    plan.onPage?.({
      page,
      candles: collected.length,
      lastTs,
      since,
      until,
      fraction: lastTs === undefined ? 0 : Math.min(1, (lastTs + ms - since) / Math.max(1, until - since)),
    });
    if (!newest || reachedOpenEnd) break;
    const next = newest.ts + ms;
    if (next <= cursor) break;
    cursor = next;
  }
  return collected;
}
