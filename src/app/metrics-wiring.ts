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
import { executorDb, readState } from '../engine/exec/executor/store.ts';

export function recordLiveEvent(metrics: ItaMetrics, event: LiveEvent, now: number): void {
  switch (event.type) {
    case 'candle':
      metrics.feed(marketKey(event.market), now - (event.candle.ts + timeframeMs(event.market.timeframe)), true);
      if (event.regime) metrics.regime(marketKey(event.market), event.regime);
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
      // The account the approval went to: the executor's mode when the verdict is announced.
      if (event.result.status === 'accepted') metrics.order(executor.mode(), 'entry', 'placed');
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
    // The executor's own repository: the state it persists on every change.
    const state = await readState<PersistedPortfolio>(executorDb(deps.db), 'portfolio').catch(() => undefined);
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
