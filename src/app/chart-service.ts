/**
 * The bot's `charts` service: a signal's annotated chart, and a market's chart "now" (the latest stored candles with
 * the patterns the detector sees). Candles come from the candle store; nothing here fetches from an exchange.
 *
 * Charts render on the worker-thread pool (engine/charts/pool.ts), and ahead of time: signals are delivered one at a
 * time and in order, so when the delivery worker asks for one signal's chart, the charts of the signals pending
 * behind it (a whole burst, up to AHEAD_BURST) are handed to the pool at once, in delivery order, and each is sent
 * as soon as it is ready. The card's spec (a pattern-engine replay of 520 candles) is built on the render thread
 * too: this thread only reads the candles, so it stays free to poll, detect and send.
 */
import type { Kysely } from 'kysely';
import type { BotServices } from '../bot/services.ts';
import type { Database } from '../engine/store/schema.ts';
import type { Candle, MarketKey, Signal } from '../engine/types.ts';
import { getCandles, getLatestCandles } from '../engine/store/candles.ts';
import { renderSignalChart } from '../engine/charts/signal-chart.ts';
import { sharedChartPool } from '../engine/charts/pool.ts';
import type { RenderedChart } from '../engine/charts/signal-chart.ts';
import type { SignalChartSpec } from '../engine/charts/spec.ts';
import { pendingItems } from '../engine/journal/outbox.ts';
import { buildMarketChartSpec, signalCardInput, signalCardSpec, type SignalCardInput } from '../engine/signals/chart-spec.ts';
import type { Setup } from '../engine/setups/loader.ts';
import { timeframeMs } from '../engine/market/timeframes.ts';
import { InputError } from '../engine/errors.ts';

/** Enough history for indicators (EMA 200) and pattern state to exist at the chart's left edge. */
const HISTORY = 520;
/** A chart rendered ahead is kept this long for its delivery (and for the signal's other recipients). */
const AHEAD_TTL_MS = 10 * 60_000;
const AHEAD_MAX = 300;
/**
 * Pending signals whose charts are started together: a burst (many markets signalling at one close) goes to the
 * pool at once, so no thread waits for the next delivery to be told what to render.
 */
const AHEAD_BURST = 32;

/** What the service needs of a render pool (engine/charts/pool.ts ChartRenderPool). */
export interface SignalChartThreads {
  renderSignalChart(spec: SignalChartSpec): Promise<RenderedChart>;
  /** A signal card whose spec is built on the render thread. */
  renderSignalCard(input: SignalCardInput): Promise<RenderedChart>;
}

export interface ChartServiceOptions {
  /** Where charts render: a pool (default: the process's shared pool) or false for this thread (tools, tests). */
  pool?: SignalChartThreads | false;
}

export function createChartService(db: Kysely<Database>, setups: () => readonly Setup[], options: ChartServiceOptions = {}): BotServices['charts'] {
  // Bound on first use and kept: after shutdown closed it, a late call fails instead of starting a new pool.
  let bound: SignalChartThreads | false | undefined = options.pool;
  const pool = () => (bound ??= sharedChartPool());
  const render = async (spec: SignalChartSpec): Promise<Buffer> => {
    const threads = pool();
    return (await (threads ? threads.renderSignalChart(spec) : renderSignalChart(spec))).png;
  };
  const candlesUpTo = async (market: MarketKey, ts: number): Promise<Candle[]> =>
    getCandles(db, market, { from: ts - HISTORY * timeframeMs(market.timeframe), to: ts });
  const signalChart = async (signal: Signal): Promise<Buffer> => {
    const market = { exchange: signal.exchange, symbol: signal.symbol, timeframe: signal.timeframe };
    const candles = await candlesUpTo(market, signal.ts);
    const setup = setups().find((s) => s.id === signal.setupId && s.version === signal.setupVersion) ?? setups().find((s) => s.id === signal.setupId);
    const input = signalCardInput(signal, candles, setup);
    const threads = pool();
    return (await (threads ? threads.renderSignalCard(input) : renderSignalChart(signalCardSpec(input)))).png;
  };

  // A signal's chart depends only on candles up to its own candle, which never change: rendering early is safe.
  const ahead = new Map<string, { png: Promise<Buffer>; at: number }>();
  const renderAhead = async (): Promise<void> => {
    const threads = pool();
    if (!threads) return;
    const now = Date.now();
    // Oldest first (insertion order): drop the expired, and keep the map bounded even in a very long burst.
    for (const [id, entry] of ahead) if (now - entry.at > AHEAD_TTL_MS || ahead.size > AHEAD_MAX) ahead.delete(id);
    for (const item of await pendingItems(db, AHEAD_BURST)) {
      if (ahead.has(item.signal.id)) continue;
      const png = signalChart(item.signal);
      ahead.set(item.signal.id, { png, at: now });
      // A failed early render is forgotten; the delivery then renders (and reports) it itself.
      png.catch(() => ahead.delete(item.signal.id));
    }
  };

  return {
    async signal(signal: Signal) {
      const early = ahead.get(signal.id);
      const png = early ? early.png : signalChart(signal);
      if (!early) {
        ahead.set(signal.id, { png, at: Date.now() });
        png.catch(() => ahead.delete(signal.id));
      }
      void renderAhead().catch(() => undefined);
      return png;
    },
    async market(market: MarketKey, at?: number) {
      // As of the run's clock: in a bar replay the stored sample runs ahead, and the chart must not show that future.
      const candles = at === undefined
        ? await getLatestCandles(db, market, HISTORY)
        : await getCandles(db, market, { from: at - (HISTORY + 1) * timeframeMs(market.timeframe), to: at - timeframeMs(market.timeframe) });
      if (candles.length < 20) {
        throw new InputError(`not enough stored candles for ${market.symbol} ${market.timeframe} on ${market.exchange} (have ${candles.length}); /watch it first`, {
          field: 'market',
        });
      }
      return render(buildMarketChartSpec(market, candles));
    },
  };
}
