/**
 * The backtest service behind the bot's /backtest (and anything else that wants one): stored candles → the live
 * detector → the runner → summary lines, equity PNG and trades CSV. Each finished run is stored per setup version;
 * `setupHistory` serves those results to the detector's scoring. The shapes mirror `BotServices['backtest']`
 * (declared here structurally: the engine does not import the bot).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { MarketKey, Timeframe } from '../../types.ts';
import { InputError, ItaError } from '../../errors.ts';
import { isTimeframe } from '../../market/timeframes.ts';
import { getCandles, listMarkets } from '../../store/candles.ts';
import type { Database } from '../../store/schema.ts';
import { loadSetupFile, type Setup } from '../../setups/index.ts';
import type { SetupHistory } from '../../signals/scoring.ts';
import { reportJson, tradesCsv } from '../outputs.ts';
import { analyzeSetup } from './analysis.ts';
import { renderEquityPng } from './charts.ts';
import { DEFAULT_SIMULATION, seriesForSetup, type SimulationSettings } from './run-setup.ts';
import { describeTerms, simulationTerms } from './terms.ts';
import { countRuns, historyKey, insertRun, loadHistories, type BacktestTables } from './store.ts';

export { backtestMigrations } from './store.ts';

export type { BacktestRequest, BacktestProgress, BacktestResult } from '../../services/types.ts';
import type { BacktestRequest, BacktestProgress, BacktestResult, OptimizedParameters } from '../../services/types.ts';
import type { OptimizeResult } from '../optimizer.ts';
import type { WorkQueue } from '../../queue/remote.ts';

export interface BacktestServiceDeps {
  /** Opened with `extraMigrations: { backtest_migration: backtestMigrations }`. */
  db: Kysely<Database>;
  /** Full reports of each run are kept under `<dataDir>/backtests/`. */
  dataDir: string;
  setupsDir: string;
  settings?: SimulationSettings;
  /**
   * The version of a setup the bot trades (the setup registry, with /setup edits applied). Backtests, walk-forward
   * and the optimizer run THAT version and store under it; absent or unknown id: the YAML file.
   */
  setupFor?: (id: string) => Setup | undefined;
  /** Walk-forward windows used by the bot's request (days). */
  walkForward?: { trainDays: number; testDays: number };
  ruinDrawdownPct?: number;
  /** Worker threads of the bot's optimizer runs (default: one per core). */
  optimizerWorkers?: number;
  /** The job queue (config queue.url): walk-forward windows and optimizer evaluations run on `ita worker` processes. */
  queue?: WorkQueue;
}

/** Share of the period the bot's optimizer searches on; the rest is held out for the winner's re-run. */
const OPTIMIZE_TRAIN_SPLIT = 0.7;

export interface BacktestService {
  markets(): Promise<MarketKey[]>;
  run(request: BacktestRequest, onProgress: (p: BacktestProgress) => void, signal: AbortSignal): Promise<BacktestResult>;
  /** Stored backtest results of a setup version (latest run per market, combined); undefined when never run. */
  setupHistory(setupId: string, version: string): SetupHistory | undefined;
  /** Re-reads the stored runs (e.g. after another process wrote some). */
  refreshHistory(): Promise<void>;
  /** How many runs are stored. */
  storedRuns(): Promise<number>;
}

/** A cancelled run: nothing was stored. */
export class BacktestCancelledError extends ItaError {}

export async function createBacktestService(deps: BacktestServiceDeps): Promise<BacktestService> {
  const db = deps.db.withTables<BacktestTables>() as unknown as Kysely<BacktestTables>;
  let histories = await loadHistories(db);
  const settings = deps.settings ?? DEFAULT_SIMULATION;

  async function run(request: BacktestRequest, onProgress: (p: BacktestProgress) => void, signal: AbortSignal): Promise<BacktestResult> {
    const what = `${request.setupId} on ${request.symbol} ${request.timeframe}`;
    try {
      return await runUnguarded(request, onProgress, signal);
    } catch (error) {
      if (signal.aborted) throw new BacktestCancelledError(`backtest of ${what} cancelled; nothing was stored`, {}, { cause: error });
      throw error;
    }
  }

  async function runUnguarded(request: BacktestRequest, onProgress: (p: BacktestProgress) => void, signal: AbortSignal): Promise<BacktestResult> {
    if (!/^[a-z][a-z0-9_]*$/.test(request.setupId)) throw new InputError(`not a setup id: "${request.setupId}"`, { field: 'setupId', value: request.setupId });
    if (!isTimeframe(request.timeframe)) throw new InputError(`not a timeframe: "${request.timeframe}"`, { field: 'timeframe', value: request.timeframe });
    const setup = deps.setupFor?.(request.setupId) ?? setupFromFile(request.setupId);
    const exchange = request.exchange ?? (await exchangeOf(request.symbol, request.timeframe));
    const key = { exchange, symbol: request.symbol, timeframe: request.timeframe };
    onProgress({ stage: 'loading candles', done: 0, total: 1 });
    // Everything before `from` is loaded too: it warms the detector's indicators up.
    const candles = await getCandles(deps.db, key, { to: request.to === undefined ? undefined : request.to - 1 });
    if (candles.length === 0) throw new InputError(`no stored ${request.timeframe} candles for ${exchange} ${request.symbol}`, { field: 'symbol', value: request.symbol });
    const market = seriesForSetup(candles, request.timeframe, setup, key, { from: request.from, to: request.to });
    const analysis = await analyzeSetup({
      setup,
      market,
      settings,
      walkForward: request.walkForward ? (deps.walkForward ?? { trainDays: 60, testDays: 30 }) : undefined,
      monteCarlo: request.monteCarlo ? { iterations: request.monteCarlo, ruinDrawdownPct: deps.ruinDrawdownPct ?? 30 } : undefined,
      // The specification's genetic search (population 50, 20 generations) under the composite objective.
      optimize: request.optimize && !request.walkForward ? { method: 'genetic', objective: 'composite', trainSplit: OPTIMIZE_TRAIN_SPLIT, workers: deps.optimizerWorkers } : undefined,
      onProgress,
      signal,
      queue: deps.queue,
    });
    // The terms it ran under, as the lab prints them: two verdicts compare only under the same terms.
    analysis.summary.push(describeTerms(simulationTerms(settings)));
    onProgress({ stage: 'chart', done: 0, total: 1 });
    const title = `${setup.name} · ${key.symbol} ${market.key.timeframe}`;
    const traded = market.candles;
    const equityPng = await renderEquityPng(analysis.report, title, traded);
    const csv = tradesCsv(analysis.report.trades);
    // The last moment a cancel can land: after it the run is stored and reported.
    signal.throwIfAborted();
    const createdAt = Date.now();
    const rTrades = analysis.report.trades.filter((t) => Number.isFinite(t.rMultiple)).length;
    await insertRun(db, {
      setupId: setup.id,
      setupVersion: setup.version,
      exchange,
      symbol: key.symbol,
      timeframe: market.key.timeframe,
      from: traded[0].ts,
      to: traded[traded.length - 1].ts,
      stats: analysis.report.stats,
      rTrades,
      summary: analysis.summary,
      createdAt,
    });
    histories = await loadHistories(db);
    await keepReport(deps.dataDir, `${setup.id}@${setup.version}_${key.symbol.replace(/[^A-Za-z0-9]+/g, '')}_${market.key.timeframe}_${createdAt}`, analysis.report, csv, equityPng);
    onProgress({ stage: 'done', done: 1, total: 1 });
    return { summary: analysis.summary, equityPng, tradesCsv: Buffer.from(csv), optimized: optimizedParameters(setup, analysis.optimization?.result) };
  }

  function setupFromFile(id: string): Setup {
    const file = path.join(deps.setupsDir, `${id}.yaml`);
    if (!existsSync(file)) throw new InputError(`no setup "${id}"`, { field: 'setupId', value: id, file });
    return loadSetupFile(file);
  }

  async function exchangeOf(symbol: string, timeframe: Timeframe): Promise<string> {
    const stored = (await listMarkets(deps.db)).filter((m) => m.symbol === symbol && m.timeframe === timeframe);
    if (stored.length === 0) throw new InputError(`no stored ${timeframe} candles for ${symbol}`, { field: 'symbol', value: symbol });
    return stored[0].exchange;
  }

  return {
    async markets() {
      return (await listMarkets(deps.db))
        .filter((m) => isTimeframe(m.timeframe))
        .map((m) => ({ exchange: m.exchange, symbol: m.symbol, timeframe: m.timeframe as Timeframe }));
    },
    run,
    setupHistory: (setupId, version) => histories.get(historyKey(setupId, version)),
    async refreshHistory() {
      histories = await loadHistories(db);
    },
    storedRuns: () => countRuns(db),
  };
}

function optimizedParameters(setup: Setup, result: OptimizeResult | undefined): OptimizedParameters | undefined {
  if (!result) return undefined;
  const current = Object.fromEntries(Object.entries(setup.params).map(([name, p]) => [name, p.value]));
  const stats = result.outOfSample.stats as { trades: number; avgR: number; returnPct: number };
  return {
    setupId: setup.id, version: setup.version, current, best: { ...result.best.params },
    outOfSample: { trades: stats.trades, expectancyR: stats.avgR, returnPct: stats.returnPct },
  };
}

async function keepReport(dataDir: string, name: string, report: Parameters<typeof reportJson>[0], csv: string, png: Buffer): Promise<void> {
  const dir = path.join(dataDir, 'backtests', name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'report.json'), reportJson(report));
  await writeFile(path.join(dir, 'trades.csv'), csv);
  await writeFile(path.join(dir, 'equity.png'), png);
}
