/**
 * Score 0–10 = the setup's weighted criteria, adjusted by the setup version's measured history.
 * History is shrunk toward "no edge" when there are few trades (a Bayesian-style prior worth PRIOR_TRADES trades at
 * expectancy 0), so three lucky wins cannot push a fresh setup to the top.
 */
import type { Signal } from '../types.ts';

export interface SetupHistory {
  trades: number;
  winRate: number;
  /** Mean R per trade. */
  expectancyR: number;
}

export interface CriterionResult {
  name: string;
  weight: number;
  passed: boolean;
  pass: string;
  fail?: string;
}

/** Rules matched but the setup declares no criteria: good enough to be considered, not to be pushed eagerly. */
export const SCORE_WITHOUT_CRITERIA = 7;
export const PRIOR_TRADES = 20;
/** Points per 1R of shrunk expectancy, capped at ±MAX_HISTORY_POINTS. */
const POINTS_PER_R = 4;
const MAX_HISTORY_POINTS = 2;

export interface ScoreBreakdown {
  score: number;
  criteriaScore: number;
  historyPoints: number;
  strengths: string[];
  weaknesses: string[];
}

export function scoreSignal(criteria: CriterionResult[], history?: SetupHistory): ScoreBreakdown {
  const total = criteria.reduce((sum, c) => sum + c.weight, 0);
  const earned = criteria.reduce((sum, c) => sum + (c.passed ? c.weight : 0), 0);
  const criteriaScore = total > 0 ? (10 * earned) / total : SCORE_WITHOUT_CRITERIA;
  const strengths = criteria.filter((c) => c.passed).map((c) => c.pass);
  const weaknesses = criteria.filter((c) => !c.passed && c.fail).map((c) => c.fail!);

  let historyPoints = 0;
  if (history && history.trades > 0) {
    const shrunk = (history.trades * history.expectancyR) / (history.trades + PRIOR_TRADES);
    historyPoints = Math.max(-MAX_HISTORY_POINTS, Math.min(MAX_HISTORY_POINTS, shrunk * POINTS_PER_R));
    const words = `history: ${history.trades} trades, win rate ${(history.winRate * 100).toFixed(0)}%, expectancy ${formatR(history.expectancyR)}`;
    (historyPoints >= 0 ? strengths : weaknesses).push(words);
  } else {
    weaknesses.push('no trade history for this setup version yet');
  }
  const score = Math.round(Math.max(0, Math.min(10, criteriaScore + historyPoints)) * 10) / 10;
  return { score, criteriaScore, historyPoints, strengths, weaknesses };
}

/** Orders simultaneous signals: score, then reward-to-risk, then setup id (deterministic ties). Assigns rank 1..n. */
export function rankSignals<T extends Pick<Signal, 'score' | 'rr' | 'setupId' | 'symbol' | 'rank'> & { context?: Signal['context'] }>(signals: T[]): T[] {
  const ordered = [...signals].sort(
    (a, b) => rankKey(b) - rankKey(a) || b.rr - a.rr || a.setupId.localeCompare(b.setupId) || a.symbol.localeCompare(b.symbol),
  );
  ordered.forEach((signal, i) => (signal.rank = i + 1));
  return ordered;
}

/**
 * A success probability that passed its out-of-sample test (learning/evidence.ts writes `successProbability` only
 * then) moves a signal in the ranking by up to ±2 score points (p = 0 … 1 around 0.5), as much as the track record may
 * move the score; an untested signal ranks by its score alone.
 */
export const PROBABILITY_RANK_WEIGHT = 4;

function rankKey(signal: { score: number; context?: Signal['context'] }): number {
  const p = signal.context?.successProbability;
  return typeof p === 'number' && Number.isFinite(p) ? signal.score + PROBABILITY_RANK_WEIGHT * (p - 0.5) : signal.score;
}

function formatR(r: number): string {
  return `${r >= 0 ? '+' : ''}${r.toFixed(2)}R`;
}
