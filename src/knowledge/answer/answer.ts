/**
 * /ask and `ita ask`: retrieve the best passages, keep the relevant ones, then answer with an LLM from those passages
 * only (citations validated), or — with no LLM, or when the LLM is over budget / unavailable — extractively.
 * Nothing relevant → say the documents do not cover it, never guess.
 */
import { LlmBudgetExceededError } from '../llm/errors.ts';
import { runEnsemble, runSequential, runSpecialized } from '../llm/modes.ts';
import type { LlmMode } from '../llm/index.ts';
import type { LlmRouter } from '../llm/router.ts';
import type { Passage, Retriever } from '../types.ts';
import { validateCitations, citationOf, type Citation } from './citations.ts';
import { extractiveAnswer } from './extractive.ts';
import { multiQueryRetrieve } from '../retrieval/multi-query.ts';
import { detectLanguage, type AnswerLanguage } from './language.ts';
import { onTopic } from './topical.ts';
import {
  NOT_COVERED,
  buildAnswerMessages,
  buildCritiqueMessages,
  buildEnsembleMessages,
  buildRiskManagerMessages,
} from './prompt.ts';
import { z } from 'zod';

export type { LlmMode };

export interface AskOptions {
  retriever: Retriever;
  /** Null or absent: answer extractively. */
  llm?: LlmRouter | null;
  llmMode?: LlmMode;
  /** Passages to retrieve. */
  k?: number;
  /** Passages scoring below this are not relevant (until the retriever offers its own decision via `relevance`). */
  minScore?: number;
  /** The retriever's relevance decision, when it has one; overrides minScore. */
  relevance?: (question: string, passages: Passage[]) => Passage[] | Promise<Passage[]>;
  /** With an LLM: also retrieve for the model's English and Russian rewrites of the question (default true). */
  multiQuery?: boolean;
  signal?: AbortSignal;
}

export interface AnswerResult {
  answer: string;
  language: AnswerLanguage;
  /** llm: a model answered; extractive: quoted passages; not-covered: nothing relevant was found. */
  mode: 'llm' | 'extractive' | 'not-covered';
  citations: Citation[];
  /** Citations the model wrote that match no passage it was given (removed from `answer`). */
  invalidCitations: string[];
  /** The passages the answer is built from and cites: relevant and on the question's topic, best first. */
  passages: Passage[];
  /** Every relevant retrieved passage in rank order (a superset of `passages`); empty when not covered. */
  ranked?: Passage[];
  llmMode?: LlmMode;
  /** Ensemble only: share of models agreeing with the chosen answer. */
  agreement?: number;
  /** Why the LLM was not used although one is configured (over budget, every provider failed). */
  llmError?: string;
  /** The queries retrieved for: the question, then the model's rewrites (multi-query retrieval). */
  queries?: string[];
}

export const DEFAULT_K = 5;

export async function answerQuestion(question: string, options: AskOptions): Promise<AnswerResult> {
  const language = detectLanguage(question);
  const k = options.k ?? DEFAULT_K;
  let retrieved: Passage[];
  let queries: string[] | undefined;
  if (options.llm && options.multiQuery !== false) {
    const multi = await multiQueryRetrieve(options.retriever, options.llm, question, k, options.signal);
    retrieved = multi.passages;
    queries = multi.queries;
  } else {
    retrieved = await options.retriever.retrieve(question, k);
  }
  const sorted = [...retrieved].sort((a, b) => b.score - a.score);
  const relevant = options.relevance
    ? await options.relevance(question, sorted)
    : sorted.filter((p) => p.score >= (options.minScore ?? 0));
  // Only passages about what was asked are cited, not the tail of the ranking that shares a word with it.
  const passages = onTopic(relevant);
  const base = { language, passages, ranked: relevant, invalidCitations: [] as string[], ...(queries ? { queries } : {}) };

  if (passages.length === 0) return { ...base, answer: NOT_COVERED[language], mode: 'not-covered', citations: [] };

  const extractive = (llmError?: string): AnswerResult => ({
    ...base,
    answer: extractiveAnswer(passages, language),
    mode: 'extractive',
    citations: dedupe(passages.slice(0, 3).map(citationOf)),
    ...(llmError ? { llmError } : {}),
  });
  if (!options.llm) return extractive();

  const llmMode = options.llmMode ?? 'single';
  try {
    const { text, agreement } = await askModels(options.llm, llmMode, question, passages, language, options.signal);
    const checked = validateCitations(text, passages);
    return {
      ...base,
      answer: checked.text,
      mode: 'llm',
      citations: checked.valid,
      invalidCitations: checked.invalid,
      llmMode,
      ...(agreement !== undefined ? { agreement } : {}),
    };
  } catch (error) {
    const reason = error instanceof LlmBudgetExceededError ? error.message : `LLM unavailable: ${(error as Error).message}`;
    return extractive(reason);
  }
}

const ensembleAnswerSchema = z.object({ covered: z.boolean(), answer: z.string().min(1) });

async function askModels(
  llm: LlmRouter,
  mode: LlmMode,
  question: string,
  passages: Passage[],
  language: AnswerLanguage,
  signal?: AbortSignal,
): Promise<{ text: string; agreement?: number }> {
  const call = { purpose: 'answer', signal };
  switch (mode) {
    case 'single':
      return { text: (await llm.complete(buildAnswerMessages(question, passages, language), call)).text };
    case 'sequential': {
      const result = await runSequential(
        llm,
        buildAnswerMessages(question, passages, language),
        (draft) => buildCritiqueMessages(question, passages, language, draft),
        call,
      );
      return { text: result.final.text };
    }
    case 'specialized': {
      const roles = await runSpecialized(
        llm,
        { analyst: buildAnswerMessages(question, passages, language), riskManager: buildRiskManagerMessages(question, passages, language) },
        call,
      );
      const risk = roles.riskManager?.text.trim();
      const label = language === 'ru' ? 'Риск-менеджер' : 'Risk manager';
      const text = [roles.analyst?.text.trim(), risk ? `${label}: ${risk}` : undefined].filter(Boolean).join('\n\n');
      return { text };
    }
    case 'ensemble': {
      const result = await runEnsemble(
        llm,
        buildEnsembleMessages(question, passages, language),
        ensembleAnswerSchema,
        (v) => String(v.covered),
        call,
      );
      return { text: result.winner.answer, agreement: result.agreement };
    }
  }
}

function dedupe(citations: Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => {
    const key = `${c.document}|${c.page ?? ''}|${c.heading ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
