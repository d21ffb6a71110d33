/**
 * The exchange as the market: the live pipeline fed by the polling feed (one poll a few seconds after every close),
 * over the one gateway. The executor's statistics are warmed from the stored candles at start.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../../engine/store/schema.ts';
import type { SetupRegistry } from '../../engine/journal/setup-registry.ts';
import { listWatched } from '../../engine/journal/watchlist.ts';
import { getLatestCandles } from '../../engine/store/candles.ts';
import { LiveEvents, startLive, type CandleSource, type Deliver, type LiveSystem, type Recipient } from '../../engine/live/index.ts';
import type { DeliveryOptions } from '../../engine/live/delivery.ts';
import type { DetectorOptions } from '../../engine/signals/detector.ts';
import type { SettingsDefaults } from '../../engine/services/settings.ts';
import type { CandleFeed, WarmExecutor } from './candle-feed.ts';

/** Candles of recent history the executor keeps in memory for its liquidity and volatility rules. */
const EXECUTOR_WARM_CANDLES = 200;

export interface ExchangeFeedOptions {
  db: Kysely<Database>;
  sqlite: SQLite.Database;
  registry: SetupRegistry;
  recipients: Recipient[];
  settings: SettingsDefaults;
  /** The exchange id the gateway serves; markets of other exchanges get no candles. */
  exchangeId: string;
  source: CandleSource;
  deliver: Deliver;
  notifyDropped: DeliveryOptions['notifyDropped'];
  history: DetectorOptions['history'];
  warm: WarmExecutor;
  now?: () => number;
}

export interface ExchangeFeed extends CandleFeed {
  /** Polls every watched timeframe now instead of at its next scheduled close (tests run the exchange on a fake clock). */
  poll(): Promise<void>;
}

export function exchangeFeed(options: ExchangeFeedOptions): ExchangeFeed {
  const events = new LiveEvents();
  const now = options.now ?? Date.now;
  let live: LiveSystem | undefined;
  return {
    kind: 'exchange',
    events,
    runtime: { paused: () => live?.runtime.paused() ?? false, health: (market) => live?.runtime.health?.(market) },
    now,
    async start() {
      live = await startLive({
        db: options.db,
        sqlite: options.sqlite,
        registry: options.registry,
        recipients: options.recipients,
        settings: options.settings,
        sourceFor: (exchange) => (exchange === options.exchangeId ? options.source : undefined),
        deliver: options.deliver,
        notifyDropped: options.notifyDropped,
        history: options.history,
        events,
        ...(options.now ? { now: options.now } : {}),
      });
      for (const market of await listWatched(options.db)) options.warm(market, await getLatestCandles(options.db, market, EXECUTOR_WARM_CANDLES));
    },
    watchlistChanged: async () => live?.watchlistChanged(),
    hold() {},
    release() {},
    async poll() {
      for (const tf of live?.feed.timeframes ?? []) await live!.feed.tick(tf);
    },
    stop: async () => live?.stop(),
  };
}
