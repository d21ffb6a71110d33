import { describe, expect, it } from 'vitest';
import { purgedFolds, type TimedSample } from '../../../src/engine/learning/cross-validation.ts';

// 200 samples one step apart, each deciding its label over the next 10 steps (overlapping windows, like signals).
const samples: TimedSample[] = Array.from({ length: 200 }, (_, i) => ({ start: i, end: i + 10 }));
const overlaps = (a: TimedSample, b: TimedSample) => a.start <= b.end && a.end >= b.start;

describe('purged, embargoed cross-validation', () => {
  it('walk-forward: trains on the past only, never on a sample whose window overlaps a test window', () => {
    const folds = purgedFolds(samples, { folds: 4, embargoMs: 5 });
    expect(folds).toHaveLength(4);
    expect(folds.map((f) => f.test.length)).toEqual([40, 40, 40, 40]);
    for (const fold of folds) {
      const firstTest = Math.min(...fold.test.map((i) => samples[i].start));
      for (const i of fold.train) {
        for (const j of fold.test) expect(overlaps(samples[i], samples[j])).toBe(false);
        // Embargo: training windows end at least 5 before the first test start.
        expect(samples[i].end).toBeLessThan(firstTest - 5);
      }
    }
    // Five blocks of 40; block 0 only trains. Test block 1 starts at 40: windows ending ≥ 35 (samples 25…39) are
    // purged (overlap) or embargoed (end within 5 of it): 15 of the 40 candidates.
    expect(folds[0].test[0]).toBe(40);
    expect(folds[0].train).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(folds[0].purged).toBe(15);
  });

  it('k-fold: trains on both sides, purges both boundaries and embargoes after the test fold', () => {
    const folds = purgedFolds(samples, { folds: 5, mode: 'k-fold', embargoMs: 5 });
    const middle = folds[2]; // test samples 80…119, windows 80…129
    expect(middle.test[0]).toBe(80);
    for (const i of middle.train) for (const j of middle.test) expect(overlaps(samples[i], samples[j])).toBe(false);
    // Before: 0…69 (70…79 overlap). After: 120…129 overlap, 130…134 embargoed, 135… kept.
    expect(middle.train.filter((i) => i < 80)).toEqual(Array.from({ length: 70 }, (_, i) => i));
    expect(Math.min(...middle.train.filter((i) => i > 119))).toBe(135);
  });

  it('the leaky setting keeps the overlapping samples (what the purge removes)', () => {
    const leaky = purgedFolds(samples, { folds: 4, leaky: true });
    expect(leaky[0].train).toHaveLength(40);
    expect(leaky[0].train.some((i) => leaky[0].test.some((j) => overlaps(samples[i], samples[j])))).toBe(true);
  });
});
