/**
 * A full backtest of one setup as the trader asks for it (CLI or Telegram): the run itself, then optionally
 * walk-forward windows, a Monte Carlo of the trade list and a parameter optimization with its out-of-sample check,
 * plus the plain-text summary of all of it. Cancellable between and inside the steps through an AbortSignal.
 */
import type { Candle, Signal } from '../../types.ts';
import type { Setup } from '../../setups/index.ts';
import type { DetectorOptions } from '../../signals/detector.ts';
import type { BacktestReport } from '../types.ts';
import { walkForward, type WalkForwardResult } from '../walk-forward.ts';
import { mcTrades, monteCarlo, type MonteCarloResult } from '../monte-carlo.ts';
import type { OptimizeResult } from '../optimizer.ts';
import type { CompositeObjective } from '../objective.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import { setupWarmupBars } from '../detector-source.ts';
import { runSetupBacktest, seriesLength, seriesTs, sliceSeries, type MarketSeries, type SimulationSettings } from './run-setup.ts';
import { optimizeSetup, splitSeries, type ObjectiveName } from './optimize.ts';
import { monteCarloSummary, optimizeSummary, reportSummary, walkForwardSummary } from './summary.ts';
import { remoteBacktestStats, remoteReport, type WorkQueue } from '../../queue/remote.ts';

export interface AnalysisProgress {
  stage: string;
  done: number;
  total: number;
}

export interface AnalysisRequest {
  setup: Setup;
  market: MarketSeries;
  settings: SimulationSettings;
  detail?: Candle[];
  walkForward?: { trainDays: number; testDays: number };
  /**
   * Bootstrap of the trades, then the same trades re-costed with extra slippage in [0, slippageBps] bps per fill
   * (default 10) and fees × [1 − feeJitter, 1 + feeJitter] (default 0.5).
   */
  monteCarlo?: { iterations: number; ruinDrawdownPct: number; seed?: number; slippageBps?: number; feeJitter?: number };
  optimize?: {
    method: 'grid' | 'genetic';
    objective: ObjectiveName;
    composite?: Partial<CompositeObjective>;
    trainSplit: number;
    workers?: number;
    population?: number;
    generations?: number;
    mutationRate?: number;
    crossoverRate?: number;
  };
  history?: DetectorOptions['history'];
  /** Keep every signal offered to the session in `signals` (for trade charts); default true. Hundreds of MB on multi-million-candle runs. */
  keepSignals?: boolean;
  /** Structure and sessions in the signals' context (for trade charts); default true. The trades do not depend on it. */
  describeContext?: boolean;
  onProgress?: (p: AnalysisProgress) => void;
  signal?: AbortSignal;
  /** Walk-forward windows and optimizer evaluations become jobs here (`ita worker` runs them); unset = in-process. */
  queue?: WorkQueue;
  /** Print every assumption under the statistics. */
  assumptions?: boolean;
}

export interface AnalysisResult {
  report: BacktestReport;
  /** The signals the runner was offered, by id (for trade charts). */
  signals: Map<string, Signal>;
  walkForward?: WalkForwardResult;
  /** Bootstrap resampling of the trades (with replacement). */
  monteCarlo?: MonteCarloResult;
  /** The same trades in the same order with randomly varied slippage and fees. */
  monteCarloCosts?: MonteCarloResult & { slippageBps: number; feeJitter: number };
  optimization?: { result: OptimizeResult; trainEnd: number };
  summary: string[];
}

/**
 * Candles replayed before each walk-forward window. Replaying the whole history before every window would make
 * walk-forward quadratic; indicators forget their start within a few multiples of their period (an EMA(200)
 * keeps < 0.01 % of its seed after 1,000 candles) and pattern state lives on recent swings.
 */
function walkForwardWarmup(setup: Setup): number {
  return Math.max(1000, 5 * setupWarmupBars(setup));
}

/** Lets a pending abort (a button press, Ctrl-C) be delivered between CPU-bound steps. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function analyzeSetup(req: AnalysisRequest): Promise<AnalysisResult> {
  const { setup, market, settings } = req;
  const progress = (stage: string) => (done: number, total: number) => req.onProgress?.({ stage, done, total });
  const signals = new Map<string, Signal>();
  req.signal?.throwIfAborted();
  // On a queue the run itself is a job too, unless it scores with a history function (which cannot travel).
  const report = req.queue && !req.history
    ? await queuedReport(req, req.queue, signals)
    : runSetupBacktest({
      setup,
      market,
      settings,
      detail: req.detail,
      history: req.history,
      describeContext: req.describeContext,
      onSignal: req.keepSignals === false ? undefined : (s) => signals.set(s.id, s),
      onProgress: progress('backtest'),
      signal: req.signal,
    });
  const plan = setupPlan(setup, settings);
  if (plan) report.assumptions.setupManagement = plan;
  const count = seriesLength(market);
  const first = seriesTs(market, 0);
  const lastTs = seriesTs(market, count - 1);
  const summary = reportSummary(
    report,
    { setup: `${setup.id}@${setup.version}`, market: `${market.key.exchange} ${market.key.symbol} ${market.key.timeframe}`, candles: count, start: first, end: lastTs },
    { assumptions: req.assumptions, compat: settings.compat !== undefined },
  );
  const result: AnalysisResult = { report, signals, summary };

  if (req.walkForward) {
    await breathe();
    req.signal?.throwIfAborted();
    const range = { start: first, end: lastTs + timeframeMs(market.key.timeframe) };
    const wf = req.walkForward;
    const warmup = walkForwardWarmup(setup);
    report.assumptions.walkForwardWarmup = `each walk-forward window warms the detector up on the ${warmup} candles before it`;
    result.walkForward = await walkForward(
      range,
      async (window) => {
        await breathe();
        req.signal?.throwIfAborted();
        if (req.optimize) {
          const o = req.optimize;
          const best = await optimizeSetup({ ...o, setup, settings, train: sliceSeries(market, window.train.start, window.train.end, warmup), test: sliceSeries(market, window.test.start, window.test.end, warmup), queue: req.queue, signal: req.queue ? req.signal : undefined });
          return best.outOfSample.stats as unknown as BacktestReport['stats'];
        }
        if (req.queue) {
          // The worker cuts the same window out of the whole series (stored once for every window).
          const window_ = { start: window.test.start, end: window.test.end, maxWarmup: warmup };
          return (await remoteBacktestStats(req.queue, { setup, market, settings, window: window_ }, req.signal)) as BacktestReport['stats'];
        }
        return runSetupBacktest({ setup, market: sliceSeries(market, window.test.start, window.test.end, warmup), settings, signal: req.signal });
      },
      { trainDays: wf.trainDays, testDays: wf.testDays, onProgress: progress('walk-forward'), concurrent: req.queue !== undefined },
    );
    if (result.walkForward.windows.length === 0) {
      summary.push(`Walk-forward: the data is shorter than one ${wf.trainDays}-day training + ${wf.testDays}-day test window`);
    } else {
      summary.push(...walkForwardSummary(result.walkForward, req.optimize ? 'parameters optimized on each training window' : 'fixed parameters; training windows only warm up'));
    }
  }

  if (req.monteCarlo) {
    await breathe();
    req.signal?.throwIfAborted();
    const mc = req.monteCarlo;
    if (report.trades.length < 2) summary.push(`Monte Carlo: needs at least 2 trades, the backtest made ${report.trades.length}`);
    else {
      const trades = mcTrades(report.trades, { values: report.equity.equity, initialCash: report.initialCash });
      // Risk-percent and fraction sizing scale every trade with the account; a fixed amount does not.
      const sizing = settings.sizing?.kind === 'fixed-amount' ? 'fixed' : 'account';
      const common = { initialCash: report.initialCash, iterations: mc.iterations, seed: mc.seed ?? 1, sizing, ruinDrawdown: mc.ruinDrawdownPct / 100 } as const;
      result.monteCarlo = monteCarlo(trades, { ...common, method: 'bootstrap' });
      const slippageBps = mc.slippageBps ?? 10;
      const feeJitter = mc.feeJitter ?? 0.5;
      result.monteCarloCosts = { ...monteCarlo(trades, { ...common, method: 'none', slippageJitterBps: slippageBps, feeJitter }), slippageBps, feeJitter };
      summary.push(...monteCarloSummary(result.monteCarlo, mc.ruinDrawdownPct, { actualReturnPct: report.stats.returnPct, actualDrawdownPct: -report.stats.maxDrawdownPct }));
      summary.push(...monteCarloSummary(result.monteCarloCosts, mc.ruinDrawdownPct, { slippageBps, feeJitter }));
    }
  }

  if (req.optimize && !req.walkForward) {
    await breathe();
    req.signal?.throwIfAborted();
    const { train, test, cut } = splitSeries(market, req.optimize.trainSplit);
    const optimized = await optimizeSetup({ ...req.optimize, setup, settings, train, test, onProgress: progress('optimize'), queue: req.queue, signal: req.queue ? req.signal : undefined });
    result.optimization = { result: optimized, trainEnd: cut };
    summary.push(...optimizeSummary(optimized, req.optimize.objective, { trainEnd: cut, composite: req.optimize.composite }));
  }
  return result;
}

async function queuedReport(req: AnalysisRequest, queue: WorkQueue, signals: Map<string, Signal>): Promise<BacktestReport> {
  req.onProgress?.({ stage: 'backtest', done: 0, total: 1 });
  const job = { setup: req.setup, market: req.market, settings: req.settings, detail: req.detail, describeContext: req.describeContext, keepSignals: req.keepSignals !== false };
  const { report, signals: offered } = await remoteReport(queue, job, req.signal);
  for (const s of offered) signals.set(s.id, s);
  req.onProgress?.({ stage: 'backtest', done: 1, total: 1 });
  return report;
}

/** The setup's own management overrides the default plan per signal; say so next to the default's description. */
function setupPlan(setup: Setup, settings: SimulationSettings): string | undefined {
  if (settings.compat) return 'ignored: backtesting.py orders have no stop, targets or expiry';
  const m = setup.management;
  const parts = [
    m.break_even_r !== undefined ? `break-even after +${m.break_even_r}R` : undefined,
    m.trail_atr !== undefined ? `trail at ${m.trail_atr} × ATR` : undefined,
    m.time_stop_bars !== undefined ? `time stop after ${m.time_stop_bars} bars` : undefined,
    `opposite signal: ${m.exit_on_opposite ? 'exit and reverse' : 'ignored while in a position'}`,
  ].filter(Boolean);
  return `${setup.id} overrides the default plan: ${parts.join('; ')}`;
}
