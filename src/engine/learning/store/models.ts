/** Repository of success models: one per setup version, replaced when retrained. */
import type { Kysely } from 'kysely';
import type { StoredMetaModel } from '../evidence.ts';
import type { LearningDatabase } from './schema.ts';

const orNaN = (v: number | null) => (v === null ? NaN : v);
const orNull = (v: number) => (Number.isFinite(v) ? v : null);

export async function saveModel(db: Kysely<LearningDatabase>, model: StoredMetaModel, report: unknown = {}): Promise<void> {
  const row = {
    setup_id: model.setupId,
    setup_version: model.setupVersion,
    trained_at: model.trainedAt,
    n: model.n,
    n_oos: model.nOutOfSample,
    auc: orNull(model.auc),
    auc_low: orNull(model.aucCi[0]),
    auc_high: orNull(model.aucCi[1]),
    brier: orNull(model.brier),
    model_json: JSON.stringify({ model: model.model, schema: model.schema, brierBaseline: model.brierBaseline }),
    report_json: JSON.stringify(report),
  };
  await db
    .insertInto('learning_models')
    .values(row)
    .onConflict((oc) => oc.columns(['setup_id', 'setup_version']).doUpdateSet(row))
    .execute();
}

export async function loadModel(db: Kysely<LearningDatabase>, setupId: string, setupVersion: string): Promise<StoredMetaModel | undefined> {
  const row = await db.selectFrom('learning_models').selectAll().where('setup_id', '=', setupId).where('setup_version', '=', setupVersion).executeTakeFirst();
  if (!row) return undefined;
  const { model, schema, brierBaseline } = JSON.parse(row.model_json);
  return {
    setupId: row.setup_id,
    setupVersion: row.setup_version,
    trainedAt: row.trained_at,
    n: row.n,
    nOutOfSample: row.n_oos,
    auc: orNaN(row.auc),
    aucCi: [orNaN(row.auc_low), orNaN(row.auc_high)],
    brier: orNaN(row.brier),
    brierBaseline: typeof brierBaseline === 'number' ? brierBaseline : undefined,
    model,
    schema,
  };
}
