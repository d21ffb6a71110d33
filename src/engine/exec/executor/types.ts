/** The executor's public surface: what the bot and the CLI call, and the events the notifier subscribes to. */
import type { Kysely } from 'kysely';
import type { AccountType, Candle, MarketKey, Side, Signal, Timeframe } from '../../types.ts';
import type { Logger } from '../../../logger.ts';
import type { Governance, RiskVerdict } from '../../risk/index.ts';
import type { Broker } from '../broker.ts';
import type { InstrumentSpec, Quote } from './market-stats.ts';
import type { CostModel } from '../sim/fill-model.ts';
import type { OppositeSignalMode } from '../../trading/decision.ts';

export type ExecutionMode = 'paper' | 'live';

export interface ExecutorOptions {
  /** Any Kysely handle on the ITA database; the executor's and the broker's migrations must have run. */
  db: Kysely<any>;
  /** The paper broker: every entry goes here unless live mode was confirmed. */
  broker: Broker;
  /** The live broker, when configured; used only after requestLive() + confirmLive(code). */
  liveBroker?: Broker;
  /** Without a live broker: what is missing, in words /mode live quotes (e.g. which environment variables to set). */
  liveUnavailable?: string;
  /** The USDT-M perpetual paper broker: entries on markets whose account type is perp (paper mode). */
  perpBroker?: Broker;
  /** The USDT-M perpetual live broker: entries on perp markets once live mode was confirmed. */
  livePerpBroker?: Broker;
  governance: Governance;
  /** Epoch ms now: wall clock live, candle close time in a replay. */
  clock: () => number;
  logger?: Logger;
  /** Account equity at the very first start (quote currency); later starts continue from the stored state. */
  equity0: number;
  /** config `mode`: live trading can only be requested when this is 'live'. */
  configuredMode?: ExecutionMode;
  instrument?: (symbol: string) => InstrumentSpec;
  quote?: (symbol: string) => Quote | undefined;
  /** Position management plan when a signal does not carry its own (defaults: the backtester's). */
  management?: Partial<ManagementPlan>;
  /** Why new entries on a market are paused right now (health gates: stale feed, gap, clock skew), else undefined. */
  entryGate?: (market: { exchange?: string; symbol: string; timeframe: string }) => string | undefined;
  /**
   * The signal policy the trading session applies (trading/decision.ts): minimum score and cost limit from config
   * (`signals.minScore`, `signals.maxCostR`); default: neither (every score, any cost).
   */
  policy?: { minScore: number; maxCostR: number };
  /** The account type of a signal's market (the watchlist's `account`, else `exchange.account`); default spot. */
  accountOf?: (market: { symbol: string; timeframe: Timeframe }) => AccountType | Promise<AccountType>;
  /** What an opposite signal does, by the signal's setup (`exit_on_opposite` → exit-and-reverse); default ignore. */
  oppositeSignal?: (setupId: string) => OppositeSignalMode;
  /** The account's fees and slippage: signals' cost in R and the net-1R size (a stopped trade loses ≈ 1R net). Default none. */
  costs?: CostModel;
  /** One-time live confirmation codes; injected by tests. */
  randomCode?: () => string;
}

export interface ManagementPlan {
  /** Used when a signal has no targets: fraction of the position closed at each R multiple. */
  defaultTargets: { r: number; closeFraction: number }[];
  breakEvenAtR: number;
  trailAtrMultiple: number;
  timeStopBars: number;
}

/** The subset of a Signal the executor needs (the full Signal satisfies it). */
export type ApprovableSignal = Pick<
  Signal,
  'id' | 'setupId' | 'setupVersion' | 'symbol' | 'timeframe' | 'side' | 'ts' | 'entryType' | 'entry' | 'stop' | 'targets' | 'context' | 'validUntil'
> &
  /** A detected signal carries them; without a score the minimum score is not judged, without costs they are computed. */
  Partial<Pick<Signal, 'score' | 'costs'>>;

export type VerdictStatus = 'accepted' | 'refused' | 'failed';

export interface ApprovalResult {
  status: VerdictStatus;
  /** The governor's verdict, when it was asked (not for executor gates such as paused or exchange down). */
  verdict?: RiskVerdict;
  rule?: string;
  reason?: string;
  /** What the trader reads: sized and placed, or refused and why. */
  outcome: string;
  /** True when this signal had already been decided: nothing new was done. */
  duplicate: boolean;
}

export interface PositionView {
  id: string;
  account: ExecutionMode;
  symbol: string;
  timeframe: Timeframe;
  side: Side;
  setupId: string;
  setupVersion: string;
  status: 'pending' | 'open';
  entryPrice: number;
  size: number;
  remaining: number;
  stop: number;
  initialStop: number;
  lastPrice: number;
  realized: number;
  unrealized: number;
  /** (realized + unrealized) / initial risk of the whole position. */
  r: number;
  openedAt: number;
  /** Held by the broker, but ITA has no record of opening it (manual trade, lost verdict): not managed, only counted. */
  unmanaged?: boolean;
}

export type Period = 'day' | 'week' | 'month';

export interface PnlSummary {
  period: Period;
  from: number;
  to: number;
  realized: number;
  unrealized: number;
  total: number;
  realizedR: number;
  unrealizedR: number;
  trades: number;
  wins: number;
  bySetup: { setupId: string; trades: number; realized: number; realizedR: number; unrealized: number }[];
}

export type ExecutorEvent =
  /** `startup`: the live books could not be compared with the exchange when ITA started (the first reconciliation is still due). */
  | { type: 'exchange-unavailable'; at: number; message: string; startup?: true }
  | { type: 'exchange-recovered'; at: number; downSince: number; startup?: true }
  | { type: 'verdict'; signalId: string; result: ApprovalResult }
  | { type: 'position-opened'; positionId: string; symbol: string; entryPrice: number; size: number }
  | { type: 'stop-moved'; positionId: string; from: number; to: number; reason: string }
  /** The venue refused the protective stop after a fill; the broker sold the fill at market at once (reason says why). */
  | { type: 'stop-refused'; positionId: string; symbol: string; side: Side; reason: string; pnl: number }
  | { type: 'trade-closed'; positionId: string; symbol: string; setupId: string; setupVersion: string; pnl: number; r: number; reason: string }
  | { type: 'daily-lock'; at: number; text: string }
  | { type: 'kill-switch'; at: number; text: string }
  | { type: 'mode'; mode: ExecutionMode };

/** Who approved, as far as the signal policy cares. */
export interface ApprovalContext {
  /** The approving trader's own minimum score (traderMinScore: the one their pushes were filtered by); default the config's. */
  minScore?: number;
}

export interface Executor {
  approve(signal: ApprovableSignal, by: string, context?: ApprovalContext): Promise<ApprovalResult>;
  /**
   * Every detected signal, at its close (before any approval): the opposite-signal exit of the trading session —
   * open positions of the other side on the signal's market are closed at market (modes exit / exit-and-reverse).
   * Returns what was closed, in words.
   */
  onSignal(signal: ApprovableSignal): Promise<string[]>;
  /** Rebuilds market statistics only (restart warm-up): no fills, no management. */
  observe(market: MarketKey, candle: Candle): void;
  onCandle(market: MarketKey, candle: Candle): Promise<void>;
  positions(): Promise<PositionView[]>;
  close(positionId: string, by: string): Promise<string>;
  closeAll(by: string): Promise<string[]>;
  moveStopToBreakEven(positionId: string): Promise<string>;
  pnl(period: Period): Promise<PnlSummary>;
  risk(): Promise<string[]>;
  pause(by: string): Promise<string>;
  /** With `expectedToken` (from controlToken() when the question was shown) a changed state refuses: StaleConfirmationError. */
  resume(by: string, expectedToken?: string): Promise<string>;
  /** Fingerprint of the pause / kill switch / daily lock state that a /resume confirmation is bound to. */
  controlToken(): string;
  mode(): ExecutionMode;
  requestLive(): Promise<{ ok: true; code: string; expiresAt: number } | { ok: false; reason: string }>;
  confirmLive(code: string): Promise<{ ok: boolean; text: string }>;
  report(period: Period): Promise<{ text: string; equityPng?: Buffer }>;
  journalCsv(): Promise<string>;
  on(listener: (event: ExecutorEvent) => void): () => void;
  /** The exchange was unreachable when the live broker started (its books not compared): no new entries until it answers. */
  startupOutage(message: string): Promise<void>;
  /** Tries every live broker again (see ExecutorCore.reconnect); true once the exchange answered and entries may resume. */
  reconnect(): Promise<boolean>;
  /** Current equity (quote) as the governor sees it. */
  equity(): number;
}
