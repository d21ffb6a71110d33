/**
 * "Probability, or not enough evidence": the only gate through which a model's probability may reach a caption or
 * the ranking. A probability is shown only for the setup version the model was trained on, and only when the lower
 * end of the model's out-of-sample AUC interval is above 0.5 (the model ranks signals better than chance with 95 %
 * confidence) on at least `minOutOfSample` scored signals, and its probabilities are at least as accurate (Brier score)
 * as always saying the base rate: a model that ranks well but states over-confident numbers shows none. Otherwise the
 * card says there is not enough evidence.
 */
import type { Signal } from '../types.ts';
import { signalFeatures, type FeatureSchema } from './features.ts';
import { predictProbability, type TrainedModel } from './model.ts';

export interface StoredMetaModel {
  setupId: string;
  setupVersion: string;
  trainedAt: number;
  n: number;
  nOutOfSample: number;
  auc: number;
  aucCi: [number, number];
  brier: number;
  /** Brier score of the training base rate on the same out-of-sample signals. */
  brierBaseline?: number;
  model: TrainedModel;
  schema: FeatureSchema;
}

export type SuccessEvidence =
  | { kind: 'probability'; probability: number; auc: number; aucCi: [number, number]; n: number; text: { en: string; ru: string } }
  | { kind: 'not-enough-evidence'; reason: string; text: { en: string; ru: string } };

export const MIN_OUT_OF_SAMPLE = 50;

export function successEvidence(model: StoredMetaModel | undefined, signal: Signal, minOutOfSample = MIN_OUT_OF_SAMPLE): SuccessEvidence {
  const none = (reason: string, en: string, ru: string): SuccessEvidence => ({ kind: 'not-enough-evidence', reason, text: { en, ru } });
  if (!model) return none('no model for this setup yet', 'Probability: not enough evidence yet (no model trained)', 'Вероятность: пока недостаточно данных (модель не обучена)');
  if (model.setupId !== signal.setupId || model.setupVersion !== signal.setupVersion) {
    return none(
      `the model belongs to ${model.setupId} ${model.setupVersion}, the signal to ${signal.setupId} ${signal.setupVersion}`,
      'Probability: not enough evidence yet (setup changed since the model was trained)',
      'Вероятность: пока недостаточно данных (сетап изменён после обучения модели)',
    );
  }
  const [low, high] = model.aucCi;
  const interval = `AUC ${fmt(model.auc)}, 95 % CI ${fmt(low)}–${fmt(high)}, ${model.nOutOfSample} signals`;
  const intervalRu = `AUC ${fmtRu(model.auc)}, 95 % ДИ ${fmtRu(low)}–${fmtRu(high)}, ${model.nOutOfSample} сигналов`;
  if (model.nOutOfSample < minOutOfSample) {
    return none(`only ${model.nOutOfSample} out-of-sample signals (need ${minOutOfSample})`, `Probability: not enough evidence yet (${interval})`, `Вероятность: пока недостаточно данных (${intervalRu})`);
  }
  if (!(low > 0.5)) {
    return none(`the AUC interval ${fmt(low)}–${fmt(high)} does not exclude chance (0.5)`, `Probability: not enough evidence yet (${interval})`, `Вероятность: пока недостаточно данных (${intervalRu})`);
  }
  if (model.brierBaseline !== undefined && !(model.brier <= model.brierBaseline)) {
    return none(
      `out-of-sample Brier ${fmt(model.brier)} is worse than the base rate's ${fmt(model.brierBaseline)}: the probabilities are over-confident`,
      `Probability: not enough evidence yet (${interval}; its probabilities are less accurate than the base rate)`,
      `Вероятность: пока недостаточно данных (${intervalRu}; её вероятности хуже базовой частоты)`,
    );
  }
  const probability = predictProbability(model.model, signalFeatures(signal, model.schema));
  const pct = Math.round(probability * 100);
  return {
    kind: 'probability',
    probability,
    auc: model.auc,
    aucCi: model.aucCi,
    n: model.nOutOfSample,
    text: { en: `Chance of success ${pct} % (${interval})`, ru: `Вероятность успеха ${pct} % (${intervalRu})` },
  };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const fmtRu = (x: number) => fmt(x).replace('.', ',');
