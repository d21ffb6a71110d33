/** The executor: approved signal → risk governor → broker → position management → journal (see ./executor.ts). */
export { createExecutor, type ExecutorFlags } from './executor.ts';
export { executorMigrations, EXECUTOR_MIGRATION_TABLE } from './schema.ts';
export { runReplay, type ReplayRunOptions, type ReplayRunResult } from '../../trading/replay.ts';
export { DEFAULT_INSTRUMENT, MarketStats, type InstrumentSpec, type Quote } from './market-stats.ts';
export type * from './types.ts';
