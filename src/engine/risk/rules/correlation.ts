/**
 * At most N open positions moving together (|ρ| of daily returns above the threshold). A pair without enough common
 * history counts as correlated: an unknown correlation is not evidence of diversification.
 */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';
import { rollingCorrelation } from '../correlation.ts';

export function checkCorrelation({ intent, portfolio, market, existing, governance: g }: RuleContext): RuleOutcome {
  if (existing) return { ok: true };
  const c = g.correlation;
  const mine = market.dailyCloses[intent.symbol] ?? [];
  const correlated: string[] = [];
  const symbols = [...new Set(portfolio.openPositions.map((p) => p.symbol))].filter((s) => s !== intent.symbol);
  for (const symbol of symbols) {
    const { rho, observations } = rollingCorrelation(mine, market.dailyCloses[symbol] ?? [], c.windowDays);
    if (rho === null || observations < c.minObservations) correlated.push(`${symbol} (unknown: ${observations} daily returns < ${c.minObservations})`);
    else if (Math.abs(rho) > c.threshold) correlated.push(`${symbol} (ρ ${rho.toFixed(2)})`);
  }
  if (correlated.length + 1 > c.maxCorrelatedPositions) {
    return {
      ok: false,
      reason: `correlation: ${intent.symbol} moves with ${correlated.length} open position(s) — ${correlated.join(', ')} — above |ρ| ${c.threshold} over ${c.windowDays} days; at most ${c.maxCorrelatedPositions} such positions`,
    };
  }
  return { ok: true };
}

export const correlationRule: Rule = { id: 'correlation', check: checkCorrelation };
