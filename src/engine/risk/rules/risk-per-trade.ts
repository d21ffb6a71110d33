/** Size from risk: units = equity × effective risk % / |entry − stop|. The effective % already holds bonus, reduction and cap. */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';
import { num, pct } from '../format.ts';

export function checkRiskPerTrade({ portfolio, effectiveRisk, riskPerUnit }: RuleContext): RuleOutcome {
  const riskQuote = (portfolio.equity * effectiveRisk.pct) / 100;
  if (!(riskQuote > 0)) return { ok: false, reason: `risk per trade is ${pct(effectiveRisk.pct)}: nothing to size` };
  return {
    ok: true,
    maxUnits: riskQuote / riskPerUnit,
    info: effectiveRisk.notes.length
      ? `risk ${pct(effectiveRisk.pct)} of ${num(portfolio.equity)} = ${num(riskQuote)}: ${effectiveRisk.notes.join('; ')}`
      : undefined,
  };
}

export const riskPerTradeRule: Rule = { id: 'risk-per-trade', check: checkRiskPerTrade };
