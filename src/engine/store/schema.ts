/**
 * The typed Kysely view of the engine's tables. Epoch-ms integers for times, 0/1 for booleans.
 * Each migration that adds a table adds its interface here.
 */
import type { ColumnType, Generated } from 'kysely';

export interface CandleTable {
  exchange: string;
  symbol: string;
  timeframe: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface SetupVersionTable {
  id: string;
  version: string;
  name: string;
  /** The normalized definition as JSON. */
  definition: string;
  /** The YAML text of this version (with chat overrides applied). */
  source: string;
  first_seen: number;
}

export interface SetupOverrideTable {
  setup_id: string;
  param: string;
  value: number;
  updated_at: number;
}

export interface SetupSwitchTable {
  setup_id: string;
  enabled: number;
  updated_at: number;
}

export interface SignalTable {
  id: string;
  setup_id: string;
  setup_version: string;
  setup_name: string;
  exchange: string;
  symbol: string;
  timeframe: string;
  side: string;
  ts: number;
  entry_type: string;
  entry: number;
  stop: number;
  /** JSON SignalTarget[]. */
  targets: string;
  rr: number;
  score: number;
  rank: number;
  /** JSON { strengths, weaknesses }. */
  reasons: string;
  /** JSON context snapshot. */
  context: string;
  valid_until: number;
  /** JSON SignalCosts (null for signals journaled before costs existed). */
  costs: string | null;
  /** The signal policy's rule and reason when it kept the signal from every recipient (null: pushed or not judged). */
  policy_rule: ColumnType<string | null, string | null | undefined, string | null>;
  policy_reason: ColumnType<string | null, string | null | undefined, string | null>;
  pushed: Generated<number>;
  pushed_at: number | null;
  created_at: number;
}

export interface DecisionTable {
  id: Generated<number>;
  signal_id: string;
  kind: string;
  by_user: number;
  reason: string | null;
  decided_at: number;
  latency_ms: number;
}

export interface OutboxTable {
  id: Generated<number>;
  signal_id: string;
  chat_id: number;
  kind: string;
  payload: string;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  message_id: number | null;
  created_at: number;
  sent_at: number | null;
}

export interface WatchlistTable {
  exchange: string;
  symbol: string;
  timeframe: string;
  added_at: number;
  /** spot | perp; NULL = the configured default (exchange.account). */
  account: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UserSettingsTable {
  user_id: number;
  /** JSON Partial<UserSettings>: only what the user changed; defaults come from config. */
  settings: string;
  updated_at: number;
}

export interface Database {
  candles: CandleTable;
  setup_versions: SetupVersionTable;
  setup_overrides: SetupOverrideTable;
  setup_switches: SetupSwitchTable;
  signals: SignalTable;
  decisions: DecisionTable;
  outbox: OutboxTable;
  watchlist: WatchlistTable;
  user_settings: UserSettingsTable;
}
