/**
 * Feeds the Prometheus registry (src/ops/metrics.ts) from what the running system already reports: the live
 * pipeline's events, the executor's events, and at scrape time the persisted governor state, the outbox and the LLM
 * ledger. Read-only: metrics never change what the engine does.
 */
import type { Kysely } from 'kysely';
import type { ItaMetrics } from '../ops/metrics.ts';
import type { LiveEvent } from '../engine/live/index.ts';
import { marketKey } from '../engine/live/events.ts';
import type { Executor } from '../engine/exec/executor/index.ts';
import { timeframeMs } from '../engine/market/timeframes.ts';
import { countPending } from '../engine/journal/outbox.ts';

export function recordLiveEvent(metrics: ItaMetrics, event: LiveEvent, now: number): void {
  switch (event.type) {
    case 'candle':
      metrics.feed(marketKey(event.market), now - (event.candle.ts + timeframeMs(event.market.timeframe)), true);
      break;
    case 'feed-stale':
      metrics.feed(marketKey(event.market), now - (event.lastTs ?? event.expectedTs), false);
      break;
    case 'signal':
      metrics.signal(event.signal.setupId, event.queued ? 'pushed' : 'held');
      break;
    case 'delivered':
      metrics.delivered(event.latencyMs);
      break;
    case 'delivery-failed':
      if (event.final) metrics.signal('delivery', 'dropped');
      break;
  }
}

export function recordExecutorEvents(metrics: ItaMetrics, executor: Executor): () => void {
  return executor.on((event) => {
    if (event.type === 'verdict' && !event.result.duplicate) {
      if (event.result.status === 'accepted') metrics.order('paper', 'entry', 'placed');
      else metrics.refusal(event.result.rule ?? event.result.status);
    }
    if (event.type === 'trade-closed') metrics.signal(event.setupId, event.r > 0 ? 'win' : event.r < 0 ? 'loss' : 'scratch');
  });
}

interface PersistedPortfolio {
  equity?: number;
  dailyLock?: unknown;
  killSwitch?: { status?: string };
  openPositions?: { entry: number; stop: number; size: number }[];
}

/** Values read when Prometheus scrapes, so they are what the books say now. */
export function scrapeState(metrics: ItaMetrics, deps: { db: Kysely<any>; usageToday?: () => Promise<{ costUsd: number }> }): void {
  metrics.onScrape(async () => {
    const row = await deps.db.selectFrom('executor_state').select('value').where('key', '=', 'portfolio').executeTakeFirst().catch(() => undefined);
    const state = row ? (JSON.parse(row.value as string) as PersistedPortfolio) : undefined;
    if (state) {
      const equity = state.equity ?? 0;
      const risk = (state.openPositions ?? []).reduce((sum, p) => sum + Math.abs(p.entry - p.stop) * p.size, 0);
      metrics.governor({ dailyLock: Boolean(state.dailyLock), killSwitch: state.killSwitch?.status === 'tripped', openRiskRatio: equity > 0 ? risk / equity : 0 });
      metrics.equity('paper', equity);
    }
    metrics.queue('outbox', await countPending(deps.db as never).catch(() => 0));
    if (deps.usageToday) metrics.llmSpend((await deps.usageToday()).costUsd);
  });
}
