/**
 * Meta-labelling: given that a setup fired, how likely is the signal to work? Samples are the setup's own signals
 * with a decided outcome (outcome.ts); the label is 1 when the outcome was positive net of costs (net R > 0).
 * Validation is out of sample only: purged, embargoed walk-forward folds (cross-validation.ts); every figure in the
 * report is computed on predictions for samples the model producing them never saw, nor any sample whose outcome
 * window overlapped theirs.
 */
import type { Candle, CostModel, Signal } from '../types.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { signalOutcome, type SignalOutcome } from './outcome.ts';
import { featureSchema, signalFeatures, type FeatureSchema } from './features.ts';
import { purgedFolds, type CvOptions } from './cross-validation.ts';
import { predictProbability, trainLogistic, type TrainedModel, type TrainOptions } from './model.ts';
import { bootstrapAucInterval, brierScore, calibrationTable, rocAuc, type CalibrationBin } from './metrics.ts';

export interface Sample {
  signal: Signal;
  outcome: SignalOutcome;
  /** Known at: the signal candle's close. */
  start: number;
  /** Decided at: the close of the last candle the outcome used. */
  end: number;
  label: 0 | 1;
}

export interface SampleOptions {
  costs?: CostModel;
  horizonBars?: number;
  breakEvenAtR?: number;
  trailAtrMultiple?: number;
}

/** Outcomes for every signal; only decided ones (closed) become samples. */
export function buildSamples(signals: readonly Signal[], candles: readonly Candle[], options: SampleOptions = {}): Sample[] {
  const samples: Sample[] = [];
  for (const signal of signals) {
    const outcome = signalOutcome(signal, candles, options);
    if (outcome.status !== 'closed') continue;
    const tf = timeframeMs(signal.timeframe);
    samples.push({ signal, outcome, start: signal.ts + tf, end: outcome.windowEndTs + tf, label: outcome.netR > 0 ? 1 : 0 });
  }
  return samples;
}

export interface FoldReport {
  train: number;
  test: number;
  purged: number;
  auc: number;
}

export interface MetaModelReport {
  setupId: string;
  setupVersion: string;
  /** Samples used (signals with a decided outcome). */
  n: number;
  /** Of which scored out of sample (the first walk-forward block only trains). */
  nOutOfSample: number;
  positives: number;
  auc: number;
  aucCi: [number, number];
  brier: number;
  /** Brier score of always predicting the training base rate: the model must beat this to be useful. */
  brierBaseline: number;
  calibration: CalibrationBin[];
  folds: FoldReport[];
  features: string[];
  schema: FeatureSchema;
  /** The model trained on all samples (what would be stored), with its standardised coefficients. */
  model: TrainedModel | undefined;
  coefficients: { feature: string; weight: number }[];
  assumptions: Record<string, string>;
}

export interface MetaModelOptions {
  cv?: CvOptions;
  /** Embargo after the outcome window, in candles of the setup's timeframe (default 0 with purging). */
  embargoBars?: number;
  train?: TrainOptions;
  bootstrap?: { replicates?: number; seed?: number };
  /** Extra assumption lines (costs, horizon) from the caller. */
  assumptions?: Record<string, string>;
  /** For experiments: features to use instead of the signal's (e.g. a deliberately leaking one in a test). */
  featuresOf?: (sample: Sample) => number[];
  featureNames?: string[];
}

export function evaluateMetaModel(samples: readonly Sample[], options: MetaModelOptions = {}): MetaModelReport {
  const first = samples[0]?.signal;
  const tf = first ? timeframeMs(first.timeframe) : 0;
  const schema: FeatureSchema = featureSchema(samples.map((s) => s.signal));
  const names = options.featureNames ?? schema.names;
  const rows = samples.map((s) => (options.featuresOf ? options.featuresOf(s) : signalFeatures(s.signal, schema)));
  const labels = samples.map((s) => s.label);
  const folds = purgedFolds(samples, { embargoMs: (options.embargoBars ?? 0) * tf, ...options.cv });
  const oosScores: number[] = [];
  const oosLabels: (0 | 1)[] = [];
  const oosBase: number[] = [];
  const foldReports: FoldReport[] = [];
  for (const fold of folds) {
    if (fold.train.length === 0) {
      foldReports.push({ train: 0, test: fold.test.length, purged: fold.purged, auc: NaN });
      continue;
    }
    const model = trainLogistic(names, fold.train.map((i) => rows[i]), fold.train.map((i) => labels[i]), options.train);
    const scores = fold.test.map((i) => predictProbability(model, rows[i]));
    const foldLabels = fold.test.map((i) => labels[i]);
    oosScores.push(...scores);
    oosLabels.push(...foldLabels);
    oosBase.push(...fold.test.map(() => model.baseRate));
    foldReports.push({ train: fold.train.length, test: fold.test.length, purged: fold.purged, auc: rocAuc(scores, foldLabels) });
  }
  const interval = bootstrapAucInterval(oosScores, oosLabels, options.bootstrap);
  const finalModel = samples.length > 0 ? trainLogistic(names, rows, labels, options.train) : undefined;
  return {
    setupId: first?.setupId ?? '',
    setupVersion: first?.setupVersion ?? '',
    n: samples.length,
    nOutOfSample: oosScores.length,
    positives: labels.filter((y) => y === 1).length,
    auc: rocAuc(oosScores, oosLabels),
    aucCi: [interval.low, interval.high],
    brier: brierScore(oosScores, oosLabels),
    brierBaseline: brierScore(oosBase, oosLabels),
    calibration: calibrationTable(oosScores, oosLabels),
    folds: foldReports,
    features: names,
    schema,
    model: finalModel,
    coefficients: finalModel ? names.map((feature, j) => ({ feature, weight: finalModel.weights[j + 1] })).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)) : [],
    assumptions: {
      label: 'a signal "works" when its triple-barrier outcome (stop, targets, time limit) is positive net of fees and slippage',
      validation: `${options.cv?.mode ?? 'walk-forward'} cross-validation, ${options.cv?.folds ?? 5} test folds; training samples whose outcome window overlaps a test sample's are purged${options.embargoBars ? `; embargo ${options.embargoBars} candles` : ''}; all scores are out of sample`,
      interval: `AUC 95 % interval: percentile bootstrap over the out-of-sample predictions (${interval.replicates} resamples)`,
      model: 'logistic regression (ml-logistic-regression), standardised features, intercept',
      ...options.assumptions,
    },
  };
}
