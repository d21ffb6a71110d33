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

/** Signals whose delivery may still fail, by id → setup (a failed delivery names only the signal). */
const MAX_TRACKED = 2000;

/**
 * The live pipeline's events → metrics; one recorder per running feed. A replayed feed's clock runs many times
 * faster than the wall clock, so its delivery latency is measured on the wall clock from the moment the replay
 * closed the signal's candle (`replayed`); a live feed's clock is the wall clock, measured from the candle's close.
 */
export function liveEventRecorder(metrics: ItaMetrics, options: { replayed?: boolean; wallClock?: () => number } = {}): (event: LiveEvent, now: number) => void {
  const wall = options.wallClock ?? Date.now;
  const setupOf = new Map<string, string>();
  const closedAt = new Map<string, number>();
  const signalClosedAt = new Map<string, number>();
  const track = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= MAX_TRACKED) map.delete(map.keys().next().value as string);
    map.set(key, value);
  };
  return (event, now) => {
    if (options.replayed && event.type === 'candle') closedAt.set(marketKey(event.market), wall());
    if (event.type === 'signal' && event.queued) {
      track(setupOf, event.signal.id, event.signal.setupId);
      const closed = closedAt.get(marketKey(event.signal));
      if (closed !== undefined) track(signalClosedAt, event.signal.id, closed);
    }
    if (event.type === 'delivered') {
      setupOf.delete(event.signalId);
      if (options.replayed) {
        const closed = signalClosedAt.get(event.signalId);
        if (closed !== undefined) metrics.delivered(wall() - closed);
        return;
      }
    }
    if (event.type === 'delivery-failed' && event.final) {
      metrics.signal(setupOf.get(event.signalId) ?? 'unknown', 'dropped');
      setupOf.delete(event.signalId);
      return;
    }
    recordLiveEvent(metrics, event, now);
  };
}

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

/** Backtests running in this process are jobs in progress (ita_queue_depth{queue="jobs"}). */
export function countBacktestJobs<S extends { run: (...args: never[]) => Promise<unknown> }>(metrics: ItaMetrics, service: S): S {
  const run = service.run.bind(service) as (...args: unknown[]) => Promise<unknown>;
  return {
    ...service,
    run: async (...args: unknown[]) => {
      metrics.job('jobs', 1);
      try {
        return await run(...args);
      } finally {
        metrics.job('jobs', -1);
      }
    },
  };
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
