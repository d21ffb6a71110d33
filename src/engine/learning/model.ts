/**
 * The learner: logistic regression from mljs (`ml-logistic-regression`, batch gradient ascent on the log-likelihood,
 * on `ml-matrix`). Why this one: few hundred signals per setup version is small data, where a linear model with
 * few parameters overfits far less than boosted trees, gives probabilities that are close to calibrated out of the
 * box, and its coefficients are the explanation the specification asks for (which feature pushes the probability
 * up or down). mljs is a maintained pure-JavaScript family (no native build, works on Node 20).
 *
 * Around it: features are standardised with the TRAINING sample's mean and deviation, an intercept column is added,
 * and the number of gradient steps is kept modest (early stopping is the regularisation; the library has no penalty).
 * The library's gradient is a sum over samples, so the step is scaled by 1/n to behave the same for any sample size.
 */
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';

export interface TrainedModel {
  features: string[];
  mean: number[];
  scale: number[];
  /** Intercept first, then one weight per standardised feature. */
  weights: number[];
  /** Base rate of positives in training (used alone when a class is missing). */
  baseRate: number;
  library: 'ml-logistic-regression@2';
}

export interface TrainOptions {
  steps?: number;
  /** Step on the MEAN gradient (the library's step is this / n). */
  learningRate?: number;
}

export function trainLogistic(features: string[], rows: readonly number[][], labels: readonly (0 | 1)[], options: TrainOptions = {}): TrainedModel {
  const n = rows.length;
  const d = features.length;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(1);
  for (let j = 0; j < d; j++) {
    // Missing values (NaN) are left out of the moments and enter the model as the mean (0 after standardising).
    let sum = 0;
    let count = 0;
    for (const row of rows) if (Number.isFinite(row[j])) (sum += row[j]), count++;
    mean[j] = count > 0 ? sum / count : 0;
    let sq = 0;
    for (const row of rows) if (Number.isFinite(row[j])) sq += (row[j] - mean[j]) ** 2;
    const sd = count > 1 ? Math.sqrt(sq / (count - 1)) : 0;
    scale[j] = sd > 1e-12 ? sd : 1;
  }
  const positives = labels.reduce<number>((s, y) => s + y, 0);
  const baseRate = n > 0 ? positives / n : 0.5;
  const model: TrainedModel = { features, mean, scale, weights: new Array(d + 1).fill(0), baseRate, library: 'ml-logistic-regression@2' };
  model.weights[0] = logit(clamp(baseRate));
  if (positives === 0 || positives === n) return model;
  const x = new Matrix(rows.map((row) => design(model, row)));
  const y = Matrix.columnVector(labels.map((v) => v));
  const learner = new LogisticRegression({ numSteps: options.steps ?? 200, learningRate: (options.learningRate ?? 0.05) / n });
  learner.train(x, y);
  // One-vs-all over classes {0, 1}: the first classifier scores "not class 0", i.e. P(label = 1).
  model.weights = learner.classifiers[0].weights.to1DArray();
  return model;
}

export function predictProbability(model: TrainedModel, row: readonly number[]): number {
  const z = design(model, row).reduce((s, v, j) => s + v * model.weights[j], 0);
  return 1 / (1 + Math.exp(-z));
}

function design(model: Pick<TrainedModel, 'mean' | 'scale'>, row: readonly number[]): number[] {
  const out = [1];
  for (let j = 0; j < model.mean.length; j++) {
    const v = Number.isFinite(row[j]) ? (row[j] - model.mean[j]) / model.scale[j] : 0;
    out.push(v);
  }
  return out;
}

function clamp(p: number): number {
  return Math.min(0.99, Math.max(0.01, p));
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}
