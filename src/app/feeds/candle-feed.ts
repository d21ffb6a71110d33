/**
 * The market side of the running app behind one interface: where closed candles come from (the exchange polled on
 * every close, or the bundled sample candles replayed as a bar replay) and the clock they set. main.ts picks one
 * feed and wires it once; both drive the same live pipeline, so signals, the executor and the bot cannot tell them
 * apart except by the clock.
 */
import type { LiveEvents } from '../../engine/live/index.ts';
import type { LiveRuntime } from '../../engine/services/index.ts';
import type { Candle, MarketKey } from '../../engine/types.ts';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Deliver, Recipient } from '../../engine/live/index.ts';
import type { DeliveryOptions } from '../../engine/live/delivery.ts';
import type { PipelineOptions } from '../../engine/live/pipeline.ts';
import type { SetupRegistry } from '../../engine/journal/setup-registry.ts';
import type { SettingsDefaults } from '../../engine/services/settings.ts';
import type { DetectorOptions } from '../../engine/signals/detector.ts';
import type { Database } from '../../engine/store/schema.ts';

export interface CandleFeed {
  readonly kind: 'exchange' | 'sample';
  /** The pipeline's events (candles, signals, deliveries, errors): subscribe before start(). */
  readonly events: LiveEvents;
  /** What /status reads beyond the database (pause, per-market health). */
  readonly runtime: LiveRuntime;
  /** The market's present: the wall clock on the exchange, the replay's candle clock offline. */
  now(): number;
  /** Warms the pipeline and the executor's statistics, then starts delivering closes. */
  start(): Promise<void>;
  /** The watchlist changed: new markets warm up and join the feed without a restart. */
  watchlistChanged(): Promise<void>;
  /**
   * A pushed signal waits for the trader: a bar replay holds its clock until release (or its wait runs out); an
   * exchange feed cannot hold the market and ignores both.
   */
  hold(signalId: string): void;
  release(signalId: string): void;
  stop(): Promise<void>;
}

/** Candles of the executor's history before the feed's start (its liquidity and volatility rules need them). */
export type WarmExecutor = (market: MarketKey, candles: readonly Candle[]) => void;

/** What every feed hands its live pipeline and delivery worker. */
export interface FeedDeps {
  db: Kysely<Database>;
  /** The raw SQLite connection (fast candle writes); none on PostgreSQL. */
  sqlite?: SQLite.Database;
  registry: SetupRegistry;
  recipients: Recipient[];
  settings: SettingsDefaults;
  deliver: Deliver;
  notifyDropped: DeliveryOptions['notifyDropped'];
  /** Bursts announced by one digest message (see engine/live/delivery.ts). */
  digest?: DeliveryOptions['digest'];
  history: DetectorOptions['history'];
  /** The trading session's signal policy and the account's costs, applied before a signal is pushed. */
  policy?: PipelineOptions['policy'];
  costs?: PipelineOptions['costs'];
  /** The journal's learning: adds the tested success probability to new signals before ranking. */
  annotate?: PipelineOptions['annotate'];
  warm: WarmExecutor;
}
