/**
 * The bundled sample candles as the market (no exchange): the live pipeline and delivery worker driven by the bar
 * replay of ../sample-market.ts. The replay's clock is the market's present; a pushed signal holds it until the
 * trader decides (or the decision wait runs out). A newly watched sample market joins from where the replay is.
 */
import path from 'node:path';
import { addWatched, listWatched } from '../../engine/journal/watchlist.ts';
import { DeliveryWorker, LiveEvents, LivePipeline } from '../../engine/live/index.ts';
import type { Logger } from '../../logger.ts';
import { SAMPLE_MARKETS, seedSampleCandles, startSampleReplay, type SampleReplay } from '../sample-market.ts';
import type { CandleFeed, FeedDeps } from './candle-feed.ts';

export interface SampleFeedOptions extends FeedDeps {
  samplesDir: string;
  dataDir: string;
  replay: { speed: number; days: number; decisionWaitMs: number };
  logger: Logger;
}

/** Why a market cannot be watched offline (undefined when it is one of the bundled ones). */
export async function validateSampleMarket(market: { symbol: string; timeframe: string }): Promise<string | undefined> {
  return SAMPLE_MARKETS.some((s) => s.market.symbol === market.symbol && s.market.timeframe === market.timeframe)
    ? undefined
    : `offline mode replays only the bundled markets: ${SAMPLE_MARKETS.map((s) => `${s.market.symbol} ${s.market.timeframe}`).join(', ')}`;
}

export function sampleFeed(options: SampleFeedOptions): CandleFeed {
  const { db, logger } = options;
  const events = new LiveEvents();
  const worker = new DeliveryWorker({ db, deliver: options.deliver, events, now: () => now(), notifyDropped: options.notifyDropped, digest: options.digest });
  const pipeline = new LivePipeline({
    db,
    sqlite: options.sqlite,
    setups: () => options.registry.enabled(),
    recipients: options.recipients,
    settings: options.settings,
    history: options.history,
    policy: options.policy,
    costs: options.costs,
    annotate: options.annotate,
    events,
    onQueued: () => worker.kick(),
  });
  let replay: SampleReplay | undefined;
  // Before the replay starts the market has no present of its own.
  const now = (): number => replay?.now() ?? Date.now();
  const startReplay = () =>
    startSampleReplay({
      db,
      pipeline,
      markets: async () => listWatched(db),
      speed: options.replay.speed,
      days: options.replay.days,
      positionFile: path.join(options.dataDir, 'replay-position.json'),
      decisionWaitMs: options.replay.decisionWaitMs,
      // The executor must know prices as of the replay's present, not the end of the sample data.
      warm: (market, candles) => options.warm(market, candles),
      logger,
    });

  return {
    kind: 'sample',
    events,
    runtime: {
      paused: () => pipeline.isPaused(),
      regime: (market) => pipeline.regimeOf(market),
      // Stored sample data runs ahead of the replay; say where the replay is, not where the data ends.
      health: (market) => {
        const problem = pipeline.healthOf(market);
        const at = pipeline.lastTs(market);
        return problem ?? (at === undefined ? undefined : `bar replay at ${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
      },
    },
    now,
    async start() {
      await seedSampleCandles(db, options.sqlite, options.samplesDir, logger);
      if ((await listWatched(db)).length === 0) {
        for (const { market } of SAMPLE_MARKETS.filter((s) => s.market.symbol === 'BTC/USDT')) await addWatched(db, market, Date.now());
      }
      worker.start();
      replay = await startReplay();
    },
    // The replay's position is saved per close, so the restarted replay continues from where it was.
    async watchlistChanged() {
      await replay?.stop();
      replay = await startReplay();
    },
    hold: (signalId) => replay?.hold(signalId),
    release: (signalId) => replay?.release(signalId),
    async stop() {
      await replay?.stop();
      await worker.stop();
    },
  };
}
