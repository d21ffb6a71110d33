/**
 * The lab and theory services over the stored candles, the LLM router and the lab's tables. Every evaluation runs
 * through the one setup path (runSetupBacktest, as /backtest), under the same simulation settings as the bot's
 * backtest service; every LLM call through the router (its retries, ledger and daily budget). Each lab run is a row
 * of lab_runs from its start, updated when it ends (done, cancelled or failed), with its prompts, replies and costs.
 */
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { parse } from 'yaml';
import type { Candle, MarketKey, Timeframe } from '../types.ts';
import { InputError } from '../errors.ts';
import { getCandles, listMarkets } from '../store/candles.ts';
import { isTimeframe, timeframeMs } from '../market/timeframes.ts';
import { parseSetup, type Setup } from '../setups/index.ts';
import { runSetupBacktest, seriesForSetup, type MarketSeries, type SimulationSettings } from '../backtest/service/run-setup.ts';
import { optimizeSetup, splitSeries } from '../backtest/service/optimize.ts';
import { paramRanges, withParams } from '../backtest/detector-source.ts';
import { simulationTerms } from '../backtest/service/terms.ts';
import type { WorkQueue } from '../queue/remote.ts';
import { fixedParamsWalkForward } from './fixed-walk-forward.ts';
import type { Grade } from '../backtest/grades.ts';
import { labAgents, type LabMode, type LabRouter } from './agents.ts';
import { runLab, type EvaluatedCandidate, type Evaluation } from './run-lab.ts';
import { draftSetupFromPassage } from './theory/draft.ts';
import { gatherEvidence } from './theory/evidence.ts';
import type { LabCandidateSummary, LabService, TheoryService } from './service-types.ts';
import * as store from './store.ts';
import type { Database } from '../store/schema.ts';
import { asArea } from '../store/area.ts';

/** The variables that configure one OpenAI-compatible model (config.ts reads them). */
export const LLM_ENV_HINT = 'ITA_LLM_BASE_URL, ITA_LLM_MODEL (and ITA_LLM_API_KEY when the server needs one), or llm.providers in the config file';

/**
 * Where the lab's GA runs. Measured on this project's 2-core machine (50 × 20 GA, EMA-cross on 7,889 BTC 4h training
 * candles, 60 distinct evaluations; see README "Strategy lab"): in this thread 39.9 s, 1 worker 44.6 s, 2 workers
 * 48.7 s — threads do not win on 2 shared cores, so the lab evaluates in-process there and uses the pool only
 * with more cores.
 */
export const LAB_OPTIMIZER_WORKERS = os.availableParallelism() <= 2 ? 0 : undefined;

export type KeepRule = 'passed' | 'acceptable' | 'good' | 'excellent' | 'graded';
const RANK: Record<string, number> = { poor: 0, acceptable: 1, good: 2, excellent: 3 };

export function keeps(rule: KeepRule, grade: Grade): boolean {
  if (rule === 'passed') return grade.passed;
  if (rule === 'graded') return grade.grade !== 'insufficient data';
  return grade.grade in RANK && RANK[grade.grade] >= RANK[rule];
}

/** The lab reads the stored candles and keeps its own books. */
export type LabServiceDatabase = Database & store.LabTables;

export interface LabServiceDeps {
  db: Kysely<LabServiceDatabase>;
  llm: (LabRouter & { usageToday(): Promise<{ costUsd: number }>; readonly dailyBudgetUsd: number }) | null;
  mode: LabMode;
  settings: SimulationSettings;
  setupsDir: string;
  /** Old JSON runs under <dataDir>/lab/ are imported into the database once. */
  dataDir?: string;
  /** Which graded candidates are saved (default: every figure at its minimum). */
  keep?: KeepRule;
  trainSplit?: number;
  optimize?: { method: 'genetic' | 'grid' | 'none'; workers?: number; population?: number; generations?: number };
  walkForward?: { trainDays: number; testDays: number };
  /** The job queue (config queue.url): optimizer evaluations and walk-forward windows run on `ita worker` processes. */
  queue?: WorkQueue;
  /** Survivors' files once written (the setup registry adopts them, still disabled, so /setup ID finds them). */
  onSaved?: (files: string[]) => Promise<void>;
  now?: () => number;
}

export function createLabServices(deps: LabServiceDeps): { lab: LabService; theory: TheoryService } {
  const now = deps.now ?? Date.now;
  const db: Kysely<store.LabTables> = asArea(deps.db);
  const trainSplit = deps.trainSplit ?? 0.7;
  const wf = deps.walkForward ?? { trainDays: 60, testDays: 30 };
  const unavailable = () => (deps.llm ? undefined : LLM_ENV_HINT);
  let imported: Promise<unknown> | undefined;
  const ready = () => (imported ??= deps.dataDir ? store.importJsonRuns(db, path.join(deps.dataDir, 'lab')) : Promise.resolve());
  const candlesOf = (m: MarketKey): Promise<Candle[]> => getCandles(asArea(deps.db), m);
  const storedMarkets = async (): Promise<MarketKey[]> =>
    (await listMarkets(asArea(deps.db))).filter((m) => isTimeframe(m.timeframe)).map((m) => ({ exchange: m.exchange, symbol: m.symbol, timeframe: m.timeframe as Timeframe }));

  /** Optimized on the first market's training part; judged out of sample on every market; graded on the weakest. */
  async function evaluate(setup: Setup, series: MarketSeries[], signal: AbortSignal, onProgress: (stage: 'optimize' | 'walk-forward', done: number, total: number) => void): Promise<Evaluation> {
    const splits = series.map((s) => splitSeries(s, trainSplit));
    let tuned = setup;
    let trials = 1;
    let search: Record<string, number | string> | undefined;
    const method = deps.optimize?.method ?? 'genetic';
    if (method !== 'none' && Object.keys(paramRanges(setup)).length > 0) {
      const result = await optimizeSetup({
        setup, train: splits[0].train, test: splits[0].test, settings: deps.settings, method, objective: 'composite',
        workers: deps.optimize?.workers ?? LAB_OPTIMIZER_WORKERS, population: deps.optimize?.population, generations: deps.optimize?.generations,
        onProgress: (done, total) => onProgress('optimize', done, total), signal, queue: deps.queue,
      });
      tuned = withParams(setup, result.best.params);
      trials = result.evaluations;
      search = { method, ...result.settings };
    }
    signal.throwIfAborted();
    const reports = splits.map((s) => runSetupBacktest({ setup: tuned, market: s.test, settings: deps.settings, signal }));
    const worst = reports.reduce((w, r) => ((r.stats.sharpe ?? -Infinity) < (w.stats.sharpe ?? -Infinity) ? r : w));
    const walked = await fixedParamsWalkForward(tuned, series[0], deps.settings, { ...wf, queue: deps.queue, signal, onProgress: (done, total) => onProgress('walk-forward', done, total) });
    const perMarket = reports.map((r, i) => ({ market: `${series[i].key.exchange} ${series[i].key.symbol} ${series[i].key.timeframe}`, trades: r.stats.trades, returnPct: r.stats.returnPct, sharpe: r.stats.sharpe }));
    return { ...worst, setup: tuned, trials, search, walkForward: walked.windows.length > 0 ? walked.aggregate : undefined, perMarket } as Evaluation;
  }

  const lab: LabService = {
    unavailable,
    mode: () => deps.mode,
    terms: () => simulationTerms(deps.settings),
    models: () => deps.llm?.providerNames ?? [],
    markets: storedMarkets,
    async runs(limit) {
      await ready();
      return store.listLabRuns(db, limit);
    },
    async budget() {
      if (!deps.llm) return undefined;
      return { spentUsd: (await deps.llm.usageToday()).costUsd, budgetUsd: deps.llm.dailyBudgetUsd };
    },
    async run(request, onProgress, signal, source = 'bot') {
      if (!deps.llm) throw new InputError(`the lab needs an LLM: set ${LLM_ENV_HINT}`, { field: 'llm.providers' });
      if (!Number.isInteger(request.n) || request.n < 1 || request.n > 10) throw new InputError(`the number of setups must be 1 to 10, got ${request.n}`, { field: 'n', value: request.n });
      if (request.markets.length === 0) throw new InputError('choose at least one stored market', { field: 'markets' });
      await ready();
      const mode = request.mode ?? deps.mode;
      const { agents, flow } = labAgents(deps.llm, mode);
      const candles = await Promise.all(request.markets.map(candlesOf));
      const started = now();
      const row: store.StoredLabRun = {
        id: `run-${new Date(started).toISOString().replace(/[:.]/g, '-')}`,
        startedAt: started, status: 'running', source, mode, models: agents.map((a) => a.name),
        brief: { n: request.n, markets: request.markets, ideas: request.ideas, trainSplit, optimize: deps.optimize?.method ?? 'genetic', simulation: simulationTerms(deps.settings) },
        transcripts: [], costUsd: 0, candidates: [], saved: [],
      };
      await store.insertLabRun(db, row);
      const records = await store.agentRecords(db);
      let current = '';
      try {
        const result = await runLab({
          agents, flow, records, signal,
          brief: { n: request.n, markets: [...new Set(request.markets.map((m) => m.symbol))], timeframes: [...new Set(request.markets.map((m) => m.timeframe))], ideas: request.ideas },
          setupsDir: deps.setupsDir,
          survives: (grade) => keeps(deps.keep ?? 'passed', grade),
          onProgress: (p) => onProgress({ stage: p.stage as 'propose' | 'evaluate', done: p.done, total: p.total }),
          evaluate: (setup, s) => {
            current = setup.id;
            const series = request.markets.map((m, i) => seriesForSetup(candles[i], m.timeframe, setup, { exchange: m.exchange, symbol: m.symbol }));
            return evaluate(setup, series, s ?? signal, (stage, done, total) => onProgress({ stage, done, total, candidate: current }));
          },
        });
        const candidates = result.candidates.map(summarize);
        let adoptError: string | undefined;
        if (result.saved.length > 0) await deps.onSaved?.(result.saved).catch((error: Error) => void (adoptError = error.message));
        const finished: store.StoredLabRun = { ...row, finishedAt: now(), status: 'done', transcripts: result.transcripts, costUsd: result.costUsd, candidates, saved: result.saved, error: adoptError };
        (finished.brief as Record<string, unknown>).trials = result.trialsCorrection?.trials;
        (finished.brief as Record<string, unknown>).deflatedSharpe = result.trialsCorrection?.deflatedSharpe;
        await store.updateLabRun(db, finished);
        const outcome: store.AgentRecords = {};
        for (const t of result.transcripts) {
          const mine = result.candidates.filter((c) => c.candidate.agents.includes(t.agent));
          outcome[t.agent] = { proposed: mine.length, survived: mine.filter((c) => c.survived).length };
        }
        await store.addAgentResults(db, outcome);
        return { ...finished, candidates };
      } catch (error) {
        await store.updateLabRun(db, { ...row, finishedAt: now(), status: signal.aborted ? 'cancelled' : 'failed', error: (error as Error).message });
        throw error;
      }
    },
  };

  const theory: TheoryService = {
    unavailable,
    remember: (passages) => store.rememberPassages(db, passages, now()),
    verdicts: (ids) => store.latestVerdicts(db, ids),
    get: (id) => store.theoryTestById(db, id),
    list: (limit) => store.testedTheories(db, limit),
    async draft(chunkId, signal) {
      if (!deps.llm) throw new InputError(`testing a passage needs an LLM: set ${LLM_ENV_HINT}`, { field: 'llm.providers' });
      const passage = await store.passageById(db, chunkId);
      if (!passage) throw new InputError(`no cited passage ${chunkId}: ask the question again`, { field: 'chunkId', value: chunkId });
      const timeframes = [...new Set((await storedMarkets()).map((m) => m.timeframe))];
      const { agents } = labAgents(deps.llm, 'single');
      let model = '';
      const agent = { ...agents[0], complete: async (...args: Parameters<(typeof agents)[0]['complete']>) => { const r = await agents[0].complete(...args); model = r.model ?? model; return r; } };
      const draft = await draftSetupFromPassage(agent, passage, timeframes.length ? timeframes : ['1h', '4h', '1d'], signal);
      const test: Omit<store.TheoryTest, 'id'> = {
        passage: { chunkId, documentId: passage.documentId, document: passage.document, page: passage.page, heading: passage.heading },
        claim: passage.text, setupId: draft.setup.id, setupYaml: draft.yaml, rationale: draft.rationale, model, costUsd: draft.costUsd, createdAt: now(),
      };
      const id = await store.insertTheoryDraft(db, test);
      return { id, ...test };
    },
    async marketsFor(draftId) {
      const draft = await store.theoryTestById(db, draftId);
      if (!draft) return [];
      const tf = (parse(draft.setupYaml) as { timeframe: Timeframe }).timeframe;
      return (await storedMarkets()).filter((m) => timeframeMs(tf) % timeframeMs(m.timeframe) === 0);
    },
    async test(draftId, markets, onProgress, signal) {
      const draft = await store.theoryTestById(db, draftId);
      if (!draft) throw new InputError(`no drafted setup ${draftId}`, { field: 'draftId', value: draftId });
      if (markets.length === 0) throw new InputError('choose at least one stored market', { field: 'markets' });
      // Evaluated as it would run once enabled (the detector skips disabled setups).
      const setup = parseSetup(draft.setupYaml.replace(/^enabled: false$/m, 'enabled: true'), `theory draft ${draftId}`);
      const evidence = await gatherEvidence({ setup, markets, candlesOf, settings: deps.settings, walkForward: wf, signal, onProgress: (done, total) => onProgress({ stage: 'evidence', done, total }) });
      const testedAt = now();
      const names = markets.map((m) => `${m.exchange} ${m.symbol} ${m.timeframe}`);
      await store.recordVerdict(db, draftId, { markets: names, verdict: evidence.verdict, evidence, trades: evidence.trades, testedAt });
      return { ...draft, markets: names, verdict: evidence.verdict, evidence, trades: evidence.trades, testedAt };
    },
  };
  return { lab, theory };
}

function summarize(c: EvaluatedCandidate & { perMarket?: LabCandidateSummary['perMarket'] }): LabCandidateSummary {
  const s = c.stats;
  return {
    id: c.evaluated?.id ?? c.candidate.setup.id,
    agents: c.candidate.agents,
    agreement: c.candidate.agreement,
    trades: s?.trades,
    returnPct: s?.returnPct,
    sharpe: s?.sharpe,
    profitFactor: s?.profitFactorQuote,
    maxDrawdownPct: s?.maxDrawdownPct,
    winRatePct: s?.winRatePct,
    grade: c.grade?.grade,
    passed: c.grade?.passed,
    strengths: c.grade?.strengths ?? [],
    weaknesses: c.grade?.weaknesses ?? [],
    trials: c.trials,
    search: c.search,
    monteCarlo: c.monteCarlo ? { p5: c.monteCarlo.returnPct.p5, p50: c.monteCarlo.returnPct.p50, p95: c.monteCarlo.returnPct.p95, ruinPct: c.monteCarlo.probabilityOfRuin * 100 } : undefined,
    walkForward: c.walkForward ? { windows: c.walkForward.windows, positiveShare: c.walkForward.positiveShare, consistency: c.walkForward.consistency } : undefined,
    perMarket: c.perMarket,
    survived: c.survived,
    file: c.file,
    error: c.error,
  };
}
