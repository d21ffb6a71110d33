/**
 * The risk governor's inputs and outputs. Everything here is plain data so the governor stays a pure function:
 * the executor owns the state and calls the transitions in state.ts; the governor only reads.
 * Money is in the quote currency of the account (e.g. USDT); percentages are in percent (0.8 means 0.8 %).
 */
import type { Side } from '../types.ts';
import type { Governance } from './governance-schema.ts';

/** What an approved signal (or the trader) asks the governor to open. */
export interface OrderIntent {
  symbol: string;
  side: Side;
  entry: number;
  stop: number;
  setupId: string;
  setupVersion: string;
  signalId: string;
  /** Exchange leverage the trader wants; 1 (spot) when absent. Clamped to the governance cap. */
  leverage?: number;
  /** True when this adds to an open position on the same symbol and side (pyramiding). */
  addToPosition?: boolean;
}

export interface OpenPosition {
  id: string;
  symbol: string;
  side: Side;
  /** Average entry price. */
  entry: number;
  /** Current protective stop. */
  stop: number;
  /** The stop when the position was opened: 1R = |entry − initialStop| per unit. */
  initialStop: number;
  /** Units (base currency), always positive. */
  size: number;
  /** Mark-to-market PnL in quote currency (negative = losing). */
  unrealized: number;
  setupId?: string;
}

export interface EquitySample {
  ts: number;
  equity: number;
}

export interface ClosedTradeMark {
  /** Bar index of the close: floor(candle open ts / timeframe ms) of the setup's timeframe, comparable across symbols. */
  barIndex: number;
  pnl: number;
  closedAt: number;
}

/**
 * "Pullback" (the issue asks for a precise definition): once the bonus is active, the FIRST of these ends it for the
 * rest of the trader's day — a losing trade closes, or the day's PnL falls back below the activation threshold.
 * It is not re-armed the same day, even if PnL climbs again; the next day starts idle.
 */
export type BonusState =
  | { status: 'idle' }
  | { status: 'active'; since: number }
  | { status: 'dropped'; at: number; reason: string };

export type KillSwitchState =
  | { status: 'armed'; resumedAt?: number; resumedBy?: string }
  | { status: 'tripped'; at: number; drawdownPct: number; peakEquity: number; equity: number };

export interface DailyLock {
  /** Start of the trader's next day (epoch ms): entries resume then. */
  until: number;
  at: number;
  dayPnlPct: number;
}

export interface PortfolioState {
  /** Mark-to-market equity: cash + realized + unrealized. */
  equity: number;
  openPositions: OpenPosition[];
  /** The trader's calendar day this state belongs to, `YYYY-MM-DD` in the governance time zone. */
  day: string;
  /** Equity when the day started; the day's PnL is measured against it. */
  dayStartEquity: number;
  todayRealizedPnl: number;
  /** Equity samples of (at least) the kill-switch window, oldest first. */
  equityHistory: EquitySample[];
  /** Most recent closed trades per setup id, oldest first (only the last few are kept). */
  setupTrades: Record<string, ClosedTradeMark[]>;
  /** Consecutive wins / losses over all setups; a scratch trade (PnL 0) changes neither. */
  streaks: { wins: number; losses: number };
  bonus: BonusState;
  /** Base risk is lowered after a losing streak and restored after a winning streak (see governance.yaml). */
  lossReduction: { active: boolean; since?: number };
  killSwitch: KillSwitchState;
  dailyLock: DailyLock | null;
}

export interface MarketState {
  symbol: string;
  lastPrice: number;
  bid: number;
  ask: number;
  quoteVolume24h: number;
  /**
   * Daily closes per symbol (this one and every symbol with an open position), oldest first, all ending on the same
   * day and aligned day by day. Used for the rolling Pearson correlation of daily returns.
   */
  dailyCloses: Record<string, readonly number[]>;
  /** ATR of the signal's timeframe. */
  atr: number;
  /** ATR's high-volatility threshold: its percentile (governance `atr_percentile`, 90) over recent history; see atrPercentile(). */
  atrThreshold: number;
  /** Bar index of the signal's candle (floor(open ts / timeframe ms)); the cooldown counts bars with it. */
  barIndex: number;
  /** Amount step: units are rounded DOWN to a multiple of it. */
  amountStep: number;
  minAmount: number;
  minNotional: number;
}

export type RuleId =
  | 'intent-valid'
  | 'kill-switch'
  | 'daily-loss-limit'
  | 'market-allowlist'
  | 'cooldown'
  | 'no-martingale'
  | 'correlation'
  | 'risk-per-trade'
  | 'leverage-cap'
  | 'open-risk'
  | 'pyramiding'
  | 'min-size';

/**
 * A rule either refuses, or passes with an optional ceiling on units. `limitNote` is reported when that ceiling is
 * the one that decided the size; `info` is always reported (e.g. a clamped leverage, a bonus).
 */
export type RuleOutcome =
  | { ok: true; maxUnits?: number; limitNote?: string; info?: string }
  | { ok: false; reason: string };

export interface EffectiveRisk {
  /** Risk per trade in percent of equity after bonus, reduction and cap. */
  pct: number;
  basePct: number;
  bonusPct: number;
  reductionPct: number;
  /** Why the risk differs from the base (bonus, reduction, cap), in words. */
  notes: string[];
}

export interface RuleContext {
  intent: OrderIntent;
  portfolio: PortfolioState;
  market: MarketState;
  now: number;
  governance: Governance;
  /** Derived once so every rule sees the same numbers. */
  dayPnlPct: number;
  riskPerUnit: number;
  effectiveRisk: EffectiveRisk;
  /** The open position on the intent's symbol, if any. */
  existing?: OpenPosition;
  leverage: number;
}

export interface Rule {
  id: RuleId;
  check(ctx: RuleContext): RuleOutcome;
}

export interface SizedOrder {
  units: number;
  notional: number;
  /** Risk to the stop as percent of equity. */
  riskPct: number;
  riskQuote: number;
  /** Exchange leverage to set (the intent's, clamped to the cap). */
  leverage: number;
  /** Account leverage after the fill: total open notional / equity. */
  accountLeverage: number;
}

export interface Adjustment {
  rule: RuleId;
  reason: string;
}

export type RiskVerdict =
  | { status: 'accepted'; intent: OrderIntent; size: SizedOrder; effectiveRiskPct: number; adjustments: Adjustment[] }
  | { status: 'refused'; intent: OrderIntent; rule: RuleId; reason: string; adjustments: Adjustment[] };
