/**
 * Every migration set of the application, as `ita start`, `ita db migrate` and `ita db copy` open the store: the
 * engine's own (run by openDatabase always) plus each module's, each with its own bookkeeping table.
 */
import type { OpenDatabaseOptions } from '../engine/store/database.ts';
import { backtestMigrations } from '../engine/backtest/service/store.ts';
import { execMigrations, EXEC_MIGRATION_TABLE } from '../engine/exec/store/migrations.ts';
import { executorMigrations, EXECUTOR_MIGRATION_TABLE } from '../engine/exec/executor/schema.ts';
import { learningMigrations, LEARNING_MIGRATION_TABLE } from '../engine/learning/store/migrations.ts';
import { LAB_MIGRATION_TABLE, labMigrations } from '../engine/lab/store.ts';
import { knowledgeMigrations } from '../knowledge/store/migrations.ts';
import { llmMigrations } from '../knowledge/llm/usage-store.ts';
import { botMigrations } from '../bot/session/migrations.ts';

export const allMigrations = {
  extraMigrations: {
    knowledge_migration: knowledgeMigrations,
    llm_migration: llmMigrations,
    bot_migration: botMigrations,
    backtest_migration: backtestMigrations,
    [EXEC_MIGRATION_TABLE]: execMigrations,
    [EXECUTOR_MIGRATION_TABLE]: executorMigrations,
    [LEARNING_MIGRATION_TABLE]: learningMigrations,
    [LAB_MIGRATION_TABLE]: labMigrations,
  },
} satisfies OpenDatabaseOptions;
