/**
 * Leverage never above the cap: the exchange leverage setting is clamped, this position's notional stays within
 * equity × that leverage, and the account's total notional within equity × cap.
 */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';
import { num } from '../format.ts';
import { openNotional } from '../metrics.ts';

export function checkLeverageCap({ intent, portfolio, leverage, governance: g }: RuleContext): RuleOutcome {
  const cap = g.leverageCap;
  const used = openNotional(portfolio);
  const room = portfolio.equity * cap - used;
  if (!(room > 0)) {
    return { ok: false, reason: `leverage cap: open notional ${num(used)} is already ${(used / portfolio.equity).toFixed(2)}× equity ≥ ${cap}×` };
  }
  const byPosition = (portfolio.equity * leverage) / intent.entry;
  const byAccount = room / intent.entry;
  const maxUnits = Math.min(byPosition, byAccount);
  const clamped = intent.leverage !== undefined && intent.leverage > cap;
  return {
    ok: true,
    maxUnits,
    limitNote:
      byPosition <= byAccount
        ? `leverage ${leverage}×: notional at most ${num(portfolio.equity * leverage)} (equity × ${leverage})`
        : `leverage cap: total notional at most ${num(portfolio.equity * cap)} (${cap}× equity), ${num(used)} already open`,
    info: clamped ? `requested leverage ${intent.leverage}× clamped to the cap ${cap}×` : undefined,
  };
}

export const leverageCapRule: Rule = { id: 'leverage-cap', check: checkLeverageCap };
