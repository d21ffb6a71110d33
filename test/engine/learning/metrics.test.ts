import { describe, expect, it } from 'vitest';
import { bootstrapAucInterval, brierScore, calibrationTable, rocAuc } from '../../../src/engine/learning/metrics.ts';

describe('learning metrics', () => {
  it('AUC counts pairs, ties as half', () => {
    // Positives 0.9, 0.5; negatives 0.5, 0.1. Pairs: (0.9>0.5) 1, (0.9>0.1) 1, (0.5=0.5) ½, (0.5>0.1) 1 → 3.5 / 4.
    expect(rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])).toBe(0.875);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('bootstrap interval matches the exact resampling distribution of a 3-point case', () => {
    // Points A(0.8, win), B(0.6, loss), C(0.4, win). A resample with a copies of A, b of B, c of C (b ≥ 1, a + c ≥ 1)
    // has AUC a / (a + c). Of the 27 equally likely ordered resamples, 18 have both classes: AUC 1 for 6 of them
    // ((2,1,0)×3, (1,2,0)×3), ½ for 6 ((1,1,1)×6), 0 for 6 ((0,1,2)×3, (0,2,1)×3). So the 2.5 % and 97.5 %
    // quantiles are 0 and 1 and the mean is ½.
    const ci = bootstrapAucInterval([0.8, 0.6, 0.4], [1, 0, 1], { replicates: 4000, seed: 3 });
    expect(ci.low).toBe(0);
    expect(ci.high).toBe(1);
    expect(ci.mean).toBeGreaterThan(0.48);
    expect(ci.mean).toBeLessThan(0.52);
    expect(ci.replicates).toBe(4000);
  });

  it('bootstrap of a perfect ranking is [1, 1]; it is reproducible with a seed', () => {
    const scores = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1];
    const labels = [1, 1, 1, 0, 0, 0] as const;
    expect(bootstrapAucInterval(scores, [...labels], { seed: 5 })).toMatchObject({ low: 1, high: 1 });
    const noisy = [0.9, 0.2, 0.7, 0.6, 0.8, 0.1];
    expect(bootstrapAucInterval(noisy, [...labels], { seed: 9 })).toEqual(bootstrapAucInterval(noisy, [...labels], { seed: 9 }));
  });

  it('Brier score and calibration bins by hand', () => {
    // (0.9−1)² + (0.3−0)² + (0.6−1)² + (0.1−0)² = 0.01 + 0.09 + 0.16 + 0.01 = 0.27; / 4.
    expect(brierScore([0.9, 0.3, 0.6, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.0675, 12);
    const table = calibrationTable([0.9, 0.3, 0.6, 0.1, 0.95], [1, 0, 1, 0, 0], 5);
    expect(table.map((b) => b.count)).toEqual([1, 1, 0, 1, 2]);
    expect(table[4].meanPredicted).toBeCloseTo(0.925, 12);
    expect(table[4].observedRate).toBe(0.5);
    expect(table[2].observedRate).toBeNaN();
  });
});
