/**
 * `ita eval regime [--csv FILE]...`: the regime classifier against forward-looking reference labels. Without --csv it
 * runs on the shared Binance data (BTC and ETH, 15m / 1h / 4h).
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';

const SHARED_DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');
export const DEFAULT_REGIME_FILES = ['binance_BTCUSDT_1h.csv', 'binance_ETHUSDT_1h.csv', 'binance_BTCUSDT_4h.csv', 'binance_BTCUSDT_15m.csv', 'binance_ETHUSDT_15m.csv'];

export function registerEvalRegime(evalCommand: Command): void {
  evalCommand
    .command('regime')
    .description('market regime classifier vs forward-looking reference labels: accuracy, F1 per label, false-switch rate')
    .option('--csv <file...>', 'candle file(s); default: the shared Binance BTC/ETH 15m, 1h and 4h files')
    .option('--json', 'print the reports as JSON')
    .addHelpText('after', '\nExamples:\n  ita eval regime\n  ita eval regime --csv ../shared/data/binance_BTCUSDT_1h.csv --json')
    .action(async (opts: { csv?: string[] }, command: Command) => {
      const json = Boolean(command.optsWithGlobals().json);
      const { readCandlesFromCsv } = await import('../../engine/market/csv/read-candles.ts');
      const { evaluateRegimes } = await import('../../engine/regime/evaluate.ts');
      const { formatRegimeReport } = await import('../../engine/regime/format.ts');
      const files = opts.csv ?? DEFAULT_REGIME_FILES.map((f) => path.join(SHARED_DATA, f));
      const reports = files.map((file) => {
        if (!existsSync(file)) throw new InputError(`no candle file at ${file}`, { file });
        const candles = readCandlesFromCsv(file);
        if (candles.length === 0) throw new InputError('the file holds no candles', { file });
        return evaluateRegimes(candles, { source: path.basename(file) });
      });
      process.stdout.write(json ? JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + '\n' : formatRegimeReport(reports));
    });
}
