/** The locked limits in the trader's words, for the bot's /limits and for an LLM's context (read-only). */
import type { Governance } from './governance-schema.ts';

export function describeGovernance(g: Governance): string[] {
  const r = g.risk;
  return [
    `Risk per trade ${r.basePct} % of equity (+${r.bonusPct} % while the day is at least +${r.bonusActivateAtDayPnlPct} %, until the first pullback); never above ${r.maxPct} %.`,
    `Base risk −${r.reduceByPct} % after ${r.reduceAfterConsecutiveLosses} losses in a row (until ${r.restoreAfterConsecutiveWins} wins in a row) or while ATR is above its ${r.atrPercentile}th percentile.`,
    `Daily loss limit ${g.dailyLossPct} %: no new entries until the next day (${g.timezone}).`,
    `Kill switch at −${g.killSwitch.drawdownPct} % over ${g.killSwitch.windowMs / 3_600_000} h: everything pauses until you /resume and confirm.`,
    `Leverage at most ${g.leverageCap}×; total open risk at most ${g.maxOpenRiskPct} % of equity.`,
    `No averaging down; adds only at +${g.pyramiding.minProfitR}R or better, at most ${g.pyramiding.maxAddR}R, with the combined stop at or beyond break-even.`,
    `A setup pauses ${g.cooldown.bars} bars after ${g.cooldown.afterConsecutiveLosses} losses in a row.`,
    `At most ${g.correlation.maxCorrelatedPositions} open positions with |ρ| > ${g.correlation.threshold} (daily returns, ${g.correlation.windowDays} days).`,
    `Markets: ${g.markets.allowlist.join(', ')}; 24h volume ≥ ${g.markets.minQuoteVolume24h.toLocaleString('en-US')}, spread ≤ ${g.markets.maxSpreadBps} bps.`,
    `Source: ${g.source} (locked: edit the file and restart to change).`,
  ];
}
