/**
 * `ita eval rag`: ingests a corpus into a throw-away knowledge base (local embedding, temp dir) and runs the labelled
 * questions in questions.json. Answerable questions score recall@1, recall@5 and MRR; unanswerable ones score how
 * often `isRelevant` correctly says "not covered". The corpus is read in place and never copied.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError } from '../../engine/errors.ts';
import { openKnowledgeBase, type KnowledgeBase, type RetrievedPassage } from '../index.ts';

const questionSchema = z.object({
  id: z.string(),
  language: z.enum(['en', 'ru']),
  kind: z.enum(['same', 'cross', 'unanswerable']),
  question: z.string().min(1),
  expect: z.object({ document: z.string(), phrases: z.array(z.string()).min(1) }).nullable(),
});
const fileSchema = z.object({ questions: z.array(questionSchema) });
export type EvalQuestion = z.infer<typeof questionSchema>;

export const DEFAULT_QUESTIONS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'questions.json');
const K = 5;

export interface QuestionResult {
  id: string;
  kind: EvalQuestion['kind'];
  question: string;
  /** 1-based rank of the first correct passage within the top K, null when none. */
  rank: number | null;
  relevant: boolean;
  /** Highest coverage and similarity among the top 3: what `isRelevant` looks at, for calibrating it. */
  best: { coverage: number; similarity: number };
  top?: { document: string; page?: number; heading?: string; score: number; similarity: number; coverage: number };
}

export interface Recall {
  questions: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
}

export interface RagEvalReport {
  corpus: string;
  documents: number;
  chunks: number;
  ingestMs: number;
  answerable: Recall;
  sameLanguage: Recall;
  crossLanguage: Recall;
  /** Unanswerable questions that `isRelevant` rejected ("not covered"), out of all unanswerable ones. */
  unanswerable: { questions: number; rejected: number };
  /** Answerable questions wrongly judged "not covered". */
  falseRejections: number;
  problems: string[];
  results: QuestionResult[];
}

export interface RagEvalOptions {
  corpusDir: string;
  questionsFile?: string;
  log?: (message: string) => void;
}

export async function runRagEval(options: RagEvalOptions): Promise<RagEvalReport> {
  const questions = loadQuestions(options.questionsFile ?? DEFAULT_QUESTIONS_FILE);
  const files = corpusFiles(options.corpusDir);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-eval-rag-'));
  const kb = await openKnowledgeBase({ dataDir, dbFile: path.join(dataDir, 'eval.sqlite'), embedding: { kind: 'local' } });
  const problems: string[] = [];
  try {
    const start = performance.now();
    for (const file of files) {
      try {
        const result = await kb.ingestFile(file);
        options.log?.(`ingested ${path.basename(file)}: ${result.chunks} chunks`);
      } catch (error) {
        problems.push(`${path.basename(file)}: ${(error as Error).message}`);
      }
    }
    const ingestMs = performance.now() - start;
    const stats = await kb.stats();
    const results: QuestionResult[] = [];
    for (const q of questions) results.push(await evaluate(kb, q, problems));
    const answerable = results.filter((r) => r.kind !== 'unanswerable');
    const unanswerable = results.filter((r) => r.kind === 'unanswerable');
    return {
      corpus: options.corpusDir,
      documents: stats.documents,
      chunks: stats.chunks,
      ingestMs,
      answerable: recall(answerable),
      sameLanguage: recall(answerable.filter((r) => r.kind === 'same')),
      crossLanguage: recall(answerable.filter((r) => r.kind === 'cross')),
      unanswerable: { questions: unanswerable.length, rejected: unanswerable.filter((r) => !r.relevant).length },
      falseRejections: answerable.filter((r) => !r.relevant).length,
      problems,
      results,
    };
  } finally {
    await kb.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function evaluate(kb: KnowledgeBase, q: EvalQuestion, problems: string[]): Promise<QuestionResult> {
  const passages = await kb.retrieve(q.question, K);
  const top = passages[0];
  const result: QuestionResult = {
    id: q.id,
    kind: q.kind,
    question: q.question,
    rank: null,
    relevant: kb.isRelevant(passages),
    best: {
      coverage: Math.max(0, ...passages.slice(0, 3).map((p) => p.coverage)),
      similarity: Math.max(0, ...passages.slice(0, 3).map((p) => p.similarity)),
    },
    top: top && {
      document: top.document,
      page: top.page,
      heading: top.heading,
      score: top.score,
      similarity: top.similarity,
      coverage: top.coverage,
    },
  };
  if (q.expect) {
    const expect = q.expect;
    const index = passages.findIndex((p) => matches(p, expect));
    result.rank = index < 0 ? null : index + 1;
    if (!(await kb.listDocuments()).some((d) => d.name === expect.document)) {
      problems.push(`${q.id}: expected document ${expect.document} is not in the corpus`);
    }
  }
  return result;
}

function matches(passage: RetrievedPassage, expect: { document: string; phrases: string[] }): boolean {
  if (passage.document !== expect.document) return false;
  const haystack = normalize(`${passage.heading ?? ''}\n${passage.text}`);
  return expect.phrases.some((phrase) => haystack.includes(normalize(phrase)));
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
}

function recall(results: QuestionResult[]): Recall {
  const n = results.length;
  if (n === 0) return { questions: 0, recallAt1: NaN, recallAt5: NaN, mrr: NaN };
  return {
    questions: n,
    recallAt1: results.filter((r) => r.rank === 1).length / n,
    recallAt5: results.filter((r) => r.rank !== null && r.rank <= 5).length / n,
    mrr: results.reduce((sum, r) => sum + (r.rank ? 1 / r.rank : 0), 0) / n,
  };
}

export function loadQuestions(file: string): EvalQuestion[] {
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${file}: invalid question set at ${issue.path.join('.')}: ${issue.message}`, { file, field: issue.path.join('.') });
  }
  return parsed.data.questions;
}

/** Every ingestible file of the corpus; its README describes the corpus and is not part of it. */
export function corpusFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    throw new InputError(`corpus directory ${dir} cannot be read (${(cause as NodeJS.ErrnoException).code})`, { file: dir }, { cause });
  }
  return names
    .filter((n) => /\.(pdf|docx|md|markdown|txt|html?)$/i.test(n) && n.toLowerCase() !== 'readme.md')
    .map((n) => path.join(dir, n))
    .filter((f) => statSync(f).isFile())
    .sort();
}
