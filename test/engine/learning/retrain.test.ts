import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/engine/store/database.ts';
import { learningMigrations, LEARNING_MIGRATION_TABLE } from '../../../src/engine/learning/store/migrations.ts';
import { loadModel, saveModel } from '../../../src/engine/learning/store/models.ts';
import type { StoredMetaModel } from '../../../src/engine/learning/evidence.ts';
import { retrainSetupModel, scheduleRetraining } from '../../../src/engine/learning/retrain.ts';
import type { Sample } from '../../../src/engine/learning/meta-model.ts';
import type { Signal } from '../../../src/engine/types.ts';
import { mulberry32 } from '../regime/synthetic.ts';
import { describeBackends, type StoreLocation } from '../../helpers/backends.ts';
import { storeArea } from '../../helpers/store-area.ts';

const H = 3_600_000;

function samples(count: number, version = 'v1'): Sample[] {
  const rand = mulberry32(3);
  return Array.from({ length: count }, (_, i) => {
    const score = rand() * 10;
    const signal = {
      id: `s${i}`, setupId: 'demo', setupVersion: version, setupName: 'demo', exchange: 'x', symbol: 'BTC/USDT', timeframe: '1h',
      side: 'long', ts: i * 5 * H, entryType: 'market', entry: 100, stop: 98, targets: [], rr: 2, score, rank: 1,
      reasons: { strengths: [], weaknesses: [] }, context: { close: 100, atr: 1 }, validUntil: 0,
    } as Signal;
    const label = rand() < 1 / (1 + Math.exp(-(score - 5))) ? 1 : 0;
    return { signal, outcome: {} as Sample['outcome'], start: (i * 5 + 1) * H, end: (i * 5 + 11) * H, label };
  });
}

const extra = { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations } };

function storedModel(trainedAt: number, fit: Pick<StoredMetaModel, 'auc' | 'aucCi' | 'brier'>): StoredMetaModel {
  return {
    setupId: 'demo', setupVersion: 'v1', trainedAt, n: 12, nOutOfSample: 4, ...fit, brierBaseline: 0.25,
    model: { features: ['score'], mean: [5.5], scale: [2.872281323269], weights: [-0.1, 0.7], baseRate: 0.5, library: 'ml-logistic-regression@2' },
    schema: { names: ['score'], contextKeys: [{ key: 'atr', priceScale: true }] },
  };
}

describeBackends('the model store', (backend) => {
  let location: StoreLocation;
  beforeEach(async () => {
    location = await backend.create();
  });
  afterEach(() => location.drop());

  it('keeps an AUC or Brier score that could not be computed as NaN, and a retrained model replaces the old one', async () => {
    const opened = await openDatabase(location.target, extra);
    try {
      const untested = storedModel(1000, { auc: NaN, aucCi: [NaN, NaN], brier: NaN });
      await saveModel(storeArea(opened.db), untested, { note: 'one class only' });
      expect(await loadModel(storeArea(opened.db), 'demo', 'v1')).toEqual(untested);
      const retrained = storedModel(2000, { auc: 0.6180339887498949, aucCi: [0.5000000000000001, 0.7320508075688772], brier: 0.1 + 0.2 });
      await saveModel(storeArea(opened.db), retrained);
      expect(await loadModel(storeArea(opened.db), 'demo', 'v1')).toEqual(retrained);
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM learning_models`.execute(opened.db);
      expect(Number(rows[0].n)).toBe(1);
    } finally {
      await opened.close();
    }
  });

  it('stores the model with its setup version, survives a reopen, and retrains only after enough new outcomes', async () => {
    let opened = await openDatabase(location.target, extra);
    expect(await retrainSetupModel(storeArea(opened.db), 'demo', 'v1', samples(20))).toMatchObject({ status: 'skipped', reason: /need 40/ });
    const first = await retrainSetupModel(storeArea(opened.db), 'demo', 'v1', samples(300), { now: 1000, bootstrap: { replicates: 300 } });
    expect(first.status).toBe('trained');
    await opened.close();

    opened = await openDatabase(location.target, extra);
    const stored = await loadModel(storeArea(opened.db), 'demo', 'v1');
    expect(stored).toMatchObject({ setupId: 'demo', setupVersion: 'v1', trainedAt: 1000, n: 300 });
    expect(stored!.aucCi[0]).toBeGreaterThan(0.5);
    expect(stored!.model.features).toContain('score');
    expect(await loadModel(storeArea(opened.db), 'demo', 'v2')).toBeUndefined();
    expect(await retrainSetupModel(storeArea(opened.db), 'demo', 'v1', samples(305))).toMatchObject({ status: 'skipped', reason: /5 new outcomes/ });
    const again = await retrainSetupModel(storeArea(opened.db), 'demo', 'v1', samples(320), { now: 2000, bootstrap: { replicates: 300 } });
    expect(again.status).toBe('trained');
    expect((await loadModel(storeArea(opened.db), 'demo', 'v1'))!.trainedAt).toBe(2000);
    await opened.close();
  });
});

describe('retraining schedule', () => {
  it('schedules a job on a node-cron expression (UTC) and refuses a bad expression', async () => {
    let runs = 0;
    const task = scheduleRetraining(async () => void runs++, { cron: '* * * * * *' });
    await new Promise((resolve) => setTimeout(resolve, 2200));
    await task.stop();
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(() => scheduleRetraining(async () => {}, { cron: 'every day' })).toThrow(/not a valid cron expression/);
  });
});
