/**
 * The market side of the running app behind one interface: where closed candles come from (the exchange polled on
 * every close, or the bundled sample candles replayed as a bar replay) and the clock they set. main.ts picks one
 * feed and wires it once; both drive the same live pipeline, so signals, the executor and the bot cannot tell them
 * apart except by the clock.
 */
import type { LiveEvents } from '../../engine/live/index.ts';
import type { LiveRuntime } from '../../engine/services/index.ts';
import type { Candle, MarketKey } from '../../engine/types.ts';

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
