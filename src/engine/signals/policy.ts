/**
 * The signal policy: which detected signals are pushed to the trader (and, in a backtest or replay, taken). Pure and
 * position-independent; the trading session adds the position-dependent rules (one position per market, the exit on
 * an opposite signal). A refused signal is journaled with the rule and a reason, never silently dropped.
 *
 * Rules, in this order (the first that refuses is the one reported):
 * 1. side: a spot account cannot sell short;
 * 2. min-score: the score is below signals.minScore;
 * 3. cost: a trade stopped at its stop would cost more than signals.maxCostR in fees and slippage (signal.costs,
 *    computed by the detector at the account's cost model). A signal without costs (not from the detector) cannot
 *    be judged on cost and is not refused for it.
 */
import type { AccountType, Signal } from '../types.ts';

export interface SignalPolicy {
  /** Signals scoring below this are not pushed. */
  minScore: number;
  /** Signals whose stopped-out costs exceed this many R are not pushed (signals.maxCostR, default 0.25). */
  maxCostR: number;
  /** The account type of the signal's market: spot takes longs only. */
  account: AccountType;
}

export type PolicyRule = 'min-score' | 'cost' | 'side';
export type PolicyDecision = { pass: true } | { pass: false; rule: PolicyRule; reason: string };

export const DEFAULT_MAX_COST_R = 0.25;

/** Only the side, the score and the costs are read (the executor judges an approved signal with the same rules). */
export function applySignalPolicy(signal: Pick<Signal, 'side' | 'score' | 'costs'>, policy: SignalPolicy): PolicyDecision {
  if (policy.account === 'spot' && signal.side === 'short') return { pass: false, rule: 'side', reason: 'a spot account cannot sell short' };
  if (!(signal.score >= policy.minScore)) return { pass: false, rule: 'min-score', reason: `score ${signal.score.toFixed(1)} is below the minimum ${policy.minScore}` };
  const cost = signal.costs?.stopCostR;
  if (cost !== undefined && !(cost <= policy.maxCostR)) {
    return { pass: false, rule: 'cost', reason: `a stopped trade would cost ${cost.toFixed(2)} R in fees and slippage (limit ${policy.maxCostR} R)` };
  }
  return { pass: true };
}

/** A signal with the policy's verdict, as `ita detect --all` lists it and the journal records it. */
export type JudgedSignal = Signal & { pushed: boolean; rule?: PolicyRule; reason?: string };

export function judgeSignals(signals: readonly Signal[], policy: SignalPolicy): JudgedSignal[] {
  return signals.map((signal) => {
    const decision = applySignalPolicy(signal, policy);
    return decision.pass ? { ...signal, pushed: true } : { ...signal, pushed: false, rule: decision.rule, reason: decision.reason };
  });
}
