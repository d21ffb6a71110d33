/**
 * Learning from the journal while the app runs: outcomes as candles close (./outcome-tracker.ts), the success model
 * retrained per setup version as outcomes arrive (after every `retrainEvery` newly decided ones, and on a schedule),
 * the probability written into new signals' context only when the model passed its out-of-sample test
 * (../evidence.ts), and the decision edge for /setups and the reports (./decision-edge.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { MarketKey, Signal } from '../../types.ts';
import { fromRow } from '../../journal/signals.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import type { Sample } from '../meta-model.ts';
import type { SignalOutcome } from '../outcome.ts';
import { successEvidence, type StoredMetaModel } from '../evidence.ts';
import { loadModel } from '../store/models.ts';
import type { LearningJournalDatabase } from '../store/schema.ts';
import { asArea } from '../../store/area.ts';
import { retrainSetupModel, type RetrainOptions, type RetrainResult } from '../retrain.ts';
import { decisionEdge, type DecisionEdge } from './decision-edge.ts';
import { OutcomeTracker, type OutcomeTrackerOptions } from './outcome-tracker.ts';

export interface JournalLearningOptions extends OutcomeTrackerOptions {
  /** Retrain a setup version's model after this many newly decided outcomes (default 10). */
  retrainEvery?: number;
  retrain?: RetrainOptions;
  minEdgeSample?: number;
  onRetrained?: (setupId: string, setupVersion: string, result: RetrainResult) => void;
}

export class JournalLearning {
  readonly tracker: OutcomeTracker;
  private readonly models = new Map<string, StoredMetaModel | null>();
  private decidedSinceRetrain = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: JournalLearningOptions) {
    this.tracker = new OutcomeTracker(options);
  }

  /** A candle closed on `market`: bring its outcomes up to date (serialized, never two runs at once). */
  candleClosed(market: MarketKey): Promise<void> {
    const run = this.queue.then(async () => {
      const { decided } = await this.tracker.update(market);
      this.decidedSinceRetrain += decided;
      if (this.decidedSinceRetrain >= (this.options.retrainEvery ?? 10)) {
        this.decidedSinceRetrain = 0;
        await this.retrainAllNow();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Every market's outcomes (at start-up: candles that arrived while the app was down). */
  catchUp(): Promise<void> {
    const run = this.queue.then(() => this.tracker.update());
    this.queue = run.catch(() => undefined);
    return run.then(() => undefined);
  }

  /** Resolves when the work queued so far is done (shutdown waits for it; the database closes after). */
  drain(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Retrains every setup version that has outcomes (retrainSetupModel skips those without enough new ones). */
  retrainAll(): Promise<void> {
    const run = this.queue.then(() => this.retrainAllNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async retrainAllNow(): Promise<void> {
    const versions = (await sql<{ setup_id: string; setup_version: string }>`
      SELECT DISTINCT setup_id, setup_version FROM learning_outcomes WHERE status = 'closed'`.execute(this.options.db)).rows;
    for (const { setup_id, setup_version } of versions) {
      const samples = await journalSamples(this.options.db, setup_id, setup_version);
      const result = await retrainSetupModel(asArea(this.options.db), setup_id, setup_version, samples, { now: this.options.now?.(), ...this.options.retrain });
      if (result.status === 'trained') this.models.delete(`${setup_id}@${setup_version}`);
      this.options.onRetrained?.(setup_id, setup_version, result);
    }
  }

  /** Writes the success evidence into each signal's context (a probability only when the model passed its test). */
  async annotate(signals: Signal[]): Promise<void> {
    for (const signal of signals) {
      const evidence = successEvidence(await this.model(signal.setupId, signal.setupVersion), signal);
      if (evidence.kind === 'probability') {
        Object.assign(signal.context, {
          successEvidence: 'tested', successProbability: evidence.probability, successAuc: evidence.auc,
          successAucLow: evidence.aucCi[0], successAucHigh: evidence.aucCi[1], successN: evidence.n,
        });
      } else signal.context.successEvidence = 'insufficient';
    }
  }

  edge(setupId: string, setupVersion: string, since?: number): Promise<DecisionEdge> {
    return decisionEdge(this.options.db, setupId, setupVersion, { minSample: this.options.minEdgeSample, since });
  }

  private async model(setupId: string, setupVersion: string): Promise<StoredMetaModel | undefined> {
    const key = `${setupId}@${setupVersion}`;
    if (!this.models.has(key)) this.models.set(key, (await loadModel(asArea(this.options.db), setupId, setupVersion)) ?? null);
    return this.models.get(key) ?? undefined;
  }
}

/** The success model's samples from the journal: closed outcomes (taken or counterfactual), labelled net R > 0. */
export async function journalSamples(db: Kysely<LearningJournalDatabase>, setupId: string, setupVersion: string): Promise<Sample[]> {
  const rows = (await sql<Record<string, unknown>>`
    SELECT s.*, o.status AS o_status, o.taken AS o_taken, o.net_r AS o_net_r, o.entry_ts AS o_entry_ts, o.entry_price AS o_entry_price,
           o.exit_ts AS o_exit_ts, o.exit_reason AS o_exit_reason, o.window_end_ts AS o_window_end_ts
    FROM learning_outcomes o JOIN signals s ON s.id = o.signal_id
    WHERE o.setup_id = ${setupId} AND o.setup_version = ${setupVersion} AND o.status = 'closed' AND o.net_r IS NOT NULL
    ORDER BY s.ts, s.id`.execute(db)).rows;
  return rows.map((row) => {
    const signal = fromRow(row as never);
    const tf = timeframeMs(signal.timeframe);
    const netR = Number(row.o_net_r);
    const outcome = {
      signalId: signal.id, setupId, setupVersion, side: signal.side, status: 'closed', counterfactual: row.o_taken !== 1,
      entryTs: Number(row.o_entry_ts), entryPrice: Number(row.o_entry_price), exitTs: Number(row.o_exit_ts), netR, grossR: NaN, pnlPerUnit: NaN,
      barsHeld: Math.round((Number(row.o_exit_ts) - Number(row.o_entry_ts)) / tf), windowEndTs: Number(row.o_window_end_ts),
    } as unknown as SignalOutcome;
    return { signal, outcome, start: signal.ts + tf, end: Number(row.o_window_end_ts) + tf, label: netR > 0 ? 1 : 0 } satisfies Sample;
  });
}
