/**
 * The LLM layer's front door: builds the router from `config.llm` (or returns null when no provider is configured,
 * which callers treat as "answer without an LLM").
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import { routedProviders } from './providers.ts';
import { createLlmRouter, type LlmRouter, type RouterOptions } from './router.ts';
import { createMemoryUsageLedger, createSqliteUsageLedger, type UsageLedger } from './usage-store.ts';

export { llmMigrations, createSqliteUsageLedger, createMemoryUsageLedger } from './usage-store.ts';
export type { UsageSummary, UsageLedger, LlmCallRow } from './usage-store.ts';
export { createLlmRouter } from './router.ts';
export type { LlmRouter, LlmReply, CompleteOptions } from './router.ts';
export { LlmBudgetExceededError, LlmUnavailableError, LlmOutputError } from './errors.ts';
export { completeStructured, parseStructured, repairJson } from './structured.ts';
export { runEnsemble, runSequential, runSpecialized } from './modes.ts';

export type LlmMode = Config['llm']['mode'];

export interface LlmLayerOptions {
  /** The database opened with `extraMigrations: { llm_migration: llmMigrations }`; without it usage is kept in memory. */
  db?: Kysely<any>;
  ledger?: UsageLedger;
  router?: Partial<Pick<RouterOptions, 'retries' | 'backoffMs' | 'maxRetryAfterMs' | 'sleep' | 'now'>>;
}

export function createLlmLayer(llm: Config['llm'], options: LlmLayerOptions = {}): LlmRouter | null {
  if (llm.providers.length === 0) return null;
  const ledger = options.ledger ?? (options.db ? createSqliteUsageLedger(options.db) : createMemoryUsageLedger());
  return createLlmRouter({ ...options.router, providers: routedProviders(llm.providers), ledger, dailyBudgetUsd: llm.dailyBudgetUsd });
}
