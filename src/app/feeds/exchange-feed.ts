/**
 * The exchange as the market: the live pipeline fed by the polling feed (one poll a few seconds after every close),
 * over the one gateway. A watched market first gets its warm-up history from the exchange when the store lacks it
 * (the detector's warm-up and the executor's 24h volume and volatility need it, exactly as in a backtest); then the
 * executor's statistics are warmed from the stored candles, at start and for every market watched later.
 */
import { listWatched } from '../../engine/journal/watchlist.ts';
import { getLatestCandles } from '../../engine/store/candles.ts';
import { candlesBefore, storeCandles } from '../../engine/journal/candle-history.ts';
import { periodStart, timeframeMs } from '../../engine/market/timeframes.ts';
import { warmupCandles } from '../../engine/setups/warmup.ts';
import { marketKey } from '../../engine/live/events.ts';
import { LiveEvents, startLive, type CandleSource, type LiveSystem } from '../../engine/live/index.ts';
import type { CandleFeed, FeedDeps } from './candle-feed.ts';

/** Candles of recent history the executor keeps in memory for its liquidity and volatility rules. */
const EXECUTOR_WARM_CANDLES = 200;

export interface ExchangeFeedOptions extends FeedDeps {
  /** The exchange id the gateway serves; markets of other exchanges get no candles. */
  exchangeId: string;
  source: CandleSource;
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
  const warmed = new Set<string>();
  const historyChecked = new Set<string>();
  // Candles CLOSED before the forming one, as many as the setups' warm-up or the executor's statistics need.
  const ensureHistory = async () => {
    for (const market of await listWatched(options.db)) {
      const key = marketKey(market);
      if (historyChecked.has(key) || market.exchange !== options.exchangeId) continue;
      historyChecked.add(key);
      const step = timeframeMs(market.timeframe);
      const end = periodStart(now(), market.timeframe);
      const count = Math.max(warmupCandles(options.registry.enabled(), market.timeframe), EXECUTOR_WARM_CANDLES);
      if ((await candlesBefore(options.db, market, end, count)).length >= count) continue;
      try {
        const fetched = (await options.source.backfill(market.symbol, market.timeframe, end - count * step, end)).filter((c) => c.ts < end);
        if (fetched.length > 0) await storeCandles(options, market, fetched);
      } catch (error) {
        // The pipeline fills holes on the next close; a market without history is reported, not fatal.
        historyChecked.delete(key);
        events.emit({ type: 'error', where: 'history', error: error as Error, market });
      }
    }
  };
  // Each market once, after the pipeline stored its history: a market watched while running needs its 24h volume
  // and volatility as much as one watched at start (else the liquidity rule refuses its first signals).
  const warmExecutor = async () => {
    for (const market of await listWatched(options.db)) {
      if (warmed.has(marketKey(market))) continue;
      warmed.add(marketKey(market));
      options.warm(market, await getLatestCandles(options.db, market, EXECUTOR_WARM_CANDLES));
    }
  };
  return {
    kind: 'exchange',
    events,
    runtime: { paused: () => live?.runtime.paused() ?? false, health: (market) => live?.runtime.health?.(market), regime: (market) => live?.runtime.regime?.(market) },
    now,
    async start() {
      await ensureHistory();
      live = await startLive({
        db: options.db,
        sqlite: options.sqlite,
        registry: options.registry,
        recipients: options.recipients,
        settings: options.settings,
        sourceFor: (exchange) => (exchange === options.exchangeId ? options.source : undefined),
        deliver: options.deliver,
        notifyDropped: options.notifyDropped,
        digest: options.digest,
        history: options.history,
        policy: options.policy,
        costs: options.costs,
        annotate: options.annotate,
        events,
        ...(options.now ? { now: options.now } : {}),
      });
      await warmExecutor();
    },
    async watchlistChanged() {
      await ensureHistory();
      await live?.watchlistChanged();
      await warmExecutor();
    },
    hold() {},
    release() {},
    async poll() {
      for (const tf of live?.feed.timeframes ?? []) await live!.feed.tick(tf);
    },
    stop: async () => live?.stop(),
  };
}
