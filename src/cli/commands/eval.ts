/**
 * `ita eval rag`: retrieval quality on a labelled question set over a real corpus (recall@1, recall@5, MRR, and how
 * often out-of-scope questions are recognised as "not covered").
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import { registerLearningEvals } from './eval-learning.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function register(program: Command): void {
  program
    .command('eval')
    .description('evaluate a subsystem on labelled data; "rag" = knowledge-base retrieval')
    .argument('<suite>', 'what to evaluate: rag')
    .option('--corpus <dir>', 'directory of documents to ingest (read in place)', path.join(PROJECT_ROOT, '../shared/data/theory'))
    .option('--questions <file>', 'one labelled question set instead of the tuning + held-out sets (src/knowledge/eval/questions*.json)')
    .option('--no-project-corpus', 'do not ingest the project-written documents (src/knowledge/eval/corpus) beside --corpus')
    .option('--json', 'print the full report (every question) as JSON', false)
    .option('--langchain', "also measure ITA's BM25, vector index and chunker against LangChain's on the same questions", false)
    .addHelpText(
      'after',
      `
Examples:
  ita eval rag
  ita eval rag --corpus ~/trading-books --json > rag-report.json`,
    )
    .action(async (suite: string, opts: { corpus: string; questions?: string; projectCorpus: boolean; json: boolean; langchain: boolean }) => {
      if (suite !== 'rag') throw new InputError(`unknown evaluation "${suite}"; available: rag`, { field: 'suite', value: suite });
      const { runRagEval } = await import('../../knowledge/eval/rag-eval.ts');
      const { formatRagReport } = await import('../../knowledge/eval/format.ts');
      const report = await runRagEval({
        corpusDir: path.resolve(opts.corpus),
        questionSets: opts.questions ? [{ name: path.basename(opts.questions, '.json'), file: path.resolve(opts.questions) }] : undefined,
        extraCorpusDirs: opts.projectCorpus ? undefined : [],
        log: opts.json ? undefined : (m) => process.stderr.write(`  … ${m}\n`),
      });
      process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatRagReport(report));
      if (opts.langchain) {
        const { compareWithLangChain, formatComparison } = await import('../../knowledge/eval/langchain-compare.ts');
        const rows = await compareWithLangChain(path.resolve(opts.corpus), opts.projectCorpus ? undefined : []);
        process.stdout.write(opts.json ? JSON.stringify({ langchainComparison: rows }, null, 2) + '\n' : formatComparison(rows));
      }
    });
  registerLearningEvals(program);
}
