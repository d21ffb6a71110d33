/**
 * After N losses in a row a setup sits out the next `bars` bars: bars are counted on the bar index of the signal's
 * timeframe, so a loss closed at bar 10 with a 3-bar cooldown blocks bars 11, 12 and 13; bar 14 may trade.
 */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';

export function checkCooldown({ intent, portfolio, market, governance: g }: RuleContext): RuleOutcome {
  const { afterConsecutiveLosses: n, bars } = g.cooldown;
  const trades = portfolio.setupTrades[intent.setupId] ?? [];
  if (trades.length < n) return { ok: true };
  const lastN = trades.slice(-n);
  if (!lastN.every((t) => t.pnl < 0)) return { ok: true };
  const lossBar = lastN[lastN.length - 1].barIndex;
  const since = market.barIndex - lossBar;
  if (since <= bars) {
    return {
      ok: false,
      reason: `cooldown: setup ${intent.setupId} lost ${n} trades in a row (last at bar ${lossBar}); it sits out ${bars} bars, ${since} passed, it may trade again from bar ${lossBar + bars + 1}`,
    };
  }
  return { ok: true };
}

export const cooldownRule: Rule = { id: 'cooldown', check: checkCooldown };
