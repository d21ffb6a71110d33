/**
 * `ita indicators`: computes indicators over a candle CSV and prints one row per candle (csv or json), for
 * checking values against a charting platform or feeding a spreadsheet.
 */
import type { Command } from 'commander';
import type { Candle } from '../../engine/types.ts';
import { InputError } from '../../engine/errors.ts';
import { ALLOWED_FORMS, parseIndicatorSpec } from '../../engine/indicators/spec.ts';
import { computeIndicator } from '../../engine/indicators/batch.ts';
import { toSeries } from '../../engine/indicators/types.ts';

export type TableFormat = 'csv' | 'json';

interface IndicatorsOpts {
  csv: string;
  ind: string;
  format: string;
  last?: string;
}

/** Column names and aligned columns: `ts` first, then one column per indicator output. */
export interface IndicatorTable {
  header: string[];
  ts: Float64Array;
  columns: Float64Array[];
}

/** Core of the command: parses the comma-separated specs and computes every output over the candles. */
export function buildIndicatorTable(candles: readonly Candle[], specList: string): IndicatorTable {
  const texts = specList
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (texts.length === 0) throw new InputError('--ind needs at least one indicator spec, e.g. rsi:14,ema:21', { field: 'ind' });
  const series = toSeries(candles);
  const header = ['ts'];
  const columns: Float64Array[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    const spec = parseIndicatorSpec(text);
    if (seen.has(spec.text)) continue;
    seen.add(spec.text);
    for (const [name, values] of Object.entries(computeIndicator(spec, series))) {
      header.push(name);
      columns.push(values);
    }
  }
  return { header, ts: series.ts, columns };
}

/** Writes rows `from`..end in csv (empty cell = no value) or json (array of objects, null = no value). */
export function writeIndicatorTable(
  table: IndicatorTable,
  format: TableFormat,
  write: (chunk: string) => void,
  from = 0,
): void {
  const { header, ts, columns } = table;
  const n = ts.length;
  const cell = (x: number) => (Number.isNaN(x) ? '' : String(x));
  const json = (x: number) => (Number.isNaN(x) ? 'null' : String(x));
  const keys = header.map((h) => JSON.stringify(h));
  let buffer = format === 'csv' ? header.join(',') + '\n' : '[\n';
  for (let i = from; i < n; i++) {
    if (format === 'csv') {
      let line = String(ts[i]);
      for (const column of columns) line += ',' + cell(column[i]);
      buffer += line + '\n';
    } else {
      let line = `{${keys[0]}:${ts[i]}`;
      for (let j = 0; j < columns.length; j++) line += `,${keys[j + 1]}:${json(columns[j][i])}`;
      buffer += line + (i < n - 1 ? '},\n' : '}\n');
    }
    // Flush in chunks so a million-row file never becomes one giant string.
    if (buffer.length > 1 << 20) {
      write(buffer);
      buffer = '';
    }
  }
  if (format === 'json') buffer += ']\n';
  write(buffer);
}

export function register(program: Command): void {
  program
    .command('indicators')
    .description('compute indicators over a candle CSV and print one row per candle')
    .requiredOption('--csv <file>', 'candle CSV (ts,open,high,low,close,volume; ts = epoch ms UTC of the candle open)')
    .requiredOption('--ind <specs>', 'comma-separated indicator specs, e.g. rsi:14,ema:21,macd:12:26:9')
    .option('--format <format>', 'output format: csv or json', 'csv')
    .option('--last <n>', 'print only the last N rows (indicators are still computed over the whole file)')
    .addHelpText(
      'after',
      `
Indicator specs: ${ALLOWED_FORMS.join(', ')}
  Multi-output indicators print one column per output, named <spec>.<output>:
  macd → .macd .signal .hist, bb and donchian → .upper .middle .lower, stoch and stochf → .k .d,
  adx → .adx .pdi .mdi. Before an indicator's warm-up the cell is empty (csv) or null (json).
  Values match TA-Lib (same seeding); hv is annualized with PERIODS_PER_YEAR (365 = daily crypto).

Examples:
  ita indicators --csv data/samples/binance_BTCUSDT_1d.csv --ind rsi:14,ema:21,atr:14
  ita indicators --csv data/samples/binance_BTCUSDT_1h.csv --ind macd:12:26:9,bb:20:2,adx:14 --last 24
  ita indicators --csv btc.csv --ind stoch:14:3:3,vwap:week,quantile:100:0.8:atr:14 --format json`,
    )
    .action(async (opts: IndicatorsOpts) => {
      if (opts.format !== 'csv' && opts.format !== 'json') {
        throw new InputError(`--format must be csv or json, got "${opts.format}"`, { field: 'format', value: opts.format });
      }
      let last: number | undefined;
      if (opts.last !== undefined) {
        last = Number(opts.last);
        if (!/^\d+$/.test(opts.last) || last < 1) {
          throw new InputError(`--last must be a whole number ≥ 1, got "${opts.last}"`, { field: 'last', value: opts.last });
        }
      }
      const { readCandlesFromCsv } = await import('../../engine/market/csv/read-candles.ts');
      const candles = readCandlesFromCsv(opts.csv);
      const table = buildIndicatorTable(candles, opts.ind);
      const from = last === undefined ? 0 : Math.max(0, candles.length - last);
      // `ita indicators ... | head` closes the pipe early; that is the reader's choice, not an error.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      writeIndicatorTable(table, opts.format, (chunk) => process.stdout.write(chunk), from);
    });
}
