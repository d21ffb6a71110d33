/**
 * `ita lab generate`: the configured LLM agents (by llm.mode) propose setups, the lab validates, merges, backtests
 * (optimized on the training split, judged out of sample), grades them and saves survivors disabled. Every run
 * (prompts, replies, costs, results) is stored in the database (lab_runs), and each agent's record feeds the next
 * run's vote weights. `ita lab from-doc DOC [--page N]`: a setup drafted from a stored document's passage, tested
 * walk-forward on stored markets, with its verdict recorded (as "Test this" does in the bot).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import type * as LabStore from '../../engine/lab/store.ts';
import { databaseTarget, redactUrl } from '../../engine/store/target.ts';

interface LabOpts {
  csv: string;
  exchange: string;
  symbol: string;
  tf?: string;
  n: string;
  ideas?: string;
  setups?: string;
  trainSplit: string;
  optimize: string;
  workers?: string;
  keep: string;
  walkForward?: boolean;
  trainDays: string;
  testDays: string;
}

/** `--keep`: which graded candidates are saved. */
const KEEP = ['passed', 'acceptable', 'good', 'excellent'] as const;
const RANK: Record<string, number> = { poor: 0, acceptable: 1, good: 2, excellent: 3 };

export function register(program: Command): void {
  const lab = program.command('lab').description('strategy lab: LLM-proposed setups, backtested, graded and saved disabled');
  lab
    .command('generate')
    .description('ask the configured LLMs for setups and test each one out of sample')
    .requiredOption('--csv <file>', 'candles to test the proposals on')
    .option('--exchange <id>', 'label of the candles', 'binance')
    .option('--symbol <symbol>', 'label of the candles (the market named in the prompt)', 'BTC/USDT')
    .option('--tf <timeframe>', 'candle timeframe (inferred when omitted)')
    .option('--n <n>', 'setups to ask each agent for', '3')
    .option('--ideas <text>', "the trader's ideas to start from")
    .option('--setups <dir>', 'where survivors are saved (default: setupsDir from the configuration)')
    .option('--train-split <fraction>', 'share of the candles the optimizer may see', '0.7')
    .option('--optimize <method>', 'ga | grid | none: optimize the params ranges on the training split', 'ga')
    .option('--workers <n>', 'optimizer worker threads')
    .option('--walk-forward', 'also run rolling walk-forward test windows over the whole file for each candidate')
    .option('--train-days <n>', 'walk-forward training window, days', '60')
    .option('--test-days <n>', 'walk-forward test window, days', '30')
    .option('--keep <grade>', `save candidates that ${KEEP.join(' | ')}: "passed" = every figure at its minimum, else at least this overall grade`, 'passed')
    .action(async (opts: LabOpts) => {
      // Loaded here, not at the top: every `ita` command would otherwise load Kysely at start-up.
      const [{ openDatabase }, labStore, { labAgents }] = await Promise.all([import('../../engine/store/database.ts'), import('../../engine/lab/store.ts'), import('../../engine/lab/agents.ts')]);
      const n = Number(opts.n);
      if (!Number.isInteger(n) || n < 1 || n > 10) throw new InputError(`--n must be a whole number from 1 to 10, got "${opts.n}"`, { field: 'n', value: opts.n });
      if (!['ga', 'grid', 'none'].includes(opts.optimize)) throw new InputError(`--optimize must be ga, grid or none, got "${opts.optimize}"`, { field: 'optimize', value: opts.optimize });
      if (!(KEEP as readonly string[]).includes(opts.keep)) throw new InputError(`--keep must be one of ${KEEP.join(', ')}, got "${opts.keep}"`, { field: 'keep', value: opts.keep });
      const [{ loadConfig }, llmLayer, { readCandlesFromCsv }, timeframes, runSetup, optimizeMod, detector, { runLab }, { labSummary }, { fixedParamsWalkForward }, { backtestSettings }, { loadGovernance }, terms, { withConfiguredQueue }] = await Promise.all([
        import('../../config.ts'),
        import('../../knowledge/llm/index.ts'),
        import('../../engine/market/csv/read-candles.ts'),
        import('../../engine/market/timeframes.ts'),
        import('../../engine/backtest/service/run-setup.ts'),
        import('../../engine/backtest/service/optimize.ts'),
        import('../../engine/backtest/detector-source.ts'),
        import('../../engine/lab/run-lab.ts'),
        import('../../engine/lab/summary.ts'),
        import('../../engine/lab/fixed-walk-forward.ts'),
        import('../../app/backtest-settings.ts'),
        import('../../engine/risk/index.ts'),
        import('../../engine/backtest/service/terms.ts'),
        import('../queue-run.ts'),
      ]);
      const config = loadConfig();
      if (config.llm.providers.length === 0) throw new InputError('the lab needs an LLM: configure llm.providers (or ITA_LLM_BASE_URL and ITA_LLM_MODEL)', { field: 'llm.providers' });
      const candles = readCandlesFromCsv(opts.csv);
      if (candles.length === 0) throw new InputError('the file holds no candles', { file: opts.csv });
      const timeframe = opts.tf ? timeframes.parseTimeframe(opts.tf) : timeframes.inferTimeframe(candles);
      if (!timeframe) throw new InputError('cannot infer the timeframe from the candle spacing; pass --tf', { file: opts.csv });
      const trainSplit = Number(opts.trainSplit);
      // The bot's /backtest settings (fees, equity, account, policy, governor): a lab verdict is what /backtest would say.
      const settings = backtestSettings(config, loadGovernance(config.governanceFile));
      const key = { exchange: opts.exchange, symbol: opts.symbol };

      // Runs, prompts, costs and each model's record live in the database (older JSON runs are imported once).
      const opened = await openDatabase(databaseTarget(config), { extraMigrations: { llm_migration: llmLayer.llmMigrations, [labStore.LAB_MIGRATION_TABLE]: labStore.labMigrations } });
      const db = opened.db as unknown as import('kysely').Kysely<any>;
      await labStore.importJsonRuns(db, path.join(config.dataDir, 'lab'));
      const records = await labStore.agentRecords(db);
      const router = llmLayer.createLlmLayer(config.llm, { db });
      if (!router) throw new InputError('the lab needs an LLM: configure llm.providers (or ITA_LLM_BASE_URL and ITA_LLM_MODEL)', { field: 'llm.providers' });
      const { agents, flow } = labAgents(router, config.llm.mode);
      const startedAt = Date.now();
      const runId = `run-${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}`;

      // With a configured queue the optimizer's evaluations and the walk-forward windows are jobs for `ita worker`.
      const run = await withConfiguredQueue(config, ({ queue, signal }) =>
        runLab({
          agents,
          flow,
          signal,
          brief: { n, markets: [opts.symbol], timeframes: [timeframe], ideas: opts.ideas },
          records,
          setupsDir: opts.setups ?? config.setupsDir,
          survives: (grade) => (opts.keep === 'passed' ? grade.passed : grade.grade in RANK && RANK[grade.grade] >= RANK[opts.keep]),
          onProgress: (p) => process.stderr.write(`${p.stage}: ${p.done}/${p.total}\n`),
          evaluate: async (setup) => {
            const market = runSetup.seriesForSetup(candles, timeframe, setup, key);
            const { train, test } = optimizeMod.splitSeries(market, trainSplit);
            // Fixed parameters per window (the training part only warms up), as `ita backtest --walk-forward` does.
            const walked = opts.walkForward ? await fixedParamsWalkForward(setup, market, settings, { trainDays: Number(opts.trainDays), testDays: Number(opts.testDays), queue, signal }) : undefined;
            const walkForward = walked && walked.windows.length > 0 ? walked.aggregate : undefined;
            if (opts.optimize !== 'none' && Object.keys(detector.paramRanges(setup)).length > 0) {
              const workers = opts.workers === undefined ? undefined : Number(opts.workers);
              const result = await optimizeMod.optimizeSetup({ setup, train, test, settings, method: opts.optimize === 'grid' ? 'grid' : 'genetic', objective: 'composite', workers, queue, signal });
              // The tuned setup is what gets judged, Monte-Carlo'd and saved.
              const tuned = detector.withParams(setup, result.best.params);
              return { ...runSetup.runSetupBacktest({ setup: tuned, market: test, settings }), setup: tuned, trials: result.evaluations, walkForward };
            }
            return { ...runSetup.runSetupBacktest({ setup, market: test, settings }), walkForward };
          },
        }),
      );
      const outcome: LabStore.AgentRecords = {};
      for (const t of run.transcripts) {
        const mine = run.candidates.filter((c) => c.candidate.agents.includes(t.agent));
        outcome[t.agent] = { proposed: mine.length, survived: mine.filter((c) => c.survived).length };
      }
      await labStore.addAgentResults(db, outcome);
      await labStore.insertLabRun(db, {
        id: runId, startedAt, finishedAt: Date.now(), status: 'done', source: 'cli', mode: config.llm.mode, models: agents.map((a) => a.name),
        brief: { n, symbol: opts.symbol, timeframe, ideas: opts.ideas, trainSplit, optimize: opts.optimize, trials: run.trialsCorrection?.trials, deflatedSharpe: run.trialsCorrection?.deflatedSharpe, simulation: terms.simulationTerms(settings) },
        transcripts: run.transcripts, costUsd: run.costUsd, candidates: run.candidates, saved: run.saved,
      });
      await opened.close();
      const lines = labSummary(run, { evaluatedOn: `out of sample: the last ${Math.round((1 - trainSplit) * 100)} % of ${opts.symbol} ${timeframe}` });
      for (const line of lines) process.stdout.write(line + '\n');
      process.stdout.write(terms.describeTerms(terms.simulationTerms(settings)) + '\n');
      process.stdout.write(`Run stored in the database (${redactUrl(databaseTarget(config))}) as ${runId}; list runs with /lab runs\n`);
    });
  registerFromDoc(program);
}

interface FromDocOpts {
  page?: string;
  chunk?: string;
  markets?: string;
}

/** `ita lab from-doc DOC [--page N] [--markets SYMBOL:TF,…]`: the bot's "Test this" from the terminal. */
export function registerFromDoc(program: Command): void {
  const lab = program.commands.find((c) => c.name() === 'lab')!;
  lab
    .command('from-doc')
    .description("draft a setup from a stored document's passage with the LLM, test it walk-forward on stored markets and record the verdict")
    .argument('<doc>', 'document id or file name, as /docs lists them')
    .option('--page <n>', 'the page (PDF) whose first passage is tested')
    .option('--chunk <id>', 'test exactly this passage (chunk id)')
    .option('--markets <list>', 'stored markets SYMBOL:TF[@EXCHANGE], comma-separated (default: every stored market the setup can run on)')
    .action(async (doc: string, opts: FromDocOpts) => {
      const [{ openDatabase }, labStore] = await Promise.all([import('../../engine/store/database.ts'), import('../../engine/lab/store.ts')]);
      const page = opts.page === undefined ? undefined : Number(opts.page);
      if (page !== undefined && !(Number.isInteger(page) && page > 0)) throw new InputError(`--page must be a page number, got "${opts.page}"`, { field: 'page', value: opts.page });
      const [{ loadConfig }, llmLayer, { loadGovernance }, { createLabServicesFromConfig }, knowledge, { embeddingFromConfig }] = await Promise.all([
        import('../../config.ts'),
        import('../../knowledge/llm/index.ts'),
        import('../../engine/risk/index.ts'),
        import('../../app/lab-service.ts'),
        import('../../knowledge/index.ts'),
        import('../../knowledge/embedding/create.ts'),
      ]);
      const config = loadConfig();
      const opened = await openDatabase(databaseTarget(config), { extraMigrations: { knowledge_migration: knowledge.knowledgeMigrations, llm_migration: llmLayer.llmMigrations, [labStore.LAB_MIGRATION_TABLE]: labStore.labMigrations } });
      try {
        const db = opened.db as unknown as import('kysely').Kysely<any>;
        // The document's passages through the knowledge base's own API (its tables are its business).
        const kb = await knowledge.openKnowledgeBase({ dataDir: config.dataDir, dbFile: config.dbFile, db, embedding: embeddingFromConfig(config.knowledge, config.knowledge.embeddingApiKey) });
        let passages: Awaited<ReturnType<typeof kb.listChunks>>;
        try {
          const documents = await kb.listDocuments();
          const found = documents.find((d) => (/^\d+$/.test(doc) ? d.id === Number(doc) : d.name === doc));
          if (!found) throw new InputError(`no stored document "${doc}"; stored: ${documents.map((d) => `${d.id} ${d.name}`).join(', ') || 'none (send one to the bot or use ita ingest)'}`, { field: 'doc', value: doc });
          passages = await kb.listChunks(found.id, { page });
          if (passages.length === 0) throw new InputError(`document "${found.name}" has no passage${page ? ` on page ${page}` : ''}${found.pages ? ` (it has ${found.pages} pages)` : ''}`, { field: 'page', value: page });
        } finally {
          await kb.close();
        }
        const passage = opts.chunk ? passages.find((p) => p.chunkId === Number(opts.chunk)) : passages[0];
        if (!passage) throw new InputError(`chunk ${opts.chunk} is not a passage of "${doc}"; its chunks: ${passages.map((p) => p.chunkId).join(', ')}`, { field: 'chunk', value: opts.chunk });
        const { theory } = createLabServicesFromConfig({ db, llm: llmLayer.createLlmLayer(config.llm, { db }), config, governance: loadGovernance(config.governanceFile) });
        const missing = theory.unavailable();
        if (missing) throw new InputError(`testing a passage needs an LLM: set ${missing}`, { field: 'llm.providers' });
        await theory.remember([passage]);
        process.stdout.write(`Passage ${passage.chunkId} of ${passage.document}${passage.page ? `, p. ${passage.page}` : ''}:\n${passage.text.slice(0, 600)}\n\n`);
        const draft = await theory.draft(passage.chunkId);
        process.stdout.write(`Drafted setup (${draft.model}, $${draft.costUsd.toFixed(4)}): ${draft.rationale}\n${draft.setupYaml}\n`);
        const usable = await theory.marketsFor(draft.id);
        const wanted = opts.markets?.split(',').map((m) => m.trim()).filter(Boolean);
        const markets = wanted
          ? wanted.map((w) => {
              const [pair, exchange] = w.split('@');
              const [symbol, tf] = pair.split(':');
              const found = usable.find((m) => m.symbol === symbol && m.timeframe === tf && (!exchange || m.exchange === exchange));
              if (!found) throw new InputError(`"${w}" is not a stored market this setup can run on; usable: ${usable.map((m) => `${m.symbol}:${m.timeframe}@${m.exchange}`).join(', ') || 'none'}`, { field: 'markets', value: w });
              return found;
            })
          : usable;
        if (markets.length === 0) throw new InputError('no stored market has candles this setup can run on; import some with ita import', { field: 'markets' });
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort(new Error('interrupted')));
        const result = await theory.test(draft.id, markets, (p) => process.stderr.write(`evidence: ${p.done}/${p.total} markets\n`), controller.signal);
        const e = result.evidence;
        const f = (v: number) => (Number.isFinite(v) ? `${v > 0 ? '+' : ''}${v.toFixed(3)}` : 'n/a');
        process.stdout.write(`Verdict: ${e.verdict} (${e.reason}) — ${e.trades} out-of-sample trades, expectancy ${f(e.expectancyR)}R per trade, 95 % CI ${f(e.ciLowR)}…${f(e.ciHighR)}R\n`);
        for (const m of e.markets) {
          process.stdout.write(`  ${m.market}: ${m.trades} trades, ${f(m.expectancyR)}R, ${m.positiveWindows}/${m.windows} windows positive (${m.method})\n`);
          const refused = Object.entries(m.refused).map(([rule, k]) => `${rule} ×${k}`).join(', ');
          if (refused) process.stdout.write(`    refused signals (no trade): ${refused}\n`);
        }
        process.stdout.write(`Recorded as theory test ${draft.id}; /theory lists it.\n`);
      } finally {
        await opened.close();
      }
    });
}
