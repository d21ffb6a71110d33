/** Backtest services: the runner, backtesting.py compatibility, statistics, validation tools and outputs. */
export { runBacktest } from './runner.ts';
export { backtestingPyMode, smaCrossSource, crossover, type BacktestingPyOptions } from './compat.ts';
export { DEFAULT_MANAGEMENT, DEFAULT_SIZING } from './settings.ts';
export { computeStatistics, tradeStatistics, type BacktestStatistics, type TradeStatistics } from './metrics.ts';
export { computeBreakdowns, type Breakdowns } from './breakdown.ts';
export { monteCarlo, mcTrades, type MonteCarloOptions, type MonteCarloResult } from './monte-carlo.ts';
export { walkForward, walkForwardWindows, trainTestSplit, aggregateWindows, type WalkForwardWindow } from './walk-forward.ts';
export { optimize, gridSearch, geneticSearch, gridPoints, score, type ParamRanges, type Objective } from './optimizer.ts';
export { WorkerPool } from './worker-pool.ts';
export { writeBacktestOutputs, tradesCsv, reportJson, type EquityRenderer } from './outputs.ts';
export type * from './types.ts';
