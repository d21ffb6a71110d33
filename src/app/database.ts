/**
 * The application's one database: every area's tables, as `allMigrations` (./store-migrations.ts) creates them.
 * main.ts and the CLI hold a Kysely<ItaDatabase> and hand each module its area through `asArea`
 * (src/engine/store/area.ts says why a narrowing is needed).
 */
import type { Database } from '../engine/store/schema.ts';
import type { ExecDatabase } from '../engine/exec/store/schema.ts';
import type { ExecutorDatabase } from '../engine/exec/executor/schema.ts';
import type { LearningDatabase } from '../engine/learning/store/schema.ts';
import type { LabTables } from '../engine/lab/store.ts';
import type { BacktestTables } from '../engine/backtest/service/store.ts';
import type { BotKvDatabase } from '../bot/session/sqlite-storage.ts';
import type { KnowledgeDatabase } from '../knowledge/store/schema.ts';

export type ItaDatabase = Database & ExecDatabase & ExecutorDatabase & LearningDatabase & LabTables & BacktestTables & BotKvDatabase & KnowledgeDatabase;
