import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import type { Passage, RetrievedPassage } from '../../knowledge/index.ts';
import { databaseTarget } from '../../engine/store/target.ts';

interface AskCliOptions {
  json: boolean;
  k: string;
  minScore?: string;
  llm: boolean;
  mode?: string;
}

const MODES = ['single', 'ensemble', 'sequential', 'specialized'] as const;

export function register(program: Command): void {
  program
    .command('ask')
    .description('answer a question from the indexed documents, with citations (LLM if configured, else quoted passages)')
    .argument('<question>', 'the question, in Russian or English (the answer uses the same language)')
    .option('--json', 'print { answer, language, mode, citations, passages } as JSON', false)
    .option('--k <n>', 'how many passages to retrieve (1-50)', '5')
    .option('--min-score <x>', "treat passages scoring below this as not relevant (instead of the knowledge base's own decision)")
    .option('--no-llm', 'answer extractively (quoted passages) even when an LLM is configured')
    .option('--mode <mode>', `multi-model mode: ${MODES.join(', ')} (default: llm.mode from the config)`)
    .addHelpText(
      'after',
      '\nExamples:\n  ita ask "Where do I put the stop on an FVG retest?"\n  ita ask "Что такое слом структуры?" --json --k 8\n',
    )
    .action(async (question: string, opts: AskCliOptions) => {
      const k = parseK(opts.k);
      const minScore = opts.minScore === undefined ? undefined : parseMinScore(opts.minScore);
      if (opts.mode !== undefined && !(MODES as readonly string[]).includes(opts.mode)) {
        throw new InputError(`--mode: unknown mode "${opts.mode}"; use one of ${MODES.join(', ')}`, { field: '--mode', value: opts.mode });
      }
      if (question.trim() === '') throw new InputError('the question is empty', { field: 'question', value: question });

      const [{ loadConfig }, { embeddingFromConfig }, { openDatabase }, kb, llmLayer, answering] = await Promise.all([
        import('../../config.ts'),
        import('../../knowledge/embedding/create.ts'),
        import('../../engine/store/database.ts'),
        import('../../knowledge/index.ts'),
        import('../../knowledge/llm/index.ts'),
        import('../../knowledge/answer/index.ts'),
      ]);
      const config = loadConfig();
      // The knowledge tables' migrations run here too: on PostgreSQL the knowledge base refuses a handed-in store without them.
      const opened = await openDatabase(databaseTarget(config), { extraMigrations: { knowledge_migration: kb.knowledgeMigrations, llm_migration: llmLayer.llmMigrations } });
      try {
        const base = await kb.openKnowledgeBase({ dataDir: config.dataDir, dbFile: config.dbFile, db: opened.db, embedding: embeddingFromConfig(config.knowledge, config.knowledge.embeddingApiKey) });
        try {
          const llm = opts.llm ? llmLayer.createLlmLayer(config.llm, { db: opened.db }) : null;
          const result = await answering.answerQuestion(question, {
            retriever: base,
            llm,
            llmMode: (opts.mode as (typeof MODES)[number] | undefined) ?? config.llm.mode,
            k,
            ...(minScore !== undefined
              ? { minScore }
              : // The passages come from this knowledge base's retrieve(), so they carry its relevance signals.
                { relevance: (_q: string, passages: Passage[]) => (base.isRelevant(passages as RetrievedPassage[]) ? passages : []) }),
          });
          process.stdout.write(opts.json ? JSON.stringify(toJson(result), null, 2) + '\n' : toText(result, answering.citationLabel));
        } finally {
          await base.close();
        }
      } finally {
        await opened.close();
      }
    });
}

function parseK(value: string): number {
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new InputError(`--k must be a whole number from 1 to 50, got "${value}"`, { field: '--k', value });
  return k;
}

function parseMinScore(value: string): number {
  const x = Number(value);
  if (!Number.isFinite(x)) throw new InputError(`--min-score must be a number, got "${value}"`, { field: '--min-score', value });
  return x;
}

type Result = Awaited<ReturnType<typeof import('../../knowledge/answer/index.ts').answerQuestion>>;

function toJson(result: Result) {
  return {
    answer: result.answer,
    language: result.language,
    mode: result.mode,
    citations: result.citations,
    // The ranked retrieval (every relevant passage, best first), not only the ones the answer cites.
    passages: (result.ranked ?? result.passages).map((p) => ({ document: p.document, page: p.page ?? null, heading: p.heading ?? null, score: p.score, text: p.text })),
    ...(result.invalidCitations.length ? { invalidCitations: result.invalidCitations } : {}),
    ...(result.llmMode ? { llmMode: result.llmMode } : {}),
    ...(result.agreement !== undefined ? { agreement: result.agreement } : {}),
    ...(result.llmError ? { llmError: result.llmError } : {}),
  };
}

function toText(result: Result, label: (c: Result['citations'][number]) => string): string {
  const lines = [result.answer];
  if (result.mode === 'llm' && result.citations.length) lines.push('', `Sources: ${result.citations.map(label).join(' ')}`);
  if (result.invalidCitations.length) lines.push(`Removed citations not found in the documents: ${result.invalidCitations.join(' ')}`);
  if (result.agreement !== undefined) lines.push(`Model agreement: ${Math.round(result.agreement * 100)}%`);
  if (result.llmError) lines.push('', `(answered without the LLM: ${result.llmError})`);
  return lines.join('\n') + '\n';
}
