import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/engine/store/database.ts';
import { learningMigrations, LEARNING_MIGRATION_TABLE } from '../../../src/engine/learning/store/migrations.ts';
import { loadModel } from '../../../src/engine/learning/store/models.ts';
import { retrainSetupModel, scheduleRetraining } from '../../../src/engine/learning/retrain.ts';
import type { Sample } from '../../../src/engine/learning/meta-model.ts';
import type { Signal } from '../../../src/engine/types.ts';
import { mulberry32 } from '../regime/synthetic.ts';
import { storeArea } from '../../helpers/store-area.ts';

const H = 3_600_000;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

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

describe('retraining and the model store', () => {
  it('stores the model with its setup version, survives a reopen, and retrains only after enough new outcomes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-learning-'));
    dirs.push(dir);
    const file = path.join(dir, 'ita.sqlite');
    const extra = { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations } };
    let opened = await openDatabase(file, extra);
    expect(await retrainSetupModel(storeArea(opened.db), 'demo', 'v1', samples(20))).toMatchObject({ status: 'skipped', reason: /need 40/ });
    const first = await retrainSetupModel(storeArea(opened.db), 'demo', 'v1', samples(300), { now: 1000, bootstrap: { replicates: 300 } });
    expect(first.status).toBe('trained');
    await opened.close();

    opened = await openDatabase(file, extra);
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

  it('schedules a job on a node-cron expression (UTC) and refuses a bad expression', async () => {
    let runs = 0;
    const task = scheduleRetraining(async () => void runs++, { cron: '* * * * * *' });
    await new Promise((resolve) => setTimeout(resolve, 2200));
    await task.stop();
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(() => scheduleRetraining(async () => {}, { cron: 'every day' })).toThrow(/not a valid cron expression/);
  });
});
