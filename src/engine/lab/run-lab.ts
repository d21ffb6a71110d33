/**
 * One lab run: every agent proposes setups in the strict JSON form → each proposal is validated like a setup file
 * (an invalid answer earns one re-ask quoting the errors) → the consensus step merges identical proposals and weighs
 * them by each agent's past results → each candidate is evaluated through the caller's `evaluate` (the one trading
 * path, e.g. optimize on the training split and return the out-of-sample report) → graded against the
 * specification's thresholds → survivors are saved as setup files, disabled until the trader enables them.
 * The number of candidates tried is part of the result (the deflated Sharpe ratio's trial count).
 */
import type { BacktestStatistics } from '../backtest/metrics.ts';
import type { BacktestReport } from '../backtest/types.ts';
import { mcTrades, monteCarlo, type MonteCarloResult } from '../backtest/monte-carlo.ts';
import type { WalkForwardResult } from '../backtest/walk-forward.ts';
import { gradeStatistics, type Grade } from '../backtest/grades.ts';
import { correctForTrials, type TrialsCorrection } from '../backtest/deflated-sharpe.ts';
import type { Setup } from '../setups/index.ts';
import { consensus, type AgentRecord, type Candidate, type Vote } from './consensus.ts';
import { critiquePrompt, labPrompt, reaskPrompt, type LabBrief } from './prompt.ts';
import { parseProposalReply, validateProposedSetup } from './proposal.ts';
import { saveDisabledSetup } from './save.ts';

/** One model: the caller adapts its LLM router (budget, retries, ledger) to this. */
export interface LabAgent {
  name: string;
  /** `history` holds the earlier prompt/reply turns of this conversation (for the re-ask). */
  complete(prompt: string, history: { prompt: string; reply: string }[], purpose: string, signal?: AbortSignal): Promise<{ text: string; costUsd?: number; model?: string }>;
  /** What this agent is asked to be (specialized mode): prepended to its prompt. */
  role?: string;
}

/**
 * What `evaluate` returns: a backtest report (then a bootstrap Monte Carlo of its trades is added), or statistics;
 * `setup` is the candidate as evaluated when the evaluation changed it (optimized parameters): that one is saved;
 * `trials` how many variants the evaluation tried (the optimizer's evaluations) for the deflated Sharpe ratio.
 */
export type Evaluation = ({ stats: BacktestStatistics; setup?: Setup; trials?: number; search?: Record<string, number | string>; walkForward?: WalkForwardResult['aggregate']; perMarket?: PerMarket[] } & Partial<Pick<BacktestReport, 'trades' | 'equity' | 'initialCash'>>) | BacktestStatistics;

/** Out-of-sample figures of a candidate on each market it was judged on. */
export interface PerMarket {
  market: string;
  trades: number;
  returnPct: number;
  sharpe: number;
}

/** Drawdown counted as ruin in the lab's Monte Carlo. */
export const LAB_RUIN_DRAWDOWN = 0.3;

export interface LabOptions {
  agents: LabAgent[];
  brief: LabBrief;
  evaluate: (setup: Setup, signal?: AbortSignal) => Promise<Evaluation>;
  /** Where survivors are written (normally the setups directory). */
  setupsDir: string;
  records?: Record<string, AgentRecord>;
  /** Default: the grade passes (every figure at its minimum, ≥ 30 trades). */
  survives?: (grade: Grade, candidate: Candidate) => boolean;
  onProgress?: (p: { stage: string; done: number; total: number }) => void;
  signal?: AbortSignal;
  /**
   * parallel (single, ensemble, specialized): every agent proposes on its own and the consensus merges them;
   * sequential: the first agent proposes, the second critiques and revises (its valid revision replaces the proposal).
   */
  flow?: 'parallel' | 'sequential';
}

export interface AgentTranscript {
  agent: string;
  turns: { prompt: string; reply: string }[];
  costUsd: number;
  valid: number;
  rejected: string[];
  error?: string;
}

export interface EvaluatedCandidate {
  candidate: Candidate;
  stats?: BacktestStatistics;
  /** The setup as evaluated (with optimized parameters when the evaluation tuned them). */
  evaluated?: Setup;
  /** Walk-forward aggregate when the evaluation ran one (positive windows, consistency). */
  walkForward?: WalkForwardResult['aggregate'];
  perMarket?: PerMarket[];
  /** Variants tried for this candidate (1 without optimization). */
  trials: number;
  /** The optimizer's settings when it ran (method, population, generations, rates, objective). */
  search?: Record<string, number | string>;
  /** Bootstrap of the evaluated trades: 1,000 resamples, ruin at a 30 % drawdown. */
  monteCarlo?: MonteCarloResult;
  grade?: Grade;
  survived: boolean;
  file?: string;
  error?: string;
}

export interface LabRun {
  transcripts: AgentTranscript[];
  candidates: EvaluatedCandidate[];
  saved: string[];
  /** Over every candidate evaluated: how much of the best result luck alone would explain. */
  trialsCorrection?: TrialsCorrection;
  costUsd: number;
}

async function ask(agent: LabAgent, brief: LabBrief, signal?: AbortSignal, opening?: string): Promise<{ transcript: AgentTranscript; votes: Vote[] }> {
  const transcript: AgentTranscript = { agent: agent.name, turns: [], costUsd: 0, valid: 0, rejected: [] };
  const votes: Vote[] = [];
  const turn = async (prompt: string, purpose: string): Promise<string[]> => {
    const reply = await agent.complete(prompt, transcript.turns, purpose, signal);
    transcript.turns.push({ prompt, reply: reply.text });
    transcript.costUsd += reply.costUsd ?? 0;
    const parsed = parseProposalReply(reply.text);
    if (!parsed.ok) return [`the answer as a whole: ${parsed.error}`];
    const errors: string[] = [];
    parsed.envelope.proposals.forEach((p, i) => {
      const label = `proposal ${i + 1}${typeof p.setup.id === 'string' ? ` (${p.setup.id})` : ''}`;
      const v = validateProposedSetup(p.setup, label);
      if (v.ok) votes.push({ agent: agent.name, setup: v.setup, why: p.why });
      else errors.push(`${label}: ${v.error}`);
    });
    return errors;
  };
  try {
    const first = opening ?? (agent.role ? `${agent.role}\n${labPrompt(brief)}` : labPrompt(brief));
    const errors = await turn(first, opening ? 'lab:revise' : 'lab:propose');
    if (errors.length > 0) transcript.rejected = await turn(reaskPrompt(errors), 'lab:reask');
  } catch (error) {
    if (signal?.aborted) throw error;
    transcript.error = (error as Error).message;
  }
  transcript.valid = votes.length;
  return { transcript, votes };
}

export async function runLab(o: LabOptions): Promise<LabRun> {
  const progress = (stage: string, done: number, total: number) => o.onProgress?.({ stage, done, total });
  progress('propose', 0, o.agents.length);
  let asked = 0;
  let answers: { transcript: AgentTranscript; votes: Vote[] }[];
  let votes: Vote[];
  if (o.flow === 'sequential' && o.agents.length > 0) {
    const [proposer, critic = proposer] = o.agents;
    const proposal = await ask(proposer, o.brief, o.signal);
    progress('propose', ++asked, 2);
    o.signal?.throwIfAborted();
    const revision = proposal.votes.length > 0 ? await ask(critic, o.brief, o.signal, critiquePrompt(proposal.votes)) : undefined;
    progress('propose', 2, 2);
    answers = revision ? [proposal, revision] : [proposal];
    // The critic's valid revision is the proposal; when it produced nothing usable the first agent's stands.
    votes = revision && revision.votes.length > 0 ? revision.votes : proposal.votes;
  } else {
    answers = await Promise.all(
      o.agents.map(async (agent) => {
        const a = await ask(agent, o.brief, o.signal);
        progress('propose', ++asked, o.agents.length);
        return a;
      }),
    );
    votes = answers.flatMap((a) => a.votes);
  }
  o.signal?.throwIfAborted();
  const candidates = consensus(votes, o.records);
  const evaluated: EvaluatedCandidate[] = [];
  const saved: string[] = [];
  for (const candidate of candidates) {
    o.signal?.throwIfAborted();
    progress('evaluate', evaluated.length, candidates.length);
    const entry: EvaluatedCandidate = { candidate, survived: false, trials: 1 };
    try {
      const result = await o.evaluate(candidate.setup, o.signal);
      const full = 'stats' in result ? result : { stats: result };
      entry.stats = full.stats;
      entry.evaluated = full.setup ?? candidate.setup;
      entry.trials = 'trials' in full && full.trials ? full.trials : 1;
      if ('search' in full) entry.search = full.search;
      if ('walkForward' in full) entry.walkForward = full.walkForward;
      if ('perMarket' in full) entry.perMarket = full.perMarket;
      if (full.trades && full.equity && full.initialCash && full.trades.length >= 2) {
        const trades = mcTrades(full.trades, { values: full.equity.equity, initialCash: full.initialCash });
        entry.monteCarlo = monteCarlo(trades, { initialCash: full.initialCash, iterations: 1000, seed: 1, method: 'bootstrap', sizing: 'account', ruinDrawdown: LAB_RUIN_DRAWDOWN });
      }
      entry.grade = gradeStatistics(entry.stats);
      entry.survived = (o.survives ?? ((g) => g.passed))(entry.grade, candidate);
    } catch (error) {
      if (o.signal?.aborted) throw error;
      entry.error = (error as Error).message;
    }
    evaluated.push(entry);
  }
  progress('evaluate', evaluated.length, candidates.length);
  // Saved only once every candidate is judged: a cancelled run leaves no files behind.
  o.signal?.throwIfAborted();
  for (const entry of evaluated) {
    if (!entry.survived || !entry.grade) continue;
    entry.file = await saveDisabledSetup(o.setupsDir, { ...entry.candidate, setup: entry.evaluated ?? entry.candidate.setup }, entry.grade);
    saved.push(entry.file);
  }
  const withStats = evaluated.filter((e) => e.stats);
  const best = withStats.reduce<EvaluatedCandidate | undefined>((b, e) => (!b || (e.stats!.sharpe ?? -Infinity) > (b.stats!.sharpe ?? -Infinity) ? e : b), undefined);
  return {
    transcripts: answers.map((a) => a.transcript),
    candidates: evaluated,
    saved,
    // Every variant the optimizer tried counts as a trial, not only the candidates it returned.
    trialsCorrection: best
      ? correctForTrials(
          best.stats as unknown as Record<string, unknown>,
          withStats.map((e) => e.stats as unknown as Record<string, unknown>),
          withStats.reduce((a, e) => a + e.trials - 1, 0),
        )
      : undefined,
    costUsd: answers.reduce((a, x) => a + x.transcript.costUsd, 0),
  };
}
