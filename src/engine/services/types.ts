/**
 * The engine side of the bot's service contract (src/bot/services.ts). The engine must not import the bot, so the
 * shapes are declared here; test/engine/services checks at compile time that they stay assignable to BotServices.
 */
import type { MarketKey, Signal, Timeframe } from '../types.ts';

export type Language = 'en' | 'ru';

export interface UserSettings {
  language: Language;
  minScore: number;
  timezone: string;
  quietHours?: string;
  askOnPlainText: boolean;
}

export interface WatchEntry extends MarketKey {
  addedAt: number;
  lastCandleTs?: number;
}

export interface FeedStatus extends WatchEntry {
  stale: boolean;
  health: string;
}

export interface StatusReport {
  mode: 'paper' | 'live';
  paused: boolean;
  startedAt: number;
  feeds: FeedStatus[];
  setupsEnabled: number;
  signalsToday: number;
  pendingDeliveries: number;
  extra: string[];
}

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
  stats?: SetupStats;
}

export interface SetupDetail extends SetupSummary {
  description: string;
  rationale: string;
  params: Record<string, { value: number; min?: number; max?: number; step?: number }>;
  yaml: string;
}

export type DecisionKind = 'approve' | 'reject';

export type DecisionResult =
  | { ok: true; decision: DecisionKind; latencyMs: number; outcome: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'already-decided'; message: string };

export interface SimilarSignal {
  signal: Signal;
  outcome: string;
  similarity: number;
}

export interface EngineServices {
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
  };
  signals: {
    recent(limit: number): Promise<Signal[]>;
    get(id: string): Promise<Signal | undefined>;
    decide(id: string, decision: DecisionKind, by: number, reason?: string): Promise<DecisionResult>;
    similar(id: string, limit: number): Promise<SimilarSignal[]>;
  };
  settings: {
    get(userId: number): Promise<UserSettings>;
    update(userId: number, patch: Partial<UserSettings>): Promise<UserSettings>;
  };
}
