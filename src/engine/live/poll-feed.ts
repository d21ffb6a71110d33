/**
 * The polling feed: one node-cron task per watched timeframe (UTC, six-field expression), firing a few seconds
 * after each candle close, so the exchange has published the closed candle. Each tick asks the gateway for the
 * newest closed candles of every market of that timeframe and hands the new ones to the pipeline as one close.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { MarketKey, Timeframe } from '../types.ts';
import { periodStart, timeframeMs } from '../market/timeframes.ts';
import type { CandleSource, ClosedCandle, LivePipeline } from './pipeline.ts';

export interface PollingFeedOptions {
  pipeline: LivePipeline;
  sourceFor: (exchange: string) => CandleSource | undefined;
  /** The watched markets (read on every tick, so watchlist changes need no restart). */
  markets: () => Promise<MarketKey[]>;
  /** Seconds after the close to poll (exchange publish delay). */
  delaySeconds?: number;
  /** Markets fetched at once: keeps a 150-market tick inside the exchange's rate limit. */
  concurrency?: number;
  now?: () => number;
}

/** node-cron v4 six-field expression (sec min hour day month weekday) for "`delay` seconds after every close". */
export function closeExpression(tf: Timeframe, delaySeconds = 5): string {
  const s = Math.max(0, Math.min(59, Math.floor(delaySeconds)));
  const minutes = timeframeMs(tf) / 60_000;
  if (tf === '1w') return `${s} 0 0 * * 1`; // Binance weeks open on Monday 00:00 UTC
  if (minutes < 60) return minutes === 1 ? `${s} * * * * *` : `${s} */${minutes} * * * *`;
  const hours = minutes / 60;
  if (hours < 24) return hours === 1 ? `${s} 0 * * * *` : `${s} 0 */${hours} * * *`;
  return `${s} 0 0 * * *`;
}

export class PollingFeed {
  private readonly tasks = new Map<Timeframe, ScheduledTask>();
  private readonly now: () => number;

  constructor(private readonly options: PollingFeedOptions) {
    this.now = options.now ?? Date.now;
  }

  /** (Re)creates the cron tasks for the timeframes currently watched. */
  async start(): Promise<void> {
    const wanted = new Set((await this.options.markets()).map((m) => m.timeframe));
    for (const [tf, task] of this.tasks) {
      if (!wanted.has(tf)) {
        await task.destroy();
        this.tasks.delete(tf);
      }
    }
    for (const tf of wanted) {
      if (this.tasks.has(tf)) continue;
      const task = cron.createTask(closeExpression(tf, this.options.delaySeconds), () => this.tick(tf), { timezone: 'UTC', noOverlap: true, name: `ita-poll-${tf}` });
      await task.start();
      this.tasks.set(tf, task);
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks.values()) await task.destroy();
    this.tasks.clear();
  }

  get timeframes(): Timeframe[] {
    return [...this.tasks.keys()];
  }

  /** One poll of every market of `tf`; returns what the pipeline was given. Public so tests drive it on a fake clock. */
  async tick(tf: Timeframe): Promise<ClosedCandle[]> {
    const { pipeline } = this.options;
    const markets = (await this.options.markets()).filter((m) => m.timeframe === tf);
    const expectedTs = periodStart(this.now(), tf) - timeframeMs(tf);
    const closes: ClosedCandle[] = [];
    await forEachLimited(markets, this.options.concurrency ?? 8, async (market) => {
      const source = this.options.sourceFor(market.exchange);
      if (!source) return;
      try {
        const newest = (await source.fetchClosedCandles(market.symbol, tf, 2)).at(-1);
        const last = pipeline.lastTs(market);
        // Older closes the feed missed are filled by the pipeline from the store or by backfill.
        if (newest && (last === undefined || newest.ts > last)) closes.push({ market, candle: newest });
        if (!newest || newest.ts < expectedTs) pipeline.events.emit({ type: 'feed-stale', market, lastTs: newest?.ts ?? last, expectedTs });
      } catch (error) {
        pipeline.events.emit({ type: 'error', where: 'poll', error: error as Error, market });
      }
    });
    // Deterministic order within a close (the ranking breaks ties by setup and symbol anyway).
    closes.sort((a, b) => a.market.symbol.localeCompare(b.market.symbol) || a.market.exchange.localeCompare(b.market.exchange));
    await pipeline.processCloses(closes);
    return closes;
  }
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}
