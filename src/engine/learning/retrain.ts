/**
 * Retraining as outcomes arrive: a setup version's model is trained again when enough newly decided outcomes exist
 * since the stored model (default 10), and stored under that version (a new version starts from nothing: its
 * signals are a different rule). The schedule helper runs a job on a node-cron expression, UTC, never two at once.
 * Wiring it into main.ts (which setups, where the samples come from: the journal's signals with outcomes) is the
 * composition root's job.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Kysely } from 'kysely';
import { evaluateMetaModel, type MetaModelOptions, type Sample } from './meta-model.ts';
import type { StoredMetaModel } from './evidence.ts';
import { loadModel, saveModel } from './store/models.ts';
import type { LearningDatabase } from './store/schema.ts';

export interface RetrainOptions extends MetaModelOptions {
  /** Train only when at least this many more decided samples exist than the stored model used. */
  minNewSamples?: number;
  /** Do not train below this many samples (a model on a handful of trades is noise). */
  minSamples?: number;
  now?: number;
}

export type RetrainResult =
  | { status: 'trained'; model: StoredMetaModel }
  | { status: 'skipped'; reason: string };

export async function retrainSetupModel(db: Kysely<LearningDatabase>, setupId: string, setupVersion: string, samples: readonly Sample[], options: RetrainOptions = {}): Promise<RetrainResult> {
  const own = samples.filter((s) => s.signal.setupId === setupId && s.signal.setupVersion === setupVersion);
  const minSamples = options.minSamples ?? 40;
  if (own.length < minSamples) return { status: 'skipped', reason: `${own.length} decided signals of ${setupId} ${setupVersion}; need ${minSamples}` };
  const existing = await loadModel(db, setupId, setupVersion);
  const minNew = options.minNewSamples ?? 10;
  if (existing && own.length - existing.n < minNew) {
    return { status: 'skipped', reason: `${own.length - existing.n} new outcomes since the last training; retrain after ${minNew}` };
  }
  const report = evaluateMetaModel(own, options);
  if (!report.model) return { status: 'skipped', reason: 'no model could be trained' };
  const model: StoredMetaModel = {
    setupId,
    setupVersion,
    trainedAt: options.now ?? Date.now(),
    n: report.n,
    nOutOfSample: report.nOutOfSample,
    auc: report.auc,
    aucCi: report.aucCi,
    brier: report.brier,
    brierBaseline: report.brierBaseline,
    model: report.model,
    schema: report.schema,
  };
  const { model: _model, schema: _schema, ...summary } = report;
  await saveModel(db, model, summary);
  return { status: 'trained', model };
}

/** Default: every day at 03:15:00 UTC (node-cron six-field expression). */
export const DEFAULT_RETRAIN_CRON = '0 15 3 * * *';

/** Starts `job` on a schedule; returns the task (call stop() on shutdown). Errors go to `onError`, the task keeps running. */
export function scheduleRetraining(job: () => Promise<unknown>, options: { cron?: string; onError?: (error: unknown) => void } = {}): ScheduledTask {
  const expression = options.cron ?? DEFAULT_RETRAIN_CRON;
  if (!cron.validate(expression)) throw new RangeError(`not a valid cron expression for retraining: "${expression}"`);
  const task = cron.createTask(
    expression,
    async () => {
      try {
        await job();
      } catch (error) {
        options.onError?.(error);
      }
    },
    { timezone: 'UTC', noOverlap: true, name: 'ita-learning-retrain' },
  );
  task.start();
  return task;
}
