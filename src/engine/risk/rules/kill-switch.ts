/** −3.5 % over 72 h pauses everything until the trader sends /resume and confirms; equity recovering does not lift it. */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';
import { formatLocalTime } from '../day.ts';
import { num, signedPct } from '../format.ts';
import { lossReached, windowDrawdown } from '../metrics.ts';

export function checkKillSwitch({ portfolio, now, governance: g }: RuleContext): RuleOutcome {
  const hours = g.killSwitch.windowMs / 3_600_000;
  const ks = portfolio.killSwitch;
  if (ks.status === 'tripped') {
    return {
      ok: false,
      reason:
        `kill switch: equity ${signedPct(ks.drawdownPct)} over ${hours} h (peak ${num(ks.peakEquity)} → ${num(ks.equity)}) ≤ −${g.killSwitch.drawdownPct} % ` +
        `at ${formatLocalTime(ks.at, g.timezone)}; everything is paused until you send /resume and confirm`,
    };
  }
  const dd = windowDrawdown(portfolio, now, g);
  if (lossReached(dd.pct, g.killSwitch.drawdownPct)) {
    return {
      ok: false,
      reason:
        `kill switch: equity ${signedPct(dd.pct)} over ${hours} h (peak ${num(dd.peak)} → ${num(dd.equity)}) ≤ −${g.killSwitch.drawdownPct} %; ` +
        `everything is paused until you send /resume and confirm`,
    };
  }
  return { ok: true };
}

export const killSwitchRule: Rule = { id: 'kill-switch', check: checkKillSwitch };
