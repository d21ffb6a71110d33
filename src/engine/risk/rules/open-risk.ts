/** The sum of every open position's loss-to-stop, the new trade included, stays within the portfolio limit. */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';
import { num, pct } from '../format.ts';
import { openRisk } from '../metrics.ts';

export function checkOpenRisk({ portfolio, riskPerUnit, governance: g }: RuleContext): RuleOutcome {
  const limit = (portfolio.equity * g.maxOpenRiskPct) / 100;
  const open = openRisk(portfolio);
  const room = limit - open;
  const openPct = (open / portfolio.equity) * 100;
  if (!(room > 0)) {
    return { ok: false, reason: `total open risk: ${pct(openPct)} of equity (${num(open)}) already at the ${pct(g.maxOpenRiskPct)} limit` };
  }
  return {
    ok: true,
    maxUnits: room / riskPerUnit,
    limitNote: `total open risk: ${pct(openPct)} open + this trade ≤ ${pct(g.maxOpenRiskPct)}, so this trade risks at most ${num(room)}`,
  };
}

export const openRiskRule: Rule = { id: 'open-risk', check: checkOpenRisk };
