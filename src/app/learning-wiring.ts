/**
 * The journal's learning in the running app (main.ts calls startLearning once): outcomes as candles close, models
 * retrained as outcomes arrive and every night, the success evidence on new signals, the decision edge for /setups
 * and the reports, and the labelled examples the trader sends in the chat.
 */
import type { Kysely } from 'kysely';
import type { LearningJournalDatabase } from '../engine/learning/store/schema.ts';
import { asArea } from '../engine/store/area.ts';
import type { Signal } from '../engine/types.ts';
import type { Logger } from '../logger.ts';
import type { SetupRegistry } from '../engine/journal/setup-registry.ts';
import { marketKey, type LiveEvent } from '../engine/live/events.ts';
import type { MarketKey } from '../engine/types.ts';
import { describeError } from '../engine/errors.ts';
import { JournalLearning } from '../engine/learning/journal/journal-learning.ts';
import type { DecisionEdge } from '../engine/learning/journal/decision-edge.ts';
import { scheduleRetraining, DEFAULT_RETRAIN_CRON } from '../engine/learning/retrain.ts';
import { LabelService } from '../engine/learning/labels/service.ts';
import { checkLabels } from '../engine/learning/labels/check.ts';
import { decisionEdgeReport } from '../bot/format/learning.ts';
import { installLabelsFeature } from '../bot/learning/labels.ts';
import type { ItaBot } from '../bot/create-bot.ts';
import type { Language } from '../bot/services.ts';
import path from 'node:path';

export interface LearningWiringOptions {
  db: Kysely<LearningJournalDatabase>;
  dataDir: string;
  registry: SetupRegistry;
  /** The paper account's fees: counterfactual outcomes cost what a taken trade costs. */
  fees: { maker: number; taker: number };
  clock: () => number;
  logger: Logger;
  retrainCron?: string;
}

export interface AppLearning {
  /** Subscribe to the live pipeline's events (candles decide outcomes; they carry the regime). */
  onLiveEvent(event: LiveEvent): void;
  annotate(signals: Signal[]): Promise<void>;
  edge(setupId: string, version: string, since?: number): Promise<DecisionEdge>;
  labels: LabelService;
  learning: JournalLearning;
  /** Resolves when every outcome update asked for so far is done (the deferred ones included). */
  idle(): Promise<void>;
  /** The weekly / monthly report's decision-edge section (telegramReportSender's appendix). */
  reportAppendix(period: string, language: Language): Promise<string | undefined>;
  stop(): Promise<void>;
}

export function startLearning(o: LearningWiringOptions): AppLearning {
  const learning = new JournalLearning({
    db: o.db,
    settings: { fees: o.fees },
    // A signal's management comes from the version that produced it; an edited setup's old signals keep their context.
    setupFor: (id, version) => {
      const setup = o.registry.get(id)?.setup;
      return setup && setup.version === version ? setup : undefined;
    },
    now: o.clock,
    onRetrained: (setupId, setupVersion, result) => {
      if (result.status === 'trained') {
        o.logger.info('success model retrained', { setup: `${setupId}@${setupVersion}`, n: result.model.n, auc: result.model.auc, aucLow: result.model.aucCi[0] });
      }
    },
  });
  const failed = (what: string) => (error: unknown) => o.logger.warn(`learning: ${what} failed`, { error: describeError(error) });
  // Outcomes that later candles decided while the app was down are caught up on the first candle, not at start-up:
  // the offline replay's clock is set only when it starts, and no outcome may read candles past it.
  let caughtUp = false;
  const task = scheduleRetraining(() => learning.retrainAll(), { cron: o.retrainCron ?? DEFAULT_RETRAIN_CRON, onError: failed('scheduled retraining') });
  const updates = deferredUpdates((market) => learning.candleClosed(market), failed('updating outcomes'));
  return {
    onLiveEvent(event) {
      if (event.type !== 'candle') return;
      if (!caughtUp) {
        caughtUp = true;
        learning.catchUp().catch(failed('catching up on outcomes'));
      }
      updates.add(event.market);
    },
    idle: async () => {
      await updates.idle();
      await learning.drain();
    },
    annotate: (signals) => learning.annotate(signals),
    edge: (id, version, since) => learning.edge(id, version, since),
    labels: new LabelService(asArea(o.db), o.dataDir),
    learning,
    reportAppendix: (period, language) =>
      decisionEdgeReport(period, o.registry.enabled().map((s) => ({ id: s.id, version: s.version })), (id, version) => learning.edge(id, version), language),
    async stop() {
      await task.stop();
      await updates.idle();
      await learning.drain();
    },
  };
}

/**
 * Outcome updates give way to the signal delivered at the same close. The database is synchronous, so an update run
 * straight from the candle event would hold the event loop for every market at once (live bench, 150 markets: 22 ms of
 * CPU per close with 11 journaled signals, 285 ms with 550); here each market's update waits for its own turn of the
 * event loop, so the delivery's chart and Telegram callbacks run in between. A market that closes again before its turn is updated once.
 */
function deferredUpdates(update: (market: MarketKey) => Promise<void>, failed: (error: unknown) => void) {
  const pending = new Map<string, MarketKey>();
  let running: Promise<void> | undefined;
  const drain = async () => {
    while (pending.size > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const [key, market] = pending.entries().next().value as [string, MarketKey];
      pending.delete(key);
      await update(market).catch(failed);
    }
    running = undefined;
  };
  return {
    add(market: MarketKey) {
      pending.set(marketKey(market), market);
      running ??= drain();
    },
    idle: () => running ?? Promise.resolve(),
  };
}

/** Labels in the chat (screenshots, CSV files) and /labels, checked against the stored candles. */
export function installLearningChat(ita: Pick<ItaBot, 'commands' | 'handlers' | 'download'>, learning: AppLearning, o: Pick<LearningWiringOptions, 'db' | 'dataDir' | 'registry'>): void {
  installLabelsFeature(ita, {
    labels: learning.labels,
    check: (labels) =>
      checkLabels({
        db: asArea(o.db),
        labels,
        setupFor: (id) => o.registry.get(id)?.setup,
        chartsDir: path.join(o.dataDir, 'labels', 'checks', new Date().toISOString().replace(/[:.]/g, '-')),
      }),
  });
}
