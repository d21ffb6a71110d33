/**
 * `ita import <file.csv>`: validates a candle CSV (any supported format) and writes it to the candle store
 * in one transaction. A file with any bad row is refused whole, with line numbers.
 */
import type { Command } from 'commander';
import { databaseTarget, redactUrl } from '../../engine/store/target.ts';

interface ImportOpts {
  exchange?: string;
  symbol: string;
  tf: string;
  db?: string;
  dryRun: boolean;
}

export function register(program: Command): void {
  program
    .command('import')
    .description('import candles from a CSV file into the candle store (format detected; every row validated)')
    .argument('<file>', 'CSV file: canonical ts,open,high,low,close,volume; Binance kline; TradingView export; MetaTrader 5 export')
    .requiredOption('--symbol <symbol>', 'market symbol, e.g. BTC/USDT')
    .requiredOption('--tf <timeframe>', 'timeframe of the candles, e.g. 1h (every ts must be aligned to it)')
    .option('--exchange <id>', 'exchange id stored with the candles (default: the configured exchange, binance)')
    .option('--db <file>', 'SQLite database file (default: dbFile from the configuration, data/ita.sqlite)')
    .option('--dry-run', 'validate and report, write nothing', false)
    .addHelpText(
      'after',
      `
Timestamps without a zone (MetaTrader dates, naive ISO) are taken as UTC.
MetaTrader volume: the Volume/<VOL> column when any row is non-zero, else tick volume.
Gaps are reported, not refused. Importing the same file twice leaves one copy; changed candles are updated.

Examples:
  ita import data/samples/binance_BTCUSDT_1h.csv --symbol BTC/USDT --tf 1h
  ita import EURUSD_M15.csv --exchange mt5 --symbol EURUSD --tf 15m --dry-run`,
    )
    .action(async (file: string, opts: ImportOpts) => {
      const { parseTimeframe } = await import('../../engine/market/timeframes.ts');
      const { importCandleCsv } = await import('../../engine/market/csv/import-csv.ts');
      const timeframe = parseTimeframe(opts.tf);
      const config = opts.db && opts.exchange ? undefined : (await import('../../config.ts')).loadConfig();
      const market = { exchange: opts.exchange ?? config!.exchange.id, symbol: opts.symbol, timeframe };
      const dbFile = opts.db ?? databaseTarget(config!);

      if (opts.dryRun) {
        process.stdout.write(formatSummary(await importCandleCsv(undefined, file, market, { dryRun: true }), dbFile));
        return;
      }
      const { openDatabase } = await import('../../engine/store/database.ts');
      const store = await openDatabase(dbFile);
      try {
        process.stdout.write(formatSummary(await importCandleCsv(store, file, market), dbFile));
      } finally {
        await store.close();
      }
    });
}

type Summary = import('../../engine/market/csv/import-csv.ts').ImportSummary;

const iso = (ts: number) => new Date(ts).toISOString().replace('.000Z', 'Z');
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function formatSummary(s: Summary, dbFile: string): string {
  const { market } = s;
  const out = [
    `${s.written ? 'imported' : 'dry run (nothing written)'}: ${s.file} → ${market.exchange} ${market.symbol} ${market.timeframe}`,
    `  format:   ${s.format}`,
  ];
  if (s.volumeNote) out.push(`  volume:   ${s.volumeNote}`);
  out.push(`  rows:     ${int(s.rows)}`, `  first:    ${iso(s.firstTs)}`, `  last:     ${iso(s.lastTs)}`);
  if (s.gaps.length === 0) {
    out.push('  gaps:     none');
  } else {
    out.push(`  gaps:     ${s.gaps.length} (${int(s.missingCandles)} candles missing), largest:`);
    const largest = [...s.gaps].sort((a, b) => b.missing - a.missing).slice(0, 5);
    for (const g of largest) out.push(`            ${iso(g.firstMissingTs)} … ${iso(g.lastMissingTs)} (${int(g.missing)} missing)`);
  }
  if (s.written) {
    const w = s.written;
    out.push(`  written:  ${int(w.inserted)} inserted, ${int(w.updated)} updated, ${int(w.unchanged)} unchanged → ${redactUrl(dbFile)}`);
  }
  out.push(`  time:     ${(s.elapsedMs / 1000).toFixed(2)} s (${int(s.rowsPerSecond)} rows/s)`);
  return out.join('\n') + '\n';
}
