/**
 * Backtest inputs and outputs. The engine is driven by a per-candle signal source so the very same detector that
 * runs live can run here; everything the simulation assumes is spelled out in `BacktestReport.assumptions`.
 */
import type { AccountType, Candle, MarketKey, Side, Signal } from '../types.ts';
import type { CandleColumns } from '../market/columns.ts';
import type { Governance, RiskVerdict } from '../risk/index.ts';
import type { InstrumentSpec } from '../exec/executor/market-stats.ts';
import type { SimPosition } from '../exec/sim/position.ts';
import type { BacktestStatistics } from './metrics.ts';
import type { Breakdowns } from './breakdown.ts';

export interface MarketInput {
  key: MarketKey;
  /** The candles; with `columns` given they are read only by code outside the session (and may be built lazily). */
  candles: Candle[];
  /** The same candles as columns (market/columns.ts): when present the session reads these and never `candles`. */
  columns?: CandleColumns;
  /** Lower-timeframe candles covering the same period; used only to decide the order of stop and target inside a bar. */
  detail?: Candle[];
  /** Spot takes longs only; perp (USDT-margined perpetual) takes both sides with leverage. Default perp (no side rule). */
  account?: AccountType;
  /** Lot rules: units are floored to amountStep; below the minimums the entry is refused. */
  instrument?: InstrumentSpec;
  /** Candles closed before the first one (the detector's warm-up): they also warm the governor's market statistics. */
  warmup?: readonly Candle[];
}

/** Called once per closed candle, in time order; returns the signals decided on that close (may be empty). */
export interface SignalSource {
  onCandle(marketIndex: number, candleIndex: number, candle: Candle): readonly Signal[];
}

export interface ManagementOptions {
  /** Partial exits used when a signal has no targets of its own: close `closeFraction` at `r` multiples of risk. */
  defaultTargets: { r: number; closeFraction: number }[];
  /** Move the stop to entry once price has gone this many R in favour (NaN = never). */
  breakEvenAtR: number;
  /** Trail the remainder at this multiple of ATR (from `signal.context.atr`) once the first target is taken. */
  trailAtrMultiple: number;
  /** Exit at the next open after this many bars in the trade (0 = no time stop). */
  timeStopBars: number;
  /** What an opposite-side signal does to an open position. */
  oppositeSignal: 'exit-and-reverse' | 'exit' | 'ignore';
  /** Allow more than one position per market (each entry is its own trade). */
  pyramiding: boolean;
  /** How a bar where both stop and target are touched is resolved when no lower-timeframe data decides it. */
  intrabar: 'stop-first' | 'target-first';
}

export type SizingOptions =
  | { kind: 'risk'; riskFraction: number; lotStep?: number }
  | { kind: 'fixed-fraction'; fraction: number; lotStep?: number }
  | { kind: 'fixed-amount'; amount: number; lotStep?: number }
  /** backtesting.py's default order: (1 − machine epsilon) of free margin, whole units. */
  | { kind: 'all-in'; lotStep?: number };

export interface FeeOptions {
  /** Fraction of notional charged on resting (limit / target) fills. */
  maker: number;
  /** Fraction of notional charged on market and stop fills. */
  taker: number;
}

export interface SlippageOptions {
  /** Adverse slippage on market and stop fills, in basis points of price. */
  bps?: number;
  /** Adverse slippage as a fraction of ATR (`signal.context.atr`); added to `bps`. */
  atrFraction?: number;
}

export interface SpreadOptions {
  /** Full bid-ask spread as a fraction of price. */
  fraction: number;
  /** 'cross-both': pay half the spread on every market fill; 'entry-only': pay the full spread on entries (backtesting.py). */
  model: 'cross-both' | 'entry-only';
}

export interface BacktestOptions {
  markets: MarketInput[];
  signalSource: SignalSource;
  management?: Partial<ManagementOptions>;
  sizing?: SizingOptions;
  fees?: Partial<FeeOptions>;
  slippage?: SlippageOptions;
  spread?: SpreadOptions;
  initialCash: number;
  /** Trades still open after the last candle: close at its close (default), at its open (backtesting.py finalize_trades), or leave open and uncounted. */
  finalize?: 'last-close' | 'last-open' | 'leave-open';
  /** Leading candles the signal source needs before it can decide (buy-and-hold is measured from here). */
  warmupBars?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** The signal policy (minimum score, cost in R); absent: every signal may enter (the account's side rule still holds). */
  policy?: { minScore: number; maxCostR: number };
  /** The risk governor's limits; absent: no governor (research mode, stated in the assumptions). */
  governance?: Governance;
  /** Exchange leverage of perp accounts (clamped to governance.leverageCap); spot is always 1. Default 1. */
  leverage?: number;
  /** The decision source: true approves. Backtest and replay approve every signal. */
  decide?: (signal: Signal) => boolean;
  /** Sees every decision, opened position and closed trade as it happens (journaling in replay / paper). */
  listener?: (event: SessionEvent) => void;
}

/** What the trading session reports outward; a closed trade carries its setup id and version. */
export type SessionEvent =
  | { type: 'decision'; ts: number; signal: Signal; accepted: boolean; rule?: string; reason?: string; verdict?: RiskVerdict; equity: number }
  | { type: 'position-opened'; ts: number; position: SimPosition }
  | { type: 'trade-closed'; ts: number; trade: TradeRecord }
  | { type: 'skipped'; ts: number; signal: Signal; rule: string; reason: string };

export type ExitReason = 'stop' | 'target' | 'trailing-stop' | 'break-even-stop' | 'time-stop' | 'opposite-signal' | 'end-of-data';

export interface ExitFill {
  ts: number;
  bar: number;
  price: number;
  size: number;
  fee: number;
  reason: ExitReason;
}

export interface TradeRecord {
  id: number;
  marketIndex: number;
  symbol: string;
  setupId: string;
  setupVersion: string;
  signalId: string;
  side: Side;
  /** Units opened (always positive; see `side`). */
  size: number;
  entryTs: number;
  entryBar: number;
  /** Index into the portfolio timeline (equals entryBar for a single market). */
  entryStep: number;
  entryPrice: number;
  exitTs: number;
  exitBar: number;
  exitStep: number;
  /** Size-weighted average of the exit fills. */
  exitPrice: number;
  exits: ExitFill[];
  initialStop: number;
  fees: number;
  /** Net of all fees, in quote currency. */
  pnl: number;
  /** pnl / (size × entryPrice): backtesting.py's ReturnPct. */
  returnPct: number;
  /** pnl / planned risk: size × (entry − stop fill + entry and stop fees), so a stopped trade is about −1R net; NaN without a stop. */
  rMultiple: number;
  exitReason: ExitReason;
}

export interface SkippedSignal {
  signalId: string;
  setupId: string;
  symbol: string;
  ts: number;
  rule: string;
  /** Why, in words (with the numbers when a governor rule refused it). */
  reason?: string;
}

export interface EquityCurve {
  ts: Float64Array;
  equity: Float64Array;
}

export interface BacktestReport {
  assumptions: Record<string, string>;
  trades: TradeRecord[];
  /** Positions still open at the end when `finalize` is 'leave-open' (not in the statistics). */
  openTrades: TradeRecord[];
  skipped: SkippedSignal[];
  equity: EquityCurve;
  initialCash: number;
  /** First tradable timeline index (warm-up) used for buy-and-hold. */
  warmupBars: number;
  stats: BacktestStatistics;
  breakdowns: Breakdowns;
}
