/**
 * What the bot (and the CLI) get from the lab: lab runs over stored markets with progress and cancellation, and the
 * theory → setup → evidence loop. Plain data only; the bot words it.
 */
import type { MarketKey } from '../types.ts';
import type { LabMode } from './agents.ts';
import type { SimulationTerms } from '../backtest/service/terms.ts';
import type { StoredLabRun, TheoryPassage, TheoryTest } from './store.ts';
import type { TheoryEvidence } from './theory/evidence.ts';

export interface LabProgress {
  stage: 'propose' | 'evaluate' | 'optimize' | 'walk-forward' | 'evidence' | 'draft';
  done: number;
  total: number;
  /** The candidate being evaluated. */
  candidate?: string;
}

export interface LabRequest {
  markets: MarketKey[];
  /** Setups asked of each agent (1..10). */
  n: number;
  mode?: LabMode;
  ideas?: string;
}

/** One candidate as stored and shown: figures out of sample on its weakest market. */
export interface LabCandidateSummary {
  id: string;
  agents: string[];
  agreement: number;
  trades?: number;
  returnPct?: number;
  sharpe?: number;
  profitFactor?: number;
  maxDrawdownPct?: number;
  winRatePct?: number;
  grade?: string;
  passed?: boolean;
  strengths: string[];
  weaknesses: string[];
  trials: number;
  /** The optimizer's settings when it ran (the specification's GA by default). */
  search?: Record<string, number | string>;
  monteCarlo?: { p5: number; p50: number; p95: number; ruinPct: number };
  walkForward?: { windows: number; positiveShare: number; consistency: number };
  /** Out-of-sample figures per market (the grade reads the weakest). */
  perMarket?: { market: string; trades: number; returnPct: number; sharpe: number }[];
  survived: boolean;
  file?: string;
  error?: string;
}

export interface LabService {
  /** Where nothing can run: no LLM configured (the env vars to set), else undefined. */
  unavailable(): string | undefined;
  mode(): LabMode;
  /** The simulation terms every candidate is judged under (the same line /backtest prints). */
  terms(): SimulationTerms;
  models(): string[];
  markets(): Promise<MarketKey[]>;
  run(request: LabRequest, onProgress: (p: LabProgress) => void, signal: AbortSignal, source?: 'bot' | 'cli'): Promise<StoredLabRun & { candidates: LabCandidateSummary[] }>;
  runs(limit?: number): Promise<StoredLabRun[]>;
  /** Cost of LLM calls today and the daily budget (USD). */
  budget(): Promise<{ spentUsd: number; budgetUsd: number } | undefined>;
}

export interface TheoryService {
  unavailable(): string | undefined;
  /** Keeps the passages an answer cited, so a later "Test this" finds them. */
  remember(passages: TheoryPassage[]): Promise<void>;
  /** The latest verdict of each tested passage among these. */
  verdicts(chunkIds: number[]): Promise<Map<number, TheoryTest>>;
  draft(chunkId: number, signal?: AbortSignal): Promise<TheoryTest>;
  /** Markets the draft can be tested on (stored timeframes the setup's timeframe can be built from). */
  marketsFor(draftId: number): Promise<MarketKey[]>;
  test(draftId: number, markets: MarketKey[], onProgress: (p: LabProgress) => void, signal?: AbortSignal): Promise<TheoryTest & { evidence: TheoryEvidence }>;
  get(draftId: number): Promise<TheoryTest | undefined>;
  list(limit?: number): Promise<TheoryTest[]>;
}
