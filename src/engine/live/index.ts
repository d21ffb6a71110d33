/**
 * Wiring of the live path for main.ts: pipeline + polling feed + delivery worker over one database, started and
 * stopped together. Watchlist and setup changes take effect without a restart.
 */
import type SQLite from 'better-sqlite3';
import type { Setup } from '../setups/index.ts';
import type { JournalDb } from '../journal/signals.ts';
import type { SetupRegistry } from '../journal/setup-registry.ts';
import { listWatched } from '../journal/watchlist.ts';
import type { SettingsDefaults } from '../services/settings.ts';
import type { LiveRuntime } from '../services/status.ts';
import type { DetectorOptions } from '../signals/detector.ts';
import { DeliveryWorker, type Deliver, type DeliveryOptions } from './delivery.ts';
import { LiveEvents } from './events.ts';
import { LivePipeline, type CandleSource, type PipelineOptions, type Recipient } from './pipeline.ts';
import { PollingFeed } from './poll-feed.ts';

export { LivePipeline, type CandleSource, type ClosedCandle, type Recipient } from './pipeline.ts';
export { PollingFeed, closeExpression } from './poll-feed.ts';
export { ReplayFeed, replayCandles, type ReplayProgress } from './replay-feed.ts';
export { DeliveryWorker, type Deliver } from './delivery.ts';
export { LiveEvents, type LiveEvent, type LiveListener } from './events.ts';
export { releaseTime, parseQuietHours } from './quiet-hours.ts';

export interface LiveOptions {
  db: JournalDb;
  /** The raw SQLite connection (fast candle writes); none on PostgreSQL. */
  sqlite?: SQLite.Database;
  registry: SetupRegistry;
  recipients: Recipient[];
  settings: SettingsDefaults;
  sourceFor: (exchange: string) => CandleSource | undefined;
  /** The bot's sendSignal. */
  deliver: Deliver;
  /** The bot's notice of dropped deliveries (see delivery.ts). */
  notifyDropped?: DeliveryOptions['notifyDropped'];
  /** Bursts announced by one digest message (see delivery.ts). */
  digest?: DeliveryOptions['digest'];
  history?: DetectorOptions['history'];
  /** See PipelineOptions.annotate (the success evidence of the journal's learning). */
  annotate?: PipelineOptions['annotate'];
  warmupCandles?: number;
  /** The signal policy and the account's costs (see PipelineOptions). */
  policy?: PipelineOptions['policy'];
  costs?: PipelineOptions['costs'];
  delaySeconds?: number;
  now?: () => number;
  /** Events to emit on, when the caller subscribes before the start (warm-up errors, the first closes). */
  events?: LiveEvents;
}

export interface LiveSystem {
  pipeline: LivePipeline;
  feed: PollingFeed;
  worker: DeliveryWorker;
  events: LiveEvents;
  /** For the status service. */
  runtime: LiveRuntime;
  /** Call after the watchlist changed: feeds for new timeframes start, detectors of new markets warm up. */
  watchlistChanged(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLive(options: LiveOptions): Promise<LiveSystem> {
  const events = options.events ?? new LiveEvents();
  const worker = new DeliveryWorker({ db: options.db, deliver: options.deliver, now: options.now, events, notifyDropped: options.notifyDropped, digest: options.digest });
  const enabled = (): Setup[] => options.registry.enabled();
  const pipeline = new LivePipeline({
    db: options.db,
    sqlite: options.sqlite,
    setups: enabled,
    recipients: options.recipients,
    settings: options.settings,
    sourceFor: options.sourceFor,
    warmupCandles: options.warmupCandles,
    history: options.history,
    policy: options.policy,
    costs: options.costs,
    annotate: options.annotate,
    now: options.now,
    events,
    onQueued: () => worker.kick(),
  });
  const markets = () => listWatched(options.db);
  const feed = new PollingFeed({ pipeline, sourceFor: options.sourceFor, markets, delaySeconds: options.delaySeconds, now: options.now });
  const warmAll = async () => {
    for (const market of await markets()) await pipeline.warmUp(market);
  };
  // A changed setup is a new version: detectors restart from stored history with the new rules.
  const unsubscribe = options.registry.onChange(() => {
    pipeline.resetDetectors();
    warmAll().catch((error: Error) => events.emit({ type: 'error', where: 'warm-up', error }));
  });
  await warmAll();
  await feed.start();
  // Pending deliveries from before a restart go out first, in their original order.
  worker.start();
  return {
    pipeline,
    feed,
    worker,
    events,
    runtime: { paused: () => pipeline.isPaused(), health: (market) => pipeline.healthOf(market), regime: (market) => pipeline.regimeOf(market) },
    async watchlistChanged() {
      await warmAll();
      await feed.start();
    },
    async stop() {
      unsubscribe();
      await feed.stop();
      await worker.stop();
    },
  };
}
