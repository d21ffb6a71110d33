/**
 * `ita lab generate`: the configured LLM agents propose setups, the lab validates, merges, backtests (optimized on
 * the training split, judged out of sample), grades them and saves survivors disabled. Every run (prompts, replies,
 * costs, results) is written under <dataDir>/lab/, and each agent's record feeds the next run's vote weights.
 */
import path from 'node:path';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';

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
      const n = Number(opts.n);
      if (!Number.isInteger(n) || n < 1 || n > 10) throw new InputError(`--n must be a whole number from 1 to 10, got "${opts.n}"`, { field: 'n', value: opts.n });
      if (!['ga', 'grid', 'none'].includes(opts.optimize)) throw new InputError(`--optimize must be ga, grid or none, got "${opts.optimize}"`, { field: 'optimize', value: opts.optimize });
      if (!(KEEP as readonly string[]).includes(opts.keep)) throw new InputError(`--keep must be one of ${KEEP.join(', ')}, got "${opts.keep}"`, { field: 'keep', value: opts.keep });
      const [{ loadConfig }, llmLayer, { readCandlesFromCsv }, timeframes, runSetup, optimizeMod, detector, { runLab }, { labSummary }, wf] = await Promise.all([
        import('../../config.ts'),
        import('../../knowledge/llm/index.ts'),
        import('../../engine/market/csv/read-candles.ts'),
        import('../../engine/market/timeframes.ts'),
        import('../../engine/backtest/service/run-setup.ts'),
        import('../../engine/backtest/service/optimize.ts'),
        import('../../engine/backtest/detector-source.ts'),
        import('../../engine/lab/run-lab.ts'),
        import('../../engine/lab/summary.ts'),
        import('../../engine/backtest/walk-forward.ts'),
      ]);
      const config = loadConfig();
      const router = llmLayer.createLlmLayer(config.llm);
      if (!router) throw new InputError('the lab needs an LLM: configure llm.providers (or ITA_LLM_BASE_URL and ITA_LLM_MODEL)', { field: 'llm.providers' });
      const candles = readCandlesFromCsv(opts.csv);
      if (candles.length === 0) throw new InputError('the file holds no candles', { file: opts.csv });
      const timeframe = opts.tf ? timeframes.parseTimeframe(opts.tf) : timeframes.inferTimeframe(candles);
      if (!timeframe) throw new InputError('cannot infer the timeframe from the candle spacing; pass --tf', { file: opts.csv });
      const trainSplit = Number(opts.trainSplit);
      const settings = runSetup.DEFAULT_SIMULATION;
      const key = { exchange: opts.exchange, symbol: opts.symbol };

      const labDir = path.join(config.dataDir, 'lab');
      mkdirSync(labDir, { recursive: true });
      const recordsFile = path.join(labDir, 'agents.json');
      const records = existsSync(recordsFile) ? (JSON.parse(readFileSync(recordsFile, 'utf8')) as Record<string, { proposed: number; survived: number }>) : {};
      // Ensemble-style modes let every configured model propose; single mode asks the router (with its fallback).
      const names = config.llm.mode === 'single' ? [router.providerNames[0]] : router.providerNames;
      type Messages = Parameters<typeof router.complete>[0];
      const agents = names.map((name) => ({
        name,
        async complete(prompt: string, history: { prompt: string; reply: string }[], purpose: string) {
          // Role/content pairs: the router's chat models accept them as messages (no LangChain import outside knowledge/).
          const messages = [...history.flatMap((t) => [{ role: 'user', content: t.prompt }, { role: 'assistant', content: t.reply }]), { role: 'user', content: prompt }];
          const reply = await router.complete(messages as unknown as Messages, { purpose, only: config.llm.mode === 'single' ? undefined : name });
          return { text: reply.text, costUsd: reply.costUsd };
        },
      }));

      // Fixed parameters per window (the training part only warms up), as `ita backtest --walk-forward` does.
      const walkForwardOf = async (setup: import('../../engine/setups/index.ts').Setup, market: import('../../engine/backtest/service/run-setup.ts').MarketSeries) => {
        const last = market.candles[market.candles.length - 1];
        const range = { start: market.candles[0].ts, end: last.ts + timeframes.timeframeMs(timeframe) };
        const result = await wf.walkForward(range, (w) => runSetup.runSetupBacktest({ setup, market: runSetup.sliceSeries(market, w.test.start, w.test.end, 1000), settings }), {
          trainDays: Number(opts.trainDays),
          testDays: Number(opts.testDays),
        });
        return result.windows.length > 0 ? result.aggregate : undefined;
      };
      const run = await runLab({
        agents,
        brief: { n, markets: [opts.symbol], timeframes: [timeframe], ideas: opts.ideas },
        records,
        setupsDir: opts.setups ?? config.setupsDir,
        survives: (grade) => (opts.keep === 'passed' ? grade.passed : grade.grade in RANK && RANK[grade.grade] >= RANK[opts.keep]),
        onProgress: (p) => process.stderr.write(`${p.stage}: ${p.done}/${p.total}\n`),
        evaluate: async (setup) => {
          const market = runSetup.seriesForSetup(candles, timeframe, setup, key);
          const { train, test } = optimizeMod.splitSeries(market, trainSplit);
          const walkForward = opts.walkForward ? await walkForwardOf(setup, market) : undefined;
          if (opts.optimize !== 'none' && Object.keys(detector.paramRanges(setup)).length > 0) {
            const workers = opts.workers === undefined ? undefined : Number(opts.workers);
            const result = await optimizeMod.optimizeSetup({ setup, train, test, settings, method: opts.optimize === 'grid' ? 'grid' : 'genetic', objective: 'composite', workers });
            // The tuned setup is what gets judged, Monte-Carlo'd and saved.
            const tuned = detector.withParams(setup, result.best.params);
            return { ...runSetup.runSetupBacktest({ setup: tuned, market: test, settings }), setup: tuned, trials: result.evaluations, walkForward };
          }
          return { ...runSetup.runSetupBacktest({ setup, market: test, settings }), walkForward };
        },
      });
      for (const t of run.transcripts) {
        const r = (records[t.agent] ??= { proposed: 0, survived: 0 });
        const mine = run.candidates.filter((c) => c.candidate.agents.includes(t.agent));
        r.proposed += mine.length;
        r.survived += mine.filter((c) => c.survived).length;
      }
      writeFileSync(recordsFile, JSON.stringify(records, null, 1));
      const runFile = path.join(labDir, `run-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      writeFileSync(runFile, JSON.stringify({ brief: { n, symbol: opts.symbol, timeframe, ideas: opts.ideas, trainSplit, optimize: opts.optimize }, ...run }, null, 1));
      const lines = labSummary(run, { evaluatedOn: `out of sample: the last ${Math.round((1 - trainSplit) * 100)} % of ${opts.symbol} ${timeframe}` });
      for (const line of lines) process.stdout.write(line + '\n');
      process.stdout.write(`Run stored in ${runFile}\n`);
    });
}
