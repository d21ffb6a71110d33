/**
 * `ita eval ml --setup ID --csv FILE [--tf TF] [--json]`: trains and validates the success model (meta-labelling) on
 * the setup's own signals over a candle file, out of sample only.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';

interface MlOpts {
  setup: string;
  csv: string;
  tf?: string;
  setups: string;
  symbol: string;
  exchange: string;
  horizon?: string;
  folds: string;
  embargo: string;
  seed: string;
}

export function registerEvalMl(evalCommand: Command): void {
  evalCommand
    .command('ml')
    .description('probability that a signal works: purged walk-forward validation of the success model (AUC with 95 % CI, Brier, calibration)')
    .requiredOption('--setup <id|path>', 'setup id from the setups directory, or a YAML file')
    .requiredOption('--csv <file>', 'candle file')
    .option('--tf <timeframe>', "the file's timeframe (inferred when omitted)")
    .option('--setups <dir>', 'setups directory', 'setups')
    .option('--symbol <symbol>', 'symbol of the candles', 'BTC/USDT')
    .option('--exchange <id>', 'exchange of the candles', 'binance')
    .option('--horizon <bars>', "time barrier in candles (default: the setup's time_stop_bars, else 48)")
    .option('--folds <n>', 'walk-forward test folds', '5')
    .option('--embargo <bars>', 'embargo in candles beyond the purge', '0')
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--json', 'print JSON: auc, aucCi, brier, n and the rest of the report')
    .addHelpText('after', '\nExample:\n  ita eval ml --setup ema_cross --csv ../shared/data/binance_BTCUSDT_1h.csv --json')
    .action(async (opts: MlOpts, command: Command) => {
      const json = Boolean(command.optsWithGlobals().json);
      const { readCandlesFromCsv } = await import('../../engine/market/csv/read-candles.ts');
      const { inferTimeframe, parseTimeframe } = await import('../../engine/market/timeframes.ts');
      const { loadSetupFile } = await import('../../engine/setups/index.ts');
      const { evaluateSetupOnCandles } = await import('../../engine/learning/evaluate-setup.ts');
      const { formatMlReport } = await import('../../engine/learning/format.ts');
      if (!existsSync(opts.csv)) throw new InputError(`no candle file at ${opts.csv}`, { file: opts.csv });
      const candles = readCandlesFromCsv(opts.csv);
      if (candles.length === 0) throw new InputError('the file holds no candles', { file: opts.csv });
      const timeframe = opts.tf ? parseTimeframe(opts.tf) : inferTimeframe(candles);
      if (!timeframe) throw new InputError('cannot infer the timeframe from the candle spacing; pass --tf', { file: opts.csv });
      const file = /\.ya?ml$/.test(opts.setup) ? opts.setup : path.join(opts.setups, `${opts.setup}.yaml`);
      if (!existsSync(file)) throw new InputError(`no setup "${opts.setup}" (looked for ${file})`, { field: 'setup', value: opts.setup });
      const setup = loadSetupFile(file);
      const folds = positiveInt(opts.folds, 'folds');
      const embargoBars = nonNegativeInt(opts.embargo, 'embargo');
      const result = evaluateSetupOnCandles({
        candles,
        timeframe,
        setup,
        exchange: opts.exchange,
        symbol: opts.symbol,
        horizonBars: opts.horizon === undefined ? undefined : positiveInt(opts.horizon, 'horizon'),
        model: { cv: { folds }, embargoBars, bootstrap: { seed: nonNegativeInt(opts.seed, 'seed') } },
      });
      if (json) {
        const { model: _model, schema: _schema, ...report } = result.report;
        process.stdout.write(JSON.stringify({ ...report, source: opts.csv, signals: result.signals.length, droppedByRegime: result.droppedByRegime }, null, 2) + '\n');
        return;
      }
      process.stdout.write(formatMlReport(result, path.basename(opts.csv)));
    });
}

function positiveInt(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--${field} must be a whole number ≥ 1, got "${value}"`, { field, value });
  return n;
}

function nonNegativeInt(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`--${field} must be a whole number ≥ 0, got "${value}"`, { field, value });
  return n;
}
