/**
 * `ita eval rag`: ingests corpora into a throw-away knowledge base (local embedding, temp dir) and runs labelled
 * question sets. Answerable questions score recall@1, recall@5 and MRR; unanswerable ones score how often
 * `isRelevant` correctly says "not covered". Each set is reported on its own: the tuning set (questions.json) is
 * what retrieval was tuned on, the held-out set (questions.heldout.json) was written once and never tuned on, so only
 * its figures say how retrieval generalizes. Corpora are read in place and never copied.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError } from '../../engine/errors.ts';
import { openKnowledgeBase, type KnowledgeBase, type OpenKnowledgeBaseOptions, type RetrievedPassage } from '../index.ts';

const questionSchema = z.object({
  id: z.string(),
  language: z.enum(['en', 'ru']),
  kind: z.enum(['same', 'cross', 'unanswerable']),
  question: z.string().min(1),
  expect: z.object({ document: z.string(), phrases: z.array(z.string()).min(1) }).nullable(),
});
const fileSchema = z.object({ questions: z.array(questionSchema) });
export type EvalQuestion = z.infer<typeof questionSchema>;

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_QUESTIONS_FILE = path.join(HERE, 'questions.json');
export const HELD_OUT_QUESTIONS_FILE = path.join(HERE, 'questions.heldout.json');
/** Documents written for the project (licence-clean), ingested beside the shared corpus; the held-out set asks about them. */
export const PROJECT_CORPUS_DIR = path.join(HERE, 'corpus');

export interface QuestionSet {
  name: string;
  file: string;
}
export const DEFAULT_QUESTION_SETS: QuestionSet[] = [
  { name: 'tuning', file: DEFAULT_QUESTIONS_FILE },
  { name: 'held-out', file: HELD_OUT_QUESTIONS_FILE },
];
const K = 5;

export interface QuestionResult {
  id: string;
  set: string;
  language: EvalQuestion['language'];
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
  /** Questions whose answer was within the top 1 / top 5. */
  hitsAt1: number;
  hitsAt5: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
}

export interface SetReport {
  name: string;
  file: string;
  answerable: Recall;
  sameLanguage: Recall;
  crossLanguage: Recall;
  /** Unanswerable questions that `isRelevant` rejected ("not covered"), out of all unanswerable ones. */
  unanswerable: { questions: number; rejected: number };
  /** Answerable questions wrongly judged "not covered". */
  falseRejections: number;
}

export interface RagEvalReport {
  corpus: string;
  documents: number;
  chunks: number;
  ingestMs: number;
  /** One report per question set, in the order given (tuning first, then held-out). */
  sets: SetReport[];
  problems: string[];
  results: QuestionResult[];
}

export interface RagEvalOptions {
  corpusDir: string;
  /** Further corpora ingested into the same base (default: the project-written documents). */
  extraCorpusDirs?: string[];
  /** Default: tuning + held-out. */
  questionSets?: QuestionSet[];
  /** Replaces ITA's chunker (to compare a LangChain text splitter). */
  chunker?: OpenKnowledgeBaseOptions['chunker'];
  log?: (message: string) => void;
}

export async function runRagEval(options: RagEvalOptions): Promise<RagEvalReport> {
  const sets = (options.questionSets ?? DEFAULT_QUESTION_SETS).map((set) => ({ ...set, questions: loadQuestions(set.file) }));
  const files = [options.corpusDir, ...(options.extraCorpusDirs ?? [PROJECT_CORPUS_DIR])].flatMap(corpusFiles);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-eval-rag-'));
  const kb = await openKnowledgeBase({ dataDir, dbFile: path.join(dataDir, 'eval.sqlite'), embedding: { kind: 'local' }, chunker: options.chunker });
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
    const documents = new Set((await kb.listDocuments()).map((d) => d.name));
    const results: QuestionResult[] = [];
    const reports: SetReport[] = [];
    for (const set of sets) {
      const own: QuestionResult[] = [];
      for (const q of set.questions) own.push(await evaluate(kb, set.name, q, documents, problems));
      results.push(...own);
      reports.push(summarize(set, own));
    }
    return { corpus: [options.corpusDir, ...(options.extraCorpusDirs ?? [PROJECT_CORPUS_DIR])].join(', '), documents: stats.documents, chunks: stats.chunks, ingestMs, sets: reports, problems, results };
  } finally {
    await kb.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function summarize(set: QuestionSet, results: QuestionResult[]): SetReport {
  const answerable = results.filter((r) => r.kind !== 'unanswerable');
  const unanswerable = results.filter((r) => r.kind === 'unanswerable');
  return {
    name: set.name,
    file: set.file,
    answerable: recall(answerable),
    sameLanguage: recall(answerable.filter((r) => r.kind === 'same')),
    crossLanguage: recall(answerable.filter((r) => r.kind === 'cross')),
    unanswerable: { questions: unanswerable.length, rejected: unanswerable.filter((r) => !r.relevant).length },
    falseRejections: answerable.filter((r) => !r.relevant).length,
  };
}

async function evaluate(kb: KnowledgeBase, set: string, q: EvalQuestion, documents: Set<string>, problems: string[]): Promise<QuestionResult> {
  const passages = await kb.retrieve(q.question, K);
  const top = passages[0];
  const result: QuestionResult = {
    id: q.id,
    set,
    language: q.language,
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
    if (!documents.has(expect.document)) {
      problems.push(`${q.id}: expected document ${expect.document} is not in the corpus`);
    }
  }
  return result;
}

export function matches(passage: Pick<RetrievedPassage, 'document' | 'heading' | 'text'>, expect: { document: string; phrases: string[] }): boolean {
  if (passage.document !== expect.document) return false;
  const haystack = normalize(`${passage.heading ?? ''}\n${passage.text}`);
  return expect.phrases.some((phrase) => haystack.includes(normalize(phrase)));
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
}

function recall(results: QuestionResult[]): Recall {
  const n = results.length;
  const hitsAt1 = results.filter((r) => r.rank === 1).length;
  const hitsAt5 = results.filter((r) => r.rank !== null && r.rank <= 5).length;
  if (n === 0) return { questions: 0, hitsAt1, hitsAt5, recallAt1: NaN, recallAt5: NaN, mrr: NaN };
  return {
    questions: n,
    hitsAt1,
    hitsAt5,
    recallAt1: hitsAt1 / n,
    recallAt5: hitsAt5 / n,
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
