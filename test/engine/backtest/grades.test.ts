/** Grades against the specification's thresholds: each boundary, the overall grade, and the reasons in words. */
import { describe, expect, it } from 'vitest';
import { gradeStatistics, type GradeInput } from '../../../src/engine/backtest/grades.ts';

const base: GradeInput = { trades: 100, sharpe: 1.6, maxDrawdownPct: -8, winRatePct: 56, profitFactorQuote: 1.6, calmar: 2.2 };

describe('grades', () => {
  it('reads every threshold at its boundary (min / good / excellent)', () => {
    const level = (over: Partial<GradeInput>, key: string) => gradeStatistics({ ...base, ...over }).metrics.find((m) => m.key === key)!.level;
    expect([0.99, 1.0, 1.5, 2.0].map((v) => level({ sharpe: v }, 'sharpe'))).toEqual(['below minimum', 'minimum', 'good', 'excellent']);
    expect([-15.01, -15, -10, -5].map((v) => level({ maxDrawdownPct: v }, 'maxDrawdown'))).toEqual(['below minimum', 'minimum', 'good', 'excellent']);
    expect([44.9, 45, 55, 65].map((v) => level({ winRatePct: v }, 'winRate'))).toEqual(['below minimum', 'minimum', 'good', 'excellent']);
    expect([1.19, 1.2, 1.5, 2.0, Infinity].map((v) => level({ profitFactorQuote: v }, 'profitFactor'))).toEqual(['below minimum', 'minimum', 'good', 'excellent', 'excellent']);
    expect([0.9, 1, 2, 3].map((v) => level({ calmar: v }, 'calmar'))).toEqual(['below minimum', 'minimum', 'good', 'excellent']);
    expect(level({ sharpe: NaN }, 'sharpe')).toBe('n/a');
  });

  it('all good: grade good, passed, five strengths in words', () => {
    const g = gradeStatistics(base);
    expect(g.grade).toBe('good');
    expect(g.score).toBe(2);
    expect(g.passed).toBe(true);
    expect(g.weaknesses).toEqual([]);
    expect(g.strengths).toContain('Sharpe 1.60 is good (≥ 1.5; excellent ≥ 2)');
    expect(g.strengths).toContain('max drawdown 8.00 % is good (≤ 10 %; excellent ≤ 5 %)');
  });

  it('one figure below its minimum fails the strategy even with a good mean', () => {
    // Levels 3, 3, 0, 3, 3 → mean 2.4: "good", but a 40 % win rate is below the 45 % minimum.
    const g = gradeStatistics({ trades: 200, sharpe: 2.5, maxDrawdownPct: -4, winRatePct: 40, profitFactorQuote: 2.4, calmar: 3.5 });
    expect(g.grade).toBe('good');
    expect(g.score).toBeCloseTo(2.4, 12);
    expect(g.passed).toBe(false);
    expect(g.weaknesses).toEqual(['win rate 40.00 % is below the minimum (≥ 45 %)']);
  });

  it('too few trades: insufficient data, not passed, and says why first', () => {
    const g = gradeStatistics({ ...base, trades: 12 });
    expect(g.grade).toBe('insufficient data');
    expect(g.passed).toBe(false);
    expect(g.weaknesses[0]).toBe('only 12 trades: at least 30 are needed before the figures mean much');
  });

  it('undefined figures (a wiped-out account) are weaknesses, never strengths', () => {
    const g = gradeStatistics({ trades: 50, sharpe: NaN, maxDrawdownPct: -100, winRatePct: 20, profitFactorQuote: 0.3, calmar: NaN });
    expect(g.grade).toBe('poor');
    expect(g.passed).toBe(false);
    expect(g.strengths).toEqual([]);
    expect(g.weaknesses).toContain('Sharpe is undefined (no trades, no variance or the account was wiped out)');
  });
});
