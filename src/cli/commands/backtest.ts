/**
 * `ita backtest`: one setup through the live detector, the simulated broker and the trader's management plan over
 * a candle file or stored candles; optional walk-forward, Monte Carlo and parameter optimization.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import type { Candle, Timeframe } from '../../engine/types.ts';
import type { CandleColumns } from '../../engine/market/columns.ts';
import type { SizingOptions } from '../../engine/backtest/types.ts';
import { parseTime } from '../options.ts';
import { databaseTarget, redactUrl } from '../../engine/store/target.ts';

interface BacktestOpts {
  setup: string;
  setups: string;
  csv?: string;
  exchange?: string;
  symbol?: string;
  tf?: string;
  db?: string;
  from?: string;
  to?: string;
  cash: string;
  risk: string;
  sizing: string;
  fraction: string;
  amount: string;
  feeTaker: string;
  feeMaker: string;
  slippageBps: string;
  compat?: string;
  detail?: string;
  walkForward?: boolean;
  trainDays: string;
  testDays: string;
  monteCarlo?: string;
  ruinDd: string;
  mcSlippageBps: string;
  mcFeeJitter: string;
  optimize?: string;
  objective: string;
  minTrades: string;
  population?: string;
  generations?: string;
  trainSplit: string;
  workers?: string;
  json?: boolean;
  out?: string;
  account?: string;
  leverage?: string;
  governor: boolean;
  governance?: string;
  minScore?: string;
  maxCostR?: string;
}

export function register(program: Command): void {
  program
    .command('backtest')
    .description('backtest a setup with the live detector over a candle file or stored candles')
    .requiredOption('--setup <id|path>', 'setup id from the setups directory, or a YAML file')
    .option('--setups <dir>', 'setups directory', 'setups')
    .option('--csv <file>', 'candle file (any format `ita import` reads)')
    .option('--exchange <id>', 'exchange of stored candles (with --symbol and --tf), or the label of --csv', 'binance')
    .option('--symbol <symbol>', 'symbol of stored candles, or the label of --csv', 'BTC/USDT')
    .option('--tf <timeframe>', "candle timeframe (for --csv: inferred when omitted); the setup's own timeframe is resampled from it")
    .option('--db <file>', 'SQLite database with stored candles (default: dbFile from the configuration)')
    .option('--from <time>', 'trade from this time (ISO date or epoch ms); earlier candles only warm the detector up')
    .option('--to <time>', 'stop at this time (exclusive)')
    .option('--cash <n>', 'initial equity in quote currency', '10000')
    .option('--sizing <kind>', 'risk | fraction | amount | all-in', 'risk')
    .option('--risk <percent>', 'risk per trade in % of equity (sizing risk)', '0.8')
    .option('--fraction <percent>', 'position notional in % of equity (sizing fraction)', '10')
    .option('--amount <n>', 'position notional in quote currency (sizing amount)', '1000')
    .option('--fee-taker <percent>', 'taker fee in % of notional (market entries, stops)', '0.1')
    .option('--fee-maker <percent>', 'maker fee in % of notional (limits, targets)', '0.1')
    .option('--slippage-bps <n>', 'adverse slippage on market and stop fills, basis points', '0')
    .option('--compat <library>', 'backtesting.py: all-in sizing, no stops/targets, taker fee as its commission')
    .option('--detail <file>', 'lower-timeframe candles of the same market: decide stop vs target inside a candle (default: the --csv candles when the setup runs on a higher timeframe)')
    .option('--walk-forward', 'also run rolling walk-forward test windows')
    .option('--train-days <n>', 'walk-forward training window, days', '60')
    .option('--test-days <n>', 'walk-forward test window, days', '30')
    .option('--monte-carlo <n>', 'also resample the trades N times (bootstrap) and re-cost them N times (varied slippage and fees): percentiles and probability of ruin')
    .option('--ruin-dd <percent>', 'drawdown counted as ruin in the Monte Carlo', '30')
    .option('--mc-slippage-bps <n>', 'Monte Carlo: extra adverse slippage per fill drawn in [0, n] bps', '10')
    .option('--mc-fee-jitter <fraction>', 'Monte Carlo: fees multiplied by a factor drawn in [1 − x, 1 + x]', '0.5')
    .option('--optimize <method>', "grid | ga: search the setup's params ranges on the training split, check the best out of sample")
    .option('--objective <name>', 'composite | sharpe | expectancy | profit_factor | calmar', 'composite')
    .option('--min-trades <n>', 'composite objective: parameter sets with fewer trades are not considered', '30')
    .option('--population <n>', 'genetic optimizer population', '50')
    .option('--generations <n>', 'genetic optimizer generations', '20')
    .option('--train-split <fraction>', 'share of the candles the optimizer may see', '0.7')
    .option('--workers <n>', 'optimizer worker threads (default: all cores)')
    .option('--account <type>', 'account type of the market: spot (long only) or perp (USDT-M perpetual, long and short); default exchange.account')
    .option('--leverage <n>', 'exchange leverage on a perp account (clamped to governance leverage_cap); default exchange.leverage')
    .option('--no-governor', 'research switch: do not apply the risk governor (the report says so)')
    .option('--governance <file>', 'risk limits file (default: governance.yaml at the project root)')
    .option('--min-score <n>', 'signal policy: minimum score to enter (default signals.minScore)')
    .option('--max-cost-r <n>', 'signal policy: refuse signals whose stopped-out costs exceed this many R (default signals.maxCostR)')
    .option('--json', 'print the result as JSON instead of the summary')
    .option('--out <dir>', 'write report.json, trades.csv, equity.png and trade charts here')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  ita backtest --setup breakout_4h --csv data/samples/binance_BTCUSDT_4h.csv --out out/breakout',
        '  ita backtest --setup ema_cross --csv data/samples/binance_BTCUSDT_1h.csv --from 2023-01-01 --monte-carlo 1000',
        '  ita backtest --setup sma_cross --csv data/samples/nasdaq_GOOG_1d.csv --optimize grid --objective sharpe',
        '  ita backtest --setup ema_cross --exchange binance --symbol BTC/USDT --tf 1h --walk-forward',
      ].join('\n'),
    )
    .action(async (opts: BacktestOpts) => {
      const { loadSetupFile } = await import('../../engine/setups/index.ts');
      const { seriesForSetup, seriesFromColumns } = await import('../../engine/backtest/service/run-setup.ts');
      const { candlesOf } = await import('../../engine/market/columns.ts');
      const { analyzeSetup } = await import('../../engine/backtest/service/analysis.ts');
      const { withConfiguredQueue } = await import('../queue-run.ts');
      const { loadConfig } = await import('../../config.ts');

      const file = /\.ya?ml$/.test(opts.setup) ? opts.setup : path.join(opts.setups, `${opts.setup}.yaml`);
      if (!existsSync(file)) throw new InputError(`no setup "${opts.setup}" (looked for ${file})`, { field: 'setup', value: opts.setup });
      const setup = loadSetupFile(file);
      const loaded = await loadCandles(opts);
      const { timeframe } = loaded;
      const range = { from: opts.from ? parseTime(opts.from, 'from') : undefined, to: opts.to ? parseTime(opts.to, 'to') : undefined };
      const key = { exchange: opts.exchange!, symbol: opts.symbol! };
      // A canonical file comes as columns: the backtest then never builds a Candle object per row.
      const market = loaded.columns ? seriesFromColumns(loaded.columns, timeframe, setup, key, range) : seriesForSetup(loaded.candles, timeframe, setup, key, range);
      // A file finer than the setup's timeframe already holds what happened inside each candle: use it for stop-vs-target.
      const fileCandles = () => loaded.candles ?? candlesOf(loaded.columns!);
      const detail = opts.detail ? await loadDetail(opts.detail) : timeframe !== setup.timeframe ? fileCandles() : undefined;

      const settings = await simulationSettings(opts);
      const walkForward = opts.walkForward ? { trainDays: positive(opts.trainDays, 'train-days'), testDays: positive(opts.testDays, 'test-days') } : undefined;
      const monteCarlo = opts.monteCarlo ? monteCarloOptions(opts) : undefined;
      const optimize = opts.optimize ? optimizeOptions(opts) : undefined;
      const progress = progressReporter();
      // With a configured queue the run, its optimizer evaluations and walk-forward windows are jobs for `ita worker`.
      const result = await withConfiguredQueue(loadConfig(), ({ queue, signal }) =>
        analyzeSetup({
          setup, market, detail, settings, walkForward, monteCarlo, optimize, queue, signal,
          onProgress: progress.update,
          // The summary and JSON only need the trades; trade charts (--out) show the signal's market context.
          describeContext: opts.out !== undefined,
          keepSignals: opts.out !== undefined,
          assumptions: true,
        }),
      ).finally(progress.done);

      const written: string[] = [];
      const title = `${setup.name} · ${market.key.symbol} ${market.key.timeframe}`;
      if (opts.out) written.push(...(await writeOutputs(result, market.warmup.concat(market.candles), setup, title, opts.out)));
      if (opts.json) {
        const { reportJsonChunks } = await import('../../engine/backtest/outputs.ts');
        const { report, signals: _signals, summary: _summary, ...validation } = result;
        // In pieces: a multi-million-candle report is longer than the longest string V8 can build.
        let block = '{"report":';
        for (const chunk of reportJsonChunks(report)) {
          block += chunk;
          if (block.length > 1 << 20) {
            process.stdout.write(block);
            block = '';
          }
        }
        process.stdout.write(`${block},"validation":${JSON.stringify(validation)}}\n`);
        return;
      }
      for (const line of result.summary) process.stdout.write(line + '\n');
      if (written.length) process.stdout.write(`Wrote ${written.map((f) => path.basename(f)).join(', ')} to ${opts.out}\n`);
    });
}

type LoadedCandles = { candles: Candle[]; columns?: undefined; timeframe: Timeframe } | { candles?: undefined; columns: CandleColumns; timeframe: Timeframe };

async function loadCandles(opts: BacktestOpts): Promise<LoadedCandles> {
  const { inferTimeframe, parseTimeframe } = await import('../../engine/market/timeframes.ts');
  if (opts.csv) {
    const { readCandleColumns } = await import('../../engine/market/csv/read-columns.ts');
    const columns = readCandleColumns(opts.csv);
    if (columns) {
      const head = Array.from({ length: Math.min(columns.length, 2000) }, (_, i) => ({ ts: columns.ts[i] }));
      const timeframe = opts.tf ? parseTimeframe(opts.tf) : inferTimeframe(head);
      if (!timeframe) throw new InputError('cannot infer the timeframe from the candle spacing; pass --tf', { file: opts.csv });
      return { columns, timeframe };
    }
    // Not the plain canonical format (or a row the checks refuse): the full parser reads it or names every problem.
    const { readCandlesFromCsv } = await import('../../engine/market/csv/read-candles.ts');
    const candles = readCandlesFromCsv(opts.csv);
    if (candles.length === 0) throw new InputError('the file holds no candles', { file: opts.csv });
    const timeframe = opts.tf ? parseTimeframe(opts.tf) : inferTimeframe(candles);
    if (!timeframe) throw new InputError('cannot infer the timeframe from the candle spacing; pass --tf', { file: opts.csv });
    return { candles, timeframe };
  }
  if (!opts.tf) throw new InputError('give --csv FILE, or --exchange, --symbol and --tf for stored candles', { field: 'csv' });
  const timeframe = parseTimeframe(opts.tf);
  const { openDatabase } = await import('../../engine/store/database.ts');
  const { getCandles } = await import('../../engine/store/candles.ts');
  const { loadConfig } = await import('../../config.ts');
  const dbFile = opts.db ?? databaseTarget(loadConfig());
  const store = await openDatabase(dbFile);
  try {
    const candles = await getCandles(store.db, { exchange: opts.exchange!, symbol: opts.symbol!, timeframe });
    if (candles.length === 0) {
      throw new InputError(`no stored ${timeframe} candles for ${opts.exchange} ${opts.symbol} in ${redactUrl(dbFile)} (see \`ita candles\`)`, { field: 'symbol', value: opts.symbol });
    }
    return { candles, timeframe };
  } finally {
    await store.close();
  }
}

async function loadDetail(file: string): Promise<Candle[]> {
  const { readCandlesFromCsv } = await import('../../engine/market/csv/read-candles.ts');
  return readCandlesFromCsv(file);
}

function number(value: string, field: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InputError(`--${field} must be a number, got "${value}"`, { field, value });
  return n;
}

function positive(value: string, field: string): number {
  const n = number(value, field);
  if (!(n > 0)) throw new InputError(`--${field} must be above 0, got "${value}"`, { field, value });
  return n;
}

function nonNegative(value: string, field: string): number {
  const n = number(value, field);
  if (n < 0) throw new InputError(`--${field} must not be negative, got "${value}"`, { field, value });
  return n;
}

/** Account, policy and governor options shared with `ita replay` (same names, same defaults). */
export async function tradingSettings(opts: { account?: string; leverage?: string; governor?: boolean; governance?: string; minScore?: string; maxCostR?: string }) {
  const { tradingDefaults } = await import('../../app/trading-defaults.ts');
  const { loadGovernance } = await import('../../engine/risk/index.ts');
  const d = tradingDefaults();
  const account = opts.account ?? d.account;
  if (account !== 'spot' && account !== 'perp') throw new InputError(`--account must be spot or perp, got "${account}"`, { field: 'account', value: account });
  return {
    account: account as 'spot' | 'perp',
    leverage: opts.leverage === undefined ? d.leverage : positive(opts.leverage, 'leverage'),
    governance: opts.governor === false ? undefined : opts.governance ? loadGovernance(opts.governance) : loadGovernance(),
    policy: {
      minScore: opts.minScore === undefined ? d.minScore : nonNegative(opts.minScore, 'min-score'),
      maxCostR: opts.maxCostR === undefined ? d.maxCostR : positive(opts.maxCostR, 'max-cost-r'),
    },
  };
}

async function simulationSettings(opts: BacktestOpts) {
  if (opts.compat !== undefined && opts.compat !== 'backtesting.py') {
    throw new InputError(`--compat knows only "backtesting.py", got "${opts.compat}"`, { field: 'compat', value: opts.compat });
  }
  return {
    ...(await tradingSettings(opts)),
    initialCash: positive(opts.cash, 'cash'),
    sizing: sizing(opts),
    fees: { taker: nonNegative(opts.feeTaker, 'fee-taker') / 100, maker: nonNegative(opts.feeMaker, 'fee-maker') / 100 },
    slippageBps: nonNegative(opts.slippageBps, 'slippage-bps'),
    compat: opts.compat as 'backtesting.py' | undefined,
  };
}

function sizing(opts: BacktestOpts): SizingOptions {
  switch (opts.sizing) {
    case 'risk':
      return { kind: 'risk', riskFraction: positive(opts.risk, 'risk') / 100 };
    case 'fraction':
      return { kind: 'fixed-fraction', fraction: positive(opts.fraction, 'fraction') / 100 };
    case 'amount':
      return { kind: 'fixed-amount', amount: positive(opts.amount, 'amount') };
    case 'all-in':
      return { kind: 'all-in' };
    default:
      throw new InputError(`--sizing must be risk, fraction, amount or all-in, got "${opts.sizing}"`, { field: 'sizing', value: opts.sizing });
  }
}

function monteCarloOptions(opts: BacktestOpts) {
  return {
    iterations: Math.round(positive(opts.monteCarlo!, 'monte-carlo')),
    ruinDrawdownPct: positive(opts.ruinDd, 'ruin-dd'),
    slippageBps: nonNegative(opts.mcSlippageBps, 'mc-slippage-bps'),
    feeJitter: nonNegative(opts.mcFeeJitter, 'mc-fee-jitter'),
  };
}

const OBJECTIVES = ['composite', 'sharpe', 'expectancy', 'profit_factor', 'calmar'] as const;

function optimizeOptions(opts: BacktestOpts) {
  const method = opts.optimize === 'grid' ? 'grid' : opts.optimize === 'ga' || opts.optimize === 'genetic' ? 'genetic' : undefined;
  if (!method) throw new InputError(`--optimize must be grid or ga, got "${opts.optimize}"`, { field: 'optimize', value: opts.optimize });
  const objective = OBJECTIVES.find((o) => o === opts.objective);
  if (!objective) throw new InputError(`--objective must be one of ${OBJECTIVES.join(', ')}, got "${opts.objective}"`, { field: 'objective', value: opts.objective });
  const trainSplit = number(opts.trainSplit, 'train-split');
  const workers = opts.workers === undefined ? undefined : Math.round(positive(opts.workers, 'workers'));
  const population = opts.population === undefined ? undefined : Math.round(positive(opts.population, 'population'));
  const generations = opts.generations === undefined ? undefined : Math.round(positive(opts.generations, 'generations'));
  const composite = { minTrades: Math.round(nonNegative(opts.minTrades, 'min-trades')) };
  return { method, objective, composite, trainSplit, workers, population, generations } as const;
}

/** A bar redrawn in place on a terminal; otherwise (logs, pipes) one line per stage and every ~10 %. */
function progressReporter() {
  const tty = process.stderr.isTTY === true;
  let lastStage = '';
  let lastTenth = -1;
  let drawn = false;
  return {
    update({ stage, done, total }: { stage: string; done: number; total: number }) {
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      if (tty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        process.stderr.write(`\r${stage.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (stage === lastStage && tenth === lastTenth) return;
      lastStage = stage;
      lastTenth = tenth;
      process.stderr.write(`${stage}: ${done}/${total}\n`);
    },
    done() {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}

async function writeOutputs(result: import('../../engine/backtest/service/analysis.ts').AnalysisResult, candles: Candle[], setup: import('../../engine/setups/index.ts').Setup, title: string, dir: string): Promise<string[]> {
  const { writeBacktestOutputs } = await import('../../engine/backtest/outputs.ts');
  const { renderEquityPng, writeTradeCharts } = await import('../../engine/backtest/service/charts.ts');
  const { writeFile } = await import('node:fs/promises');
  const traded = candles.slice(candles.length - result.report.equity.ts.length);
  const files = await writeBacktestOutputs(result.report, dir, async (_equity, file) => writeFile(file, await renderEquityPng(result.report, title, traded)));
  files.push(...(await writeTradeCharts(result.report, result.signals, candles, setup, dir)));
  // Monte Carlo, walk-forward and the optimizer's in/out-of-sample result with its trials correction.
  const { report: _report, signals: _signals, summary: _summary, ...validation } = result;
  if (Object.keys(validation).length > 0) {
    files.push(path.join(dir, 'validation.json'));
    await writeFile(files[files.length - 1], JSON.stringify(validation, null, 1));
  }
  return files;
}
