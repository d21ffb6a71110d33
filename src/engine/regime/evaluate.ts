/**
 * `ita eval regime`: the classifier against the forward-looking reference labels (reference-labels.ts).
 *
 * Accuracy and F1 are over candles where both the classifier (past warm-up) and the reference (not in the last
 * horizon candles) have a label. The majority-label baseline says what "always answer the commonest regime" would
 * score, so accuracy is read against it, not against 0.
 *
 * False switch: a switch of the regime in force that is undone, back to the regime it replaced, within
 * 2 × min_bars_hold candles (a flip-flop that would have switched setups on and off for nothing). The rate is false
 * switches / all switches; the specification's target is ≤ 5 %. The same figure without hysteresis (the raw label)
 * shows what the switching rule buys.
 */
import type { Candle } from '../types.ts';
import { classifyRegimes, type RegimeClassifierOptions } from './classifier.ts';
import { referenceLabels, type ReferenceLabelOptions } from './reference-labels.ts';
import { REGIMES, type Regime } from './types.ts';

export interface LabelScore {
  label: Regime;
  precision: number;
  recall: number;
  f1: number;
  /** Candles with this reference label. */
  support: number;
  /** Candles the classifier put in this regime. */
  predicted: number;
}

export interface SwitchStats {
  switches: number;
  falseSwitches: number;
  /** falseSwitches / switches (0 when there were no switches). */
  falseSwitchRate: number;
  /** Switches per 1,000 candles. */
  perThousandBars: number;
}

export interface RegimeEvalReport {
  source: string;
  candles: number;
  /** Candles scored (both labels known). */
  scored: number;
  accuracy: number;
  macroF1: number;
  /**
   * Descriptive check, not a forecast: the classifier's regime at t + horizon (when the window has just happened)
   * against the reference label of the window (t, t + horizon]. Says whether it recognises a regime it has seen.
   */
  recognition: { accuracy: number; macroF1: number; lagBars: number };
  majorityBaseline: { label: Regime; accuracy: number };
  perLabel: LabelScore[];
  /** confusion[reference][predicted] counts. */
  confusion: Record<Regime, Record<Regime, number>>;
  switching: SwitchStats;
  switchingWithoutHysteresis: SwitchStats;
  minBarsHold: number;
  referenceRule: string;
  classifierRule: string;
}

export interface RegimeEvalOptions {
  source?: string;
  classifier?: RegimeClassifierOptions;
  reference?: ReferenceLabelOptions;
}

export function evaluateRegimes(candles: readonly Candle[], options: RegimeEvalOptions = {}): RegimeEvalReport {
  const readings = classifyRegimes(candles, options.classifier);
  const reference = referenceLabels(candles, options.reference);
  const predicted = readings.map((r) => r.regime);
  const raw = readings.map((r) => r.raw);
  const minBarsHold = options.classifier?.minBarsHold ?? 6;
  const horizon = options.reference?.horizon ?? 24;

  const confusion = Object.fromEntries(REGIMES.map((a) => [a, Object.fromEntries(REGIMES.map((b) => [b, 0]))])) as RegimeEvalReport['confusion'];
  let scored = 0;
  let correct = 0;
  for (let i = 0; i < candles.length; i++) {
    const ref = reference[i];
    const pred = predicted[i];
    if (ref === undefined || pred === undefined) continue;
    scored++;
    confusion[ref][pred]++;
    if (ref === pred) correct++;
  }
  const perLabel = REGIMES.map((label) => scoreLabel(label, confusion));
  const lagged = agreement(reference, predicted, horizon);
  const present = perLabel.filter((s) => s.support > 0 || s.predicted > 0);
  const majority = perLabel.reduce((best, s) => (s.support > best.support ? s : best), perLabel[0]);
  return {
    source: options.source ?? 'candles',
    candles: candles.length,
    scored,
    accuracy: scored > 0 ? correct / scored : NaN,
    macroF1: present.length > 0 ? present.reduce((sum, s) => sum + s.f1, 0) / present.length : NaN,
    recognition: { accuracy: lagged.accuracy, macroF1: lagged.macroF1, lagBars: horizon },
    majorityBaseline: { label: majority.label, accuracy: scored > 0 ? majority.support / scored : NaN },
    perLabel,
    confusion,
    switching: switchStats(predicted, 2 * minBarsHold),
    switchingWithoutHysteresis: switchStats(raw, 2 * minBarsHold),
    minBarsHold,
    referenceRule: `forward ${horizon} candles: trend when |return| ≥ 1 × realised volatility × √${horizon}; panic when that volatility is in the top 5 % of the surrounding 300 candles and the move is a fall of ≥ 0.5 × it; else range high/low volatility by the median of the surrounding 300 candles`,
    classifierRule: 'closed candles only: EMA 20/50 + rising/falling EMA 50 + ADX 14 ≥ 30 (held while ≥ 22) for trends; hv 20 vs its rolling median (± 20 % band) / 95th percentile (300 candles) for volatility; panic = top-5 % volatility and a 6-candle fall ≥ 2.5 typical moves; min_bars_hold hysteresis',
  };
}

/** Accuracy and macro F1 of predicted[t + lag] against reference[t]. */
function agreement(reference: readonly (Regime | undefined)[], predicted: readonly (Regime | undefined)[], lag: number): { accuracy: number; macroF1: number } {
  const confusion = Object.fromEntries(REGIMES.map((a) => [a, Object.fromEntries(REGIMES.map((b) => [b, 0]))])) as RegimeEvalReport['confusion'];
  let scored = 0;
  let correct = 0;
  for (let t = 0; t + lag < predicted.length; t++) {
    const ref = reference[t];
    const pred = predicted[t + lag];
    if (ref === undefined || pred === undefined) continue;
    scored++;
    confusion[ref][pred]++;
    if (ref === pred) correct++;
  }
  const scores = REGIMES.map((label) => scoreLabel(label, confusion)).filter((s) => s.support > 0 || s.predicted > 0);
  return { accuracy: scored > 0 ? correct / scored : NaN, macroF1: scores.length > 0 ? scores.reduce((sum, s) => sum + s.f1, 0) / scores.length : NaN };
}

function scoreLabel(label: Regime, confusion: RegimeEvalReport['confusion']): LabelScore {
  const tp = confusion[label][label];
  let support = 0;
  let predicted = 0;
  for (const other of REGIMES) {
    support += confusion[label][other];
    predicted += confusion[other][label];
  }
  const precision = predicted > 0 ? tp / predicted : 0;
  const recall = support > 0 ? tp / support : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { label, precision, recall, f1, support, predicted };
}

/** Counts switches between known labels and those undone (back to the replaced label) within `window` candles. */
export function switchStats(labels: readonly (Regime | undefined)[], window: number): SwitchStats {
  const switches: { at: number; from: Regime; to: Regime }[] = [];
  let current: Regime | undefined;
  let known = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === undefined) continue;
    known++;
    if (current !== undefined && label !== current) switches.push({ at: i, from: current, to: label });
    current = label;
  }
  let falseSwitches = 0;
  for (let k = 0; k < switches.length; k++) {
    const next = switches[k + 1];
    if (next && next.to === switches[k].from && next.at - switches[k].at <= window) falseSwitches++;
  }
  return {
    switches: switches.length,
    falseSwitches,
    falseSwitchRate: switches.length > 0 ? falseSwitches / switches.length : 0,
    perThousandBars: known > 0 ? (switches.length / known) * 1000 : 0,
  };
}
