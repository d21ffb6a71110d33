/** Typed Kysely view of the learning tables (see ./migrations.ts). Epoch-ms integers, JSON text for models. */
import type { Generated } from 'kysely';

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

export interface LearningDatabase {
  learning_models: LearningModelTable;
  learning_labels: LearningLabelTable;
}
