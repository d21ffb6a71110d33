/**
 * `ita replay`: the live execution path over stored candles, as fast as it goes — detector → risk governor → paper
 * broker → journal, approving every signal. Resumable: kill it and run the same command again to continue.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import { parseTime } from '../options.ts';

interface ReplayOpts {
  csv: string;
  symbol: string;
  exchange: string;
  tf?: string;
  setup: string;
  setups: string;
  autoApprove?: boolean;
  db?: string;
  json?: boolean;
  equity: string;
  fee: string;
  from?: string;
  to?: string;
  governance?: string;
  progress?: string;
  account?: string;
  leverage?: string;
  governor: boolean;
  minScore?: string;
  maxCostR?: string;
}

export function register(program: Command): void {
  program
    .command('replay')
    .description('replay stored candles through the trading session (detector → policy → risk governor → simulated venue → journal), approving every signal')
    .requiredOption('--csv <file>', 'candle file (any format `ita import` reads)')
    .requiredOption('--setup <id|path>', 'setup id from the setups directory, or a YAML file')
    .option('--auto-approve', 'approve every signal (required: interactive approval happens in the bot)')
    .option('--symbol <symbol>', 'symbol the candles belong to', 'BTC/USDT')
    .option('--exchange <id>', 'exchange the candles come from', 'binance')
    .option('--tf <timeframe>', "the file's timeframe (inferred from the candles when omitted)")
    .option('--setups <dir>', 'setups directory', 'setups')
    .option('--db <file>', 'journal database (SQLite); the replay resumes from it when run again (default: replay.sqlite in the data directory, ITA_DATA_DIR)')
    .option('--equity <quote>', 'starting equity of the paper account, in the quote currency', '10000')
    .option('--fee <percent>', 'paper fee per fill, percent of notional', '0.1')
    .option('--from <time>', 'trade from this time (ISO date or epoch ms); earlier candles only warm up the detector')
    .option('--to <time>', 'stop before this time')
    .option('--governance <file>', 'risk limits file (default: governance.yaml at the project root)')
    .option('--account <type>', 'account type of the market: spot (long only) or perp (USDT-M perpetual); default exchange.account')
    .option('--leverage <n>', 'exchange leverage on a perp account (clamped to governance leverage_cap); default exchange.leverage')
    .option('--no-governor', 'research switch: do not apply the risk governor (as `ita backtest --no-governor`)')
    .option('--min-score <n>', 'signal policy: minimum score to enter (default signals.minScore)')
    .option('--max-cost-r <n>', 'signal policy: refuse signals whose stopped-out costs exceed this many R (default signals.maxCostR)')
    .option('--json', 'print the verdicts and trades as JSON')
    .option('--progress <n>', 'print "replay: done/total candles" to stderr every n committed candles')
    .addHelpText('after', [
      '',
      'Every governor verdict is printed with the equity, the risk % of the trade and the day\'s PnL; the trades follow.',
      'Killing the replay and running the same command again continues where it stopped and ends in the same journal.',
      '',
      'Example:',
      '  ita replay --csv data/samples/binance_ETHUSDT_1h_2023-04.csv --symbol ETH/USDT --setup ema_cross --auto-approve --db /tmp/r.sqlite',
    ].join('\n'))
    .action(async (opts: ReplayOpts) => {
      if (!opts.autoApprove) throw new InputError('--auto-approve is required: the replay approves every signal (approve by hand in the bot)', { field: 'auto-approve' });
      const equity = Number(opts.equity);
      if (!(equity > 0)) throw new InputError(`--equity must be a positive amount, got "${opts.equity}"`, { field: 'equity', value: opts.equity });
      const fee = Number(opts.fee);
      if (!(fee >= 0 && fee < 10)) throw new InputError(`--fee must be a percent between 0 and 10, got "${opts.fee}"`, { field: 'fee', value: opts.fee });
      const { readCandlesFromCsv } = await import('../../engine/market/csv/read-candles.ts');
      const { inferTimeframe, parseTimeframe } = await import('../../engine/market/timeframes.ts');
      const { loadSetupFile } = await import('../../engine/setups/index.ts');
      const { runReplay } = await import('../../engine/trading/replay.ts');
      const { tradingSettings } = await import('./backtest.ts');
      const { formatVerdictLine, formatTradeLine } = await import('../../engine/exec/reports/replay-lines.ts');

      const all = readCandlesFromCsv(opts.csv);
      if (all.length === 0) throw new InputError('the file holds no candles', { file: opts.csv });
      const tf = opts.tf ? parseTimeframe(opts.tf) : inferTimeframe(all);
      if (!tf) throw new InputError('cannot infer the timeframe from the candle spacing; pass --tf', { file: opts.csv });
      const file = /\.ya?ml$/.test(opts.setup) ? opts.setup : path.join(opts.setups, `${opts.setup}.yaml`);
      if (!existsSync(file)) throw new InputError(`no setup "${opts.setup}" (looked for ${file})`, { field: 'setup', value: opts.setup });
      const setup = loadSetupFile(file);
      if (setup.timeframe !== tf) {
        throw new InputError(`setup ${setup.id} runs on ${setup.timeframe} but ${opts.csv} holds ${tf} candles; pass a ${setup.timeframe} file`, { field: 'tf', value: tf });
      }
      const every = opts.progress === undefined ? 0 : Number(opts.progress);
      if (!(Number.isInteger(every) && every >= 0)) throw new InputError(`--progress must be a whole number of candles, got "${opts.progress}"`, { field: 'progress', value: opts.progress });
      const from = opts.from ? parseTime(opts.from, 'from') : undefined;
      const to = opts.to ? parseTime(opts.to, 'to') : undefined;
      const candles = to === undefined ? all : all.filter((c) => c.ts < to);

      const trading = await tradingSettings(opts);
      const result = await runReplay({
        dbFile: opts.db ?? (await defaultReplayDb()), market: { exchange: opts.exchange, symbol: opts.symbol, timeframe: tf }, candles, setups: [setup],
        ...trading, equity0: equity, feeRate: fee / 100, from,
        onProgress: every > 0 ? (done, total) => done % every === 0 && process.stderr.write(`replay: ${done}/${total} candles\n`) : undefined,
      });
      if (opts.json) {
        const { processed, resumedAfter, equity: finalEquity, assumptions, verdicts, trades } = result;
        process.stdout.write(JSON.stringify({ processed, resumedAfter, equity: finalEquity, assumptions, verdicts, trades }, null, 2) + '\n');
        return;
      }
      for (const v of result.verdicts) process.stdout.write(formatVerdictLine(v) + '\n');
      const closed = result.positions.filter((t) => t.status === 'closed');
      process.stdout.write(`\nTrades (${closed.length} closed, ${result.positions.filter((t) => t.status === 'open' || t.status === 'pending').length} open):\n`);
      for (const t of result.positions) process.stdout.write(formatTradeLine(t) + '\n');
      const accepted = result.verdicts.filter((v) => v.status === 'accepted').length;
      process.stdout.write(
        `\n${result.verdicts.length} verdict(s): ${accepted} accepted, ${result.verdicts.length - accepted} refused or failed; equity ${result.equity.toFixed(2)}` +
          `${result.resumedAfter ? `; resumed after ${result.resumedAfter} already processed candle(s)` : ''}; journal in ${opts.db ?? (await defaultReplayDb())}\n`,
      );
    });
}

/** Every runtime file lives under the data directory, the replay's journal included. */
async function defaultReplayDb(): Promise<string> {
  const { loadConfig } = await import('../../config.ts');
  return path.join(loadConfig().dataDir, 'replay.sqlite');
}
