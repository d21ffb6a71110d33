import { describe, expect, it } from 'vitest';
import { rankSignals, scoreSignal, type CriterionResult } from '../../../src/engine/signals/scoring.ts';

const criteria: CriterionResult[] = [
  { name: 'htf', weight: 3, passed: true, pass: 'with 4h structure', fail: 'against 4h structure' },
  { name: 'session', weight: 2, passed: false, pass: 'in London', fail: 'outside London' },
  { name: 'volume', weight: 5, passed: true, pass: 'volume above average' },
];

describe('scoring', () => {
  it('weights criteria: 8 of 10 weight points passed → 8.0', () => {
    const result = scoreSignal(criteria);
    expect(result.criteriaScore).toBe(8);
    expect(result.score).toBe(8);
    expect(result.strengths).toEqual(['with 4h structure', 'volume above average']);
    expect(result.weaknesses).toContain('outside London');
    expect(result.weaknesses).toContain('no trade history for this setup version yet');
  });

  it('shrinks history toward no edge: 20 trades at +0.5R count as +0.25R → +1 point', () => {
    // shrunk = 20 * 0.5 / (20 + 20) = 0.25R; 0.25 * 4 points/R = 1.0
    expect(scoreSignal(criteria, { trades: 20, winRate: 0.5, expectancyR: 0.5 }).score).toBe(9);
  });

  it('caps the history adjustment at ±2 points and the score at 10', () => {
    // shrunk = 200 / 220 = 0.909R → 3.6 points, capped to 2; 8 + 2 = 10
    const result = scoreSignal(criteria, { trades: 200, winRate: 0.6, expectancyR: 1 });
    expect(result.historyPoints).toBe(2);
    expect(result.score).toBe(10);
  });

  it('a losing history lowers the score and is named as a weakness', () => {
    // shrunk = 10 * -0.6 / 30 = -0.2R → -0.8 points; 8 - 0.8 = 7.2
    const result = scoreSignal(criteria, { trades: 10, winRate: 0.3, expectancyR: -0.6 });
    expect(result.score).toBe(7.2);
    expect(result.weaknesses.some((w) => w.includes('expectancy -0.60R'))).toBe(true);
  });

  it('ranks by score, then reward-to-risk, then setup id', () => {
    const ranked = rankSignals([
      { setupId: 'b', symbol: 'X', score: 8, rr: 2, rank: 0 },
      { setupId: 'a', symbol: 'X', score: 8, rr: 2, rank: 0 },
      { setupId: 'c', symbol: 'X', score: 9, rr: 1, rank: 0 },
      { setupId: 'd', symbol: 'X', score: 8, rr: 3, rank: 0 },
    ]);
    expect(ranked.map((s) => `${s.rank}${s.setupId}`)).toEqual(['1c', '2d', '3a', '4b']);
  });
});
