/**
 * State transitions the executor calls: old state in, new state out, never mutated. They keep the bookkeeping the
 * rules read (day, streaks, bonus, locks, kill switch); the rules re-check the raw numbers too, so a missed call
 * can make the governor stricter, never looser.
 */
import { dayKey, nextDayStart, formatLocalTime } from './day.ts';
import type { Governance } from './governance-schema.ts';
import { signedPct } from './format.ts';
import { dayPnlPct, lossReached, windowDrawdown } from './metrics.ts';
import type { OpenPosition, PortfolioState } from './types.ts';

export interface ClosedTrade {
  /** The position it closes, removed from openPositions when given. */
  positionId?: string;
  setupId: string;
  /** Realized PnL in quote currency, fees included. */
  pnl: number;
  barIndex: number;
  closedAt: number;
}

/** Enough closed trades per setup for the cooldown rule, with room to spare. */
const KEEP_TRADES_PER_SETUP = 10;

export function createPortfolioState(equity: number, now: number, g: Governance): PortfolioState {
  return {
    equity,
    openPositions: [],
    day: dayKey(now, g.timezone),
    dayStartEquity: equity,
    todayRealizedPnl: 0,
    equityHistory: [{ ts: now, equity }],
    setupTrades: {},
    streaks: { wins: 0, losses: 0 },
    bonus: { status: 'idle' },
    lossReduction: { active: false },
    killSwitch: { status: 'armed' },
    dailyLock: null,
  };
}

/** A new trader's day: PnL, bonus and daily lock reset; the kill switch and streaks carry over. */
export function onNewDay(s: PortfolioState, at: number, g: Governance): PortfolioState {
  const day = dayKey(at, g.timezone);
  // Only forward: a late or out-of-order timestamp must never reopen a locked day.
  if (day <= s.day) return s;
  return { ...s, day, dayStartEquity: s.equity, todayRealizedPnl: 0, bonus: { status: 'idle' }, dailyLock: null };
}

export function onPositionOpened(s: PortfolioState, position: OpenPosition): PortfolioState {
  return { ...s, openPositions: [...s.openPositions.filter((p) => p.id !== position.id), position] };
}

/** Mark-to-market update: records the sample and trips the bonus, the daily lock and the kill switch as needed. */
export function onEquity(s: PortfolioState, equity: number, at: number, g: Governance): PortfolioState {
  const rolled = onNewDay(s, at, g);
  const history = rolled.equityHistory.filter((e) => e.ts >= at - g.killSwitch.windowMs && e.ts <= at);
  // A sample followed by a later one at least as high can never be the window's peak again (any window holding it
  // holds the later one too): dropping it keeps the kill switch exact and the history short (one sample per
  // candle would make every update O(window) in a 1m backtest).
  while (history.length > 0 && history[history.length - 1].equity <= equity) history.pop();
  history.push({ ts: at, equity });
  return applyLimits({ ...rolled, equity, equityHistory: history }, at, g);
}

export function onTradeClosed(s: PortfolioState, trade: ClosedTrade, g: Governance): PortfolioState {
  const rolled = onNewDay(s, trade.closedAt, g);
  const win = trade.pnl > 0;
  const loss = trade.pnl < 0;
  const streaks = win ? { wins: rolled.streaks.wins + 1, losses: 0 } : loss ? { wins: 0, losses: rolled.streaks.losses + 1 } : rolled.streaks;
  let lossReduction = rolled.lossReduction;
  if (streaks.losses >= g.risk.reduceAfterConsecutiveLosses && !lossReduction.active) lossReduction = { active: true, since: trade.closedAt };
  if (streaks.wins >= g.risk.restoreAfterConsecutiveWins && lossReduction.active) lossReduction = { active: false };
  const bonus =
    loss && rolled.bonus.status === 'active'
      ? { status: 'dropped' as const, at: trade.closedAt, reason: `first losing trade after the bonus became active (${trade.pnl.toFixed(2)})` }
      : rolled.bonus;
  const history = [...(rolled.setupTrades[trade.setupId] ?? []), { barIndex: trade.barIndex, pnl: trade.pnl, closedAt: trade.closedAt }];
  const next: PortfolioState = {
    ...rolled,
    todayRealizedPnl: rolled.todayRealizedPnl + trade.pnl,
    openPositions: trade.positionId === undefined ? rolled.openPositions : rolled.openPositions.filter((p) => p.id !== trade.positionId),
    streaks,
    lossReduction,
    bonus,
    setupTrades: { ...rolled.setupTrades, [trade.setupId]: history.slice(-KEEP_TRADES_PER_SETUP) },
  };
  return applyLimits(next, trade.closedAt, g);
}

/**
 * The trader sent /resume and confirmed it. The only way out of the kill switch; the drawdown window restarts now,
 * otherwise the old peak would trip it again at the next equity update.
 */
export function resume(s: PortfolioState, by: string, at: number): PortfolioState {
  return { ...s, killSwitch: { status: 'armed', resumedAt: at, resumedBy: by } };
}

function applyLimits(s: PortfolioState, at: number, g: Governance): PortfolioState {
  const dayPct = dayPnlPct(s);
  let bonus = s.bonus;
  if (bonus.status === 'idle' && dayPct >= g.risk.bonusActivateAtDayPnlPct) bonus = { status: 'active', since: at };
  else if (bonus.status === 'active' && dayPct < g.risk.bonusActivateAtDayPnlPct) {
    bonus = { status: 'dropped', at, reason: `day PnL fell back to ${signedPct(dayPct)} < ${signedPct(g.risk.bonusActivateAtDayPnlPct)}` };
  }
  let dailyLock = s.dailyLock;
  if (!dailyLock && lossReached(dayPct, g.dailyLossPct)) dailyLock = { until: nextDayStart(at, g.timezone), at, dayPnlPct: dayPct };
  let killSwitch = s.killSwitch;
  if (killSwitch.status === 'armed') {
    const dd = windowDrawdown(s, at, g);
    if (lossReached(dd.pct, g.killSwitch.drawdownPct)) killSwitch = { status: 'tripped', at, drawdownPct: dd.pct, peakEquity: dd.peak, equity: dd.equity };
  }
  return { ...s, bonus, dailyLock, killSwitch };
}

/** One line per active limit, for /status and the journal. */
export function describeLocks(s: PortfolioState, g: Governance): string[] {
  const lines: string[] = [];
  if (s.killSwitch.status === 'tripped') {
    lines.push(`kill switch tripped at ${formatLocalTime(s.killSwitch.at, g.timezone)} (${signedPct(s.killSwitch.drawdownPct)} over ${g.killSwitch.windowMs / 3_600_000} h); /resume to lift it`);
  }
  if (s.dailyLock) lines.push(`daily lock: ${signedPct(s.dailyLock.dayPnlPct)} today; no new entries until ${formatLocalTime(s.dailyLock.until, g.timezone)}`);
  if (s.lossReduction.active) lines.push(`risk lowered by ${g.risk.reduceByPct} % after a losing streak`);
  if (s.bonus.status === 'active') lines.push(`green bonus +${g.risk.bonusPct} % active`);
  return lines;
}
