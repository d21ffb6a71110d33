/** Typed Kysely view of the learning tables (see ./migrations.ts). Epoch-ms integers, JSON text for models. */
import type { Generated } from 'kysely';
import type { Database } from '../../store/schema.ts';

export interface LearningModelTable {
  setup_id: string;
  setup_version: string;
  trained_at: number;
  n: number;
  n_oos: number;
  auc: number | null;
  auc_low: number | null;
  auc_high: number | null;
  brier: number | null;
  model_json: string;
  report_json: string;
}

export interface LearningLabelTable {
  id: Generated<number>;
  setup_id: string;
  symbol: string;
  timeframe: string;
  ts: number;
  side: string;
  source: string;
  screenshot: string | null;
  created_at: number;
}

export interface LearningOutcomeTable {
  signal_id: string;
  setup_id: string;
  setup_version: string;
  exchange: string;
  symbol: string;
  timeframe: string;
  signal_ts: number;
  /** closed | open | not-filled */
  status: string;
  /** 1: the executor's real trade; 0: counterfactual (the trader did not take it, or it never reached them). */
  taken: number;
  net_r: number | null;
  entry_ts: number | null;
  entry_price: number | null;
  exit_ts: number | null;
  exit_reason: string | null;
  reason: string | null;
  window_end_ts: number;
  updated_at: number;
}

export interface LearningDatabase {
  learning_models: LearningModelTable;
  learning_labels: LearningLabelTable;
  learning_outcomes: LearningOutcomeTable;
}

/** What the journal's learning reads: its own tables beside the engine's signals, decisions and candles. */
export type LearningJournalDatabase = Database & LearningDatabase;
