/**
 * The success model in the running app: a probability reaches a signal (caption, ranking) only through a model that
 * passed its out-of-sample test; otherwise the signal says "not enough evidence". Retraining follows new outcomes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../../../src/engine/store/database.ts';
import { describeBackends, type StoreLocation } from '../../../helpers/backends.ts';
import { learningMigrations, LEARNING_MIGRATION_TABLE } from '../../../../src/engine/learning/store/migrations.ts';
import { JournalLearning, journalSamples } from '../../../../src/engine/learning/journal/journal-learning.ts';
import { saveModel } from '../../../../src/engine/learning/store/models.ts';
import { featureSchema, signalFeatures } from '../../../../src/engine/learning/features.ts';
import { predictProbability, trainLogistic } from '../../../../src/engine/learning/model.ts';
import type { StoredMetaModel } from '../../../../src/engine/learning/evidence.ts';
import { rankSignals } from '../../../../src/engine/signals/scoring.ts';
import { signalCaption } from '../../../../src/bot/signals/signal-message.ts';
import { saveSignals } from '../../../../src/engine/journal/signals.ts';
import type { Signal } from '../../../../src/engine/types.ts';
import { makeSignal } from '../../journal/fixtures.ts';
import { seededRandom } from '../../../../src/engine/backtest/random.ts';
import { storeArea } from '../../../helpers/store-area.ts';

function model(signals: Signal[], ci: [number, number], nOutOfSample = 120): StoredMetaModel {
  const schema = featureSchema(signals);
  const rows = signals.map((s) => signalFeatures(s, schema));
  // Label: the RSI above 50 worked (a learnable rule, so the coefficients are not zero).
  const labels = signals.map((s) => (Number(s.context.rsi) > 50 ? 1 : 0) as 0 | 1);
  return {
    setupId: 'ema_cross', setupVersion: 'abc', trainedAt: 0, n: signals.length, nOutOfSample, auc: (ci[0] + ci[1]) / 2, aucCi: ci,
    brier: 0.2, brierBaseline: 0.25, model: trainLogistic(schema.names, rows, labels), schema,
  };
}

describeBackends('journal learning: evidence, ranking, retraining', (backend) => {
  let location: StoreLocation;
  let store: OpenedDatabase;
  const random = seededRandom(7);
  const signals = Array.from({ length: 60 }, (_, n) => makeSignal({ n, score: 6, context: { close: 100, rsi: 20 + random() * 60, structure: 'bullish' } }));
  beforeEach(async () => {
    location = await backend.create();
    store = await openDatabase(location.target, { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations } });
  });
  afterEach(async () => {
    await store.close();
    await location.drop();
  });

  it('a model whose AUC interval excludes 0.5 puts its probability into the signal; ranking uses it; the caption shows it', async () => {
    const stored = model(signals, [0.61, 0.74]);
    await saveModel(storeArea(store.db), stored);
    const learning = new JournalLearning({ db: storeArea(store.db), settings: { fees: { maker: 0.001, taker: 0.001 } } });
    const strong = makeSignal({ n: 100, score: 6, context: { close: 100, rsi: 75, structure: 'bullish' } });
    const weak = makeSignal({ n: 100, score: 6, setupId: 'ema_cross', context: { close: 100, rsi: 25, structure: 'bullish' } });
    weak.id = `${weak.id}:b`;
    const other = makeSignal({ n: 100, score: 6.5, setupId: 'other', setupVersion: 'x', context: { close: 100 } });
    await learning.annotate([strong, weak, other]);
    const pStrong = predictProbability(stored.model, signalFeatures(strong, stored.schema));
    const pWeak = predictProbability(stored.model, signalFeatures(weak, stored.schema));
    expect(strong.context.successEvidence).toBe('tested');
    expect(strong.context.successProbability).toBeCloseTo(pStrong, 12);
    expect(pStrong).toBeGreaterThan(0.75);
    expect(pWeak).toBeLessThan(0.25);
    expect(other.context.successEvidence).toBe('insufficient');
    expect(other.context.successProbability).toBeUndefined();
    // Ranking key = score + 4 × (p − 0.5): strong ≈ 6 + >1 beats the untested 6.5; weak ≈ 6 − >1 comes last.
    expect(rankSignals([weak, other, strong]).map((s) => s.id)).toEqual([strong.id, other.id, weak.id]);
    strong.context.regime = 'trend_up';
    const caption = signalCaption({ signal: strong, language: 'en', timeZone: 'UTC' });
    expect(caption).toContain('Regime: uptrend');
    expect(caption).toContain(`Chance of success ${Math.round(pStrong * 100)} % (out of sample: AUC 0.68, 95 % CI 0.61–0.74, 120 signals)`);
    expect(signalCaption({ signal: other, language: 'ru', timeZone: 'UTC' })).toContain('Вероятность успеха: пока недостаточно данных');
  });

  it('a model whose interval contains 0.5 shows no probability and leaves the ranking to the score', async () => {
    await saveModel(storeArea(store.db), model(signals, [0.46, 0.71]));
    const learning = new JournalLearning({ db: storeArea(store.db), settings: { fees: { maker: 0.001, taker: 0.001 } } });
    const a = makeSignal({ n: 100, score: 6, context: { close: 100, rsi: 75 } });
    const b = makeSignal({ n: 101, score: 6.5, context: { close: 100, rsi: 25 } });
    await learning.annotate([a, b]);
    expect([a.context.successEvidence, b.context.successEvidence]).toEqual(['insufficient', 'insufficient']);
    expect(a.context.successProbability).toBeUndefined();
    expect(rankSignals([a, b]).map((s) => s.id)).toEqual([b.id, a.id]);
    expect(signalCaption({ signal: a, language: 'en', timeZone: 'UTC' })).toContain('Chance of success: not enough evidence yet');
  });

  it('retrains the setup version after enough newly decided outcomes and stores the model under that version', async () => {
    // 60 journaled signals with closed outcomes: net R +1 when RSI > 50, else −1.
    await saveSignals(store.db, signals, 0);
    for (const s of signals) {
      const netR = Number(s.context.rsi) > 50 ? 1 : -1;
      await store.db.insertInto('learning_outcomes' as never).values({
        signal_id: s.id, setup_id: s.setupId, setup_version: s.setupVersion, exchange: s.exchange, symbol: s.symbol, timeframe: s.timeframe, signal_ts: s.ts,
        status: 'closed', taken: 0, net_r: netR, entry_ts: s.ts + 3_600_000, entry_price: 100, exit_ts: s.ts + 7_200_000, exit_reason: 'stop', reason: null,
        window_end_ts: s.ts + 7_200_000, updated_at: 0,
      } as never).execute();
    }
    const samples = await journalSamples(storeArea(store.db), 'ema_cross', 'abc');
    expect(samples).toHaveLength(60);
    expect(samples.filter((s) => s.label === 1).length).toBe(signals.filter((s) => Number(s.context.rsi) > 50).length);
    const trained: string[] = [];
    const learning = new JournalLearning({
      db: storeArea(store.db), settings: { fees: { maker: 0.001, taker: 0.001 } }, retrain: { minSamples: 40, minNewSamples: 10 },
      onRetrained: (id, version, result) => trained.push(`${id}@${version}:${result.status}`),
    });
    await learning.retrainAll();
    expect(trained).toEqual(['ema_cross@abc:trained']);
    const row = await store.db.selectFrom('learning_models' as never).selectAll().execute() as unknown as { setup_version: string; n: number }[];
    expect(row).toMatchObject([{ setup_version: 'abc', n: 60 }]);
    // Nothing new since: the next run skips.
    await learning.retrainAll();
    expect(trained[1]).toBe('ema_cross@abc:skipped');
  });
});
