/** Never add to a losing position: averaging down is how a bounded loss becomes an unbounded one. */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';
import { num } from '../format.ts';

export function checkNoMartingale({ intent, existing, market }: RuleContext): RuleOutcome {
  if (!existing || existing.side !== intent.side) return { ok: true };
  const against = existing.side === 'long' ? market.lastPrice < existing.entry : market.lastPrice > existing.entry;
  if (existing.unrealized < 0 || against) {
    return {
      ok: false,
      reason: `no martingale: the open ${existing.side} ${intent.symbol} is losing (entry ${num(existing.entry)}, price ${num(market.lastPrice)}, unrealized ${num(existing.unrealized)}); never add to a loser`,
    };
  }
  return { ok: true };
}

export const noMartingaleRule: Rule = { id: 'no-martingale', check: checkNoMartingale };
