import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateMetaModel, type Sample } from '../../../src/engine/learning/meta-model.ts';
import { evaluateSetupOnCandles } from '../../../src/engine/learning/evaluate-setup.ts';
import { successEvidence, type StoredMetaModel } from '../../../src/engine/learning/evidence.ts';
import { loadSetupFile } from '../../../src/engine/setups/index.ts';
import type { Signal } from '../../../src/engine/types.ts';
import { ROOT } from '../../helpers/candles.ts';
import { gaussian, mulberry32, syntheticCandles } from '../regime/synthetic.ts';

const H = 3_600_000;

function fakeSignal(i: number, over: Partial<Signal> = {}): Signal {
  return {
    id: `s${i}`, setupId: 'demo', setupVersion: 'v1', setupName: 'demo', exchange: 'x', symbol: 'BTC/USDT', timeframe: '1h',
    side: 'long', ts: i * H, entryType: 'market', entry: 100, stop: 98, targets: [{ price: 104, r: 2, closeFraction: 1 }],
    rr: 2, score: 5, rank: 1, reasons: { strengths: [], weaknesses: [] }, context: { close: 100, atr: 1 }, validUntil: (i + 2) * H, ...over,
  };
}

function sample(i: number, horizon: number, label: 0 | 1, signal = fakeSignal(i)): Sample {
  return { signal, outcome: {} as Sample['outcome'], start: (i + 1) * H, end: (i + 1 + horizon) * H, label };
}

function toStored(report: ReturnType<typeof evaluateMetaModel>): StoredMetaModel {
  return { setupId: report.setupId, setupVersion: report.setupVersion, trainedAt: 0, n: report.n, nOutOfSample: report.nOutOfSample, auc: report.auc, aucCi: report.aucCi, brier: report.brier, brierBaseline: report.brierBaseline, model: report.model!, schema: report.schema };
}

describe('success model (meta-labelling)', () => {
  it('on a seeded random walk (no edge) the AUC interval contains 0.5 and the card shows no probability', () => {
    const candles = syntheticCandles([{ bars: 24_000, drift: 0, vol: 0.006 }], 42);
    const setup = loadSetupFile(path.join(ROOT, 'setups/ema_cross.yaml'));
    const result = evaluateSetupOnCandles({ candles, timeframe: '1h', setup });
    const r = result.report;
    expect(r.n).toBeGreaterThan(200);
    expect(r.nOutOfSample).toBeGreaterThan(150);
    expect(r.aucCi[0]).toBeLessThan(0.5);
    expect(r.aucCi[1]).toBeGreaterThan(0.5);
    const evidence = successEvidence(toStored(r), result.signals[result.signals.length - 1]);
    expect(evidence.kind).toBe('not-enough-evidence');
    expect(evidence.text.en).toMatch(/not enough evidence/);
    expect(evidence.text.ru).toMatch(/недостаточно данных/);
  }, 60_000);

  it('is purged: training on samples whose outcome windows reach into the test period inflates the AUC; purging removes it', () => {
    // Samples every candle; each label is decided over the next 40 candles. Three features; which one decides the
    // label changes every 100 candles (x0, x1, x2, x0, ...) and follows the candle where the label's window ENDS.
    // A model trained on the 60 samples just before a test block learns, without purging, mostly from windows that
    // end inside the test period, so it learns the feature the test samples follow: a leak. With purging it learns
    // only the previous period's feature, which says nothing about either feature the test block follows.
    const rand = mulberry32(11);
    const horizon = 40;
    const n = 2200;
    const x = Array.from({ length: n }, () => [gaussian(rand), gaussian(rand), gaussian(rand)]);
    const samples = x.map((xi, i) => sample(i, horizon, xi[Math.floor((i + horizon) / 100) % 3] + 0.5 * gaussian(rand) > 0 ? 1 : 0));
    const options = { featuresOf: (s: Sample) => x[Number(s.signal.id.slice(1))], featureNames: ['x0', 'x1', 'x2'], bootstrap: { replicates: 500 } };
    const cv = { folds: 21, maxTrain: 60 };
    const leaky = evaluateMetaModel(samples, { ...options, cv: { ...cv, leaky: true } });
    const purged = evaluateMetaModel(samples, { ...options, cv });
    // Measured: leaky AUC 0.73 [0.70, 0.75]; purged 0.48 [0.46, 0.51].
    expect(leaky.aucCi[0]).toBeGreaterThan(0.65);
    expect(Math.abs(purged.auc - 0.5)).toBeLessThan(0.05);
    expect(purged.aucCi[0]).toBeLessThan(0.5);
    expect(purged.folds.every((f) => f.purged >= horizon)).toBe(true);
  });

  it('a real edge is found out of sample, and only then does the card show a probability', () => {
    const rand = mulberry32(5);
    const samples: Sample[] = [];
    for (let i = 0; i < 600; i++) {
      const score = rand() * 10;
      const win = rand() < 1 / (1 + Math.exp(-(score - 5) * 0.8)) ? 1 : 0;
      samples.push(sample(i * 3, 10, win, fakeSignal(i * 3, { score })));
    }
    const report = evaluateMetaModel(samples, { bootstrap: { replicates: 500 } });
    expect(report.aucCi[0]).toBeGreaterThan(0.6);
    expect(report.coefficients[0].feature).toBe('score');
    const stored = toStored(report);
    const strong = successEvidence(stored, fakeSignal(9999, { score: 9 }));
    const weak = successEvidence(stored, fakeSignal(9999, { score: 1 }));
    expect(strong.kind).toBe('probability');
    expect(weak.kind).toBe('probability');
    if (strong.kind === 'probability' && weak.kind === 'probability') {
      expect(strong.probability).toBeGreaterThan(0.7);
      expect(weak.probability).toBeLessThan(0.3);
      expect(strong.text.en).toMatch(/^Chance of success \d+ % \(AUC 0\.\d\d, 95 % CI 0\.\d\d–0\.\d\d, \d+ signals\)$/);
    }
    // Another version of the setup: the model does not apply.
    expect(successEvidence(stored, fakeSignal(1, { setupVersion: 'v2', score: 9 })).kind).toBe('not-enough-evidence');
    expect(successEvidence(undefined, fakeSignal(1)).kind).toBe('not-enough-evidence');
    // Ranks well but states worse probabilities than the base rate: no number on the card.
    const overConfident = successEvidence({ ...stored, brier: stored.brierBaseline! + 0.01 }, fakeSignal(9999, { score: 9 }));
    expect(overConfident).toMatchObject({ kind: 'not-enough-evidence', reason: /over-confident/ });
  });
});
