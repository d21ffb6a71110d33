/** Once the day's loss reaches the limit, no new entries until the trader's next day starts. */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';
import { formatLocalTime, nextDayStart } from '../day.ts';
import { signedPct } from '../format.ts';
import { lossReached } from '../metrics.ts';

export function checkDailyLoss({ portfolio, now, dayPnlPct, governance: g }: RuleContext): RuleOutcome {
  const lock = portfolio.dailyLock;
  if (lock && lock.until > now) {
    return {
      ok: false,
      reason: `daily loss limit: today's PnL reached ${signedPct(lock.dayPnlPct)} ≤ −${g.dailyLossPct} %; no new entries until ${formatLocalTime(lock.until, g.timezone)}`,
    };
  }
  if (lossReached(dayPnlPct, g.dailyLossPct)) {
    return {
      ok: false,
      reason: `daily loss limit: today's PnL ${signedPct(dayPnlPct)} ≤ −${g.dailyLossPct} %; no new entries until ${formatLocalTime(nextDayStart(now, g.timezone), g.timezone)}`,
    };
  }
  return { ok: true };
}

export const dailyLossRule: Rule = { id: 'daily-loss-limit', check: checkDailyLoss };
