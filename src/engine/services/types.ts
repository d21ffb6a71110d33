/**
 * The service contract between the engine and its front ends (the Telegram bot, the CLI). Declared in the engine so
 * the engine never imports the bot; src/bot/services.ts re-exports these and adds what only the bot needs.
 */
import type { DecisionEdge } from '../learning/journal/decision-edge.ts';
import type { RegimeReading } from '../regime/types.ts';
import type { MarketKey, Signal, Timeframe } from '../types.ts';

export type Language = 'en' | 'ru';

/** The trader's preferences, persisted per user. */
export interface UserSettings {
  language: Language;
  /** Signals scoring below this are journaled but not pushed. */
  minScore: number;
  /** IANA time zone for displaying times and quiet hours. */
  timezone: string;
  /** Local "HH:MM-HH:MM" during which signals are held in the outbox and delivered afterwards; undefined = none. */
  quietHours?: string;
  /** Plain text that is not a command is answered as a question to the knowledge base. */
  askOnPlainText: boolean;
}

export interface WatchEntry extends MarketKey {
  addedAt: number;
  /** Open time of the last closed candle processed, if any. */
  lastCandleTs?: number;
}

export interface FeedStatus extends WatchEntry {
  stale: boolean;
  /** Human description of the feed's health, e.g. "ok", "stale since 12:00 UTC", "backfilling". */
  health: string;
  /** The market's regime as of its last candle, when the pipeline knows it. */
  regime?: RegimeReading;
}

export interface StatusReport {
  mode: 'paper' | 'live';
  paused: boolean;
  startedAt: number;
  feeds: FeedStatus[];
  setupsEnabled: number;
  signalsToday: number;
  /** Outbox messages waiting for delivery. */
  pendingDeliveries: number;
  /** Extra lines from other modules (LLM usage today, risk state, ...). */
  extra: string[];
}

export type { SetupChange, SetupDraft } from './setup-edits.ts';
import type { SetupChange, SetupDraft } from './setup-edits.ts';

export interface SetupStats {
  trades: number;
  winRate: number;
  expectancyR: number;
}

export interface SetupSummary {
  id: string;
  name: string;
  version: string;
  timeframe: Timeframe;
  enabled: boolean;
  /** Journal + backtest statistics of this version, when any. */
  stats?: SetupStats;
  /** Outcomes of this version's signals by the trader's decision, with recommendations (learning/journal/decision-edge.ts). */
  edge?: DecisionEdge;
}

export interface SetupDetail extends SetupSummary {
  description: string;
  rationale: string;
  params: Record<string, { value: number; min?: number; max?: number; step?: number }>;
  /** The YAML source as loaded. */
  yaml: string;
}

export type DecisionKind = 'approve' | 'reject';

export type DecisionResult =
  | { ok: true; decision: DecisionKind; latencyMs: number; /** What happened next, e.g. "paper order placed" or "recorded". */ outcome: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'already-decided'; message: string };

export type SignalStatus = 'waiting' | 'expired' | 'rejected' | 'approved' | 'not-placed' | 'order' | 'open' | 'cancelled' | 'closed';

export interface SignalHistoryItem {
  signal: Signal;
  status: SignalStatus;
  /** Result in R of a closed trade (net of costs, as the executor books it). */
  r?: number;
  decidedAt?: number;
  /** Reject reason, refusing rule, or close reason. */
  reason?: string;
}

export interface SimilarSignal {
  signal: Signal;
  /** Outcome in R when known ("open" / "no trade" otherwise). */
  outcome: string;
  similarity: number;
  /** Result in R of the trade it led to (journal: the executor's closed trade; backtest: the simulated trade). */
  r?: number;
  /** Where the occurrence comes from: the journal (it was pushed) or a backtest replay of the setup before it. */
  source?: 'journal' | 'backtest';
}

export interface BacktestRequest {
  setupId: string;
  symbol: string;
  timeframe: Timeframe;
  exchange?: string;
  /** Epoch ms; undefined = all stored history. */
  from?: number;
  to?: number;
  walkForward?: boolean;
  monteCarlo?: number;
  /** Genetic search of the setup's parameter ranges on the first 70 % of the period, the winner re-run on the rest. */
  optimize?: boolean;
}

/** What an optimization found, offered to the trader as "apply these parameters" (a new setup version). */
export interface OptimizedParameters {
  setupId: string;
  /** The version that was optimized: applying refuses once the setup has changed since. */
  version: string;
  current: Record<string, number>;
  best: Record<string, number>;
  /** The winner on the held-out part, net of costs. */
  outOfSample: { trades: number; expectancyR: number; returnPct: number };
}

export interface BacktestProgress {
  done: number;
  total: number;
  stage: string;
}

export interface BacktestResult {
  /** Plain-text summary lines (trades, win rate, expectancy, profit factor, drawdown, Sharpe, ...). */
  summary: string[];
  equityPng: Buffer;
  tradesCsv: Buffer;
  /** Set when the request asked for an optimization and it found parameters. */
  optimized?: OptimizedParameters;
}

/** What the candle store holds for one market (ts = candle open times, epoch ms). */
export interface StoredRange extends MarketKey {
  count: number;
  firstTs: number;
  lastTs: number;
}

export interface EngineServices {
  /**
   * The one clock of this run, epoch ms: the wall clock live, the replay's position in a bar replay. Every view that
   * says "now", "today" or "the last N days" reads it, so a replay never shows its own future.
   */
  now(): number;
  /** Stored candle ranges, for periods relative to the data and for errors that say which data exists. */
  candles: {
    stored(): Promise<StoredRange[]>;
  };
  status(): Promise<StatusReport>;
  watchlist: {
    add(market: MarketKey): Promise<{ added: boolean; message: string }>;
    remove(market: MarketKey): Promise<boolean>;
    list(): Promise<WatchEntry[]>;
  };
  setups: {
    list(): Promise<SetupSummary[]>;
    get(id: string): Promise<SetupDetail | undefined>;
    setEnabled(id: string, enabled: boolean): Promise<SetupSummary>;
    setParam(id: string, name: string, value: number): Promise<SetupSummary>;
    /** A change drafted (validated, with its diff and new version) but not applied; throws InputError when invalid. */
    draft(id: string, change: SetupChange): Promise<SetupDraft>;
    /** Applies a confirmed draft: a new version (or a new setup for a clone). */
    apply(draft: SetupDraft): Promise<SetupSummary>;
  };
  signals: {
    recent(limit: number): Promise<Signal[]>;
    /** Newest first, `limit` from `offset`, each with what became of it. */
    history(offset: number, limit: number): Promise<{ items: SignalHistoryItem[]; total: number }>;
    get(id: string): Promise<Signal | undefined>;
    decide(id: string, decision: DecisionKind, by: number, reason?: string): Promise<DecisionResult>;
    similar(id: string, limit: number): Promise<SimilarSignal[]>;
  };
  settings: {
    get(userId: number): Promise<UserSettings>;
    update(userId: number, patch: Partial<UserSettings>): Promise<UserSettings>;
  };
}
