/**
 * Numbers several rules and transitions need, computed one way only so a rule and the state it reads never disagree.
 */
import type { Governance } from './governance-schema.ts';
import type { EffectiveRisk, OpenPosition, PortfolioState } from './types.ts';
import { pct, signedPct, num } from './format.ts';

/**
 * The day's PnL in quote currency: realized today, or mark-to-market against the day's opening equity, whichever is
 * WORSE. A big open loss counts toward the daily limit, and an open gain cannot hide a realized loss.
 */
export function dayPnl(p: PortfolioState): number {
  return Math.min(p.todayRealizedPnl, p.equity - p.dayStartEquity);
}

export function dayPnlPct(p: PortfolioState): number {
  return p.dayStartEquity > 0 ? (dayPnl(p) * 100) / p.dayStartEquity : 0;
}

/**
 * True when a loss in percent (negative) has reached a limit (positive). The tolerance leans toward stopping, so
 * a loss of exactly the limit is never let through by floating-point noise (−1.7999999999999998 %).
 */
export function lossReached(lossPct: number, limitPct: number): boolean {
  return lossPct <= -limitPct + 1e-9;
}

export interface Drawdown {
  /** ≤ 0: current equity against the window's peak, in percent. */
  pct: number;
  peak: number;
  equity: number;
}

/**
 * Drawdown over the kill-switch window: current equity against the highest equity seen in the last window_hours,
 * counting only samples after the last /resume (the trader's resume restarts the window).
 */
export function windowDrawdown(p: PortfolioState, now: number, g: Governance): Drawdown {
  const from = Math.max(now - g.killSwitch.windowMs, p.killSwitch.status === 'armed' ? (p.killSwitch.resumedAt ?? -Infinity) : -Infinity);
  let peak = p.equity;
  for (const s of p.equityHistory) if (s.ts >= from && s.ts <= now && s.equity > peak) peak = s.equity;
  return { pct: peak > 0 ? ((p.equity - peak) * 100) / peak : 0, peak, equity: p.equity };
}

/** Loss if the stop is hit, from the entry; 0 once the stop is at or beyond break-even. */
export function positionRisk(pos: Pick<OpenPosition, 'side' | 'entry' | 'stop' | 'size'>): number {
  const perUnit = pos.side === 'long' ? pos.entry - pos.stop : pos.stop - pos.entry;
  return Math.max(0, perUnit) * pos.size;
}

export function openRisk(p: PortfolioState): number {
  return p.openPositions.reduce((sum, pos) => sum + positionRisk(pos), 0);
}

/** Total notional at entry prices. */
export function openNotional(p: PortfolioState): number {
  return p.openPositions.reduce((sum, pos) => sum + pos.entry * pos.size, 0);
}

/** Risk per trade after the green bonus, the streak / volatility reduction and the hard cap. */
export function effectiveRisk(p: PortfolioState, dayPct: number, atr: number, atrThreshold: number, g: Governance): EffectiveRisk {
  const r = g.risk;
  const notes: string[] = [];
  const volatile = atr > atrThreshold;
  const reductionPct = p.lossReduction.active || volatile ? r.reduceByPct : 0;
  if (p.lossReduction.active) {
    notes.push(`base risk lowered by ${pct(r.reduceByPct)}: ${r.reduceAfterConsecutiveLosses}+ losses in a row, restored after ${r.restoreAfterConsecutiveWins} wins in a row (now ${p.streaks.wins})`);
  }
  if (volatile) {
    notes.push(`base risk lowered by ${pct(r.reduceByPct)}: ATR ${num(atr)} is above its ${r.atrPercentile}th percentile ${num(atrThreshold)}`);
  }
  const bonusPct = p.bonus.status !== 'dropped' && dayPct >= r.bonusActivateAtDayPnlPct ? r.bonusPct : 0;
  if (bonusPct > 0) notes.push(`green bonus ${signedPct(bonusPct)}: day PnL ${signedPct(dayPct)} ≥ ${signedPct(r.bonusActivateAtDayPnlPct)}`);
  const uncapped = r.basePct - reductionPct + bonusPct;
  const value = Math.max(0, Math.min(r.maxPct, uncapped));
  if (uncapped > r.maxPct) notes.push(`capped at ${pct(r.maxPct)} per trade`);
  return { pct: value, basePct: r.basePct, bonusPct, reductionPct, notes };
}

/** The p-th percentile (0–100, linear interpolation between order statistics) of recent ATR values. */
export function atrPercentile(values: readonly number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Infinity;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}
