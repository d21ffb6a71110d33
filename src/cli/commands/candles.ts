/**
 * `ita candles`: what is in the candle store. Without a market: every stored market with count, first, last.
 * With one: prints candles (csv|json), checks data quality (--check) or resamples (--resample).
 */
import type { Command } from 'commander';
import type { Candle, MarketKey, Timeframe } from '../../engine/types.ts';
import { InputError } from '../../engine/errors.ts';
import { databaseTarget } from '../../engine/store/target.ts';

interface CandlesOpts {
  exchange?: string;
  symbol?: string;
  tf?: string;
  db?: string;
  from?: string;
  to?: string;
  limit?: string;
  format: string;
  check: boolean;
  resample?: string;
  includePartial: boolean;
  delete: boolean;
}

export function register(program: Command): void {
  program
    .command('candles')
    .description('list stored markets, or print / check / resample the candles of one market')
    .option('--exchange <id>', 'exchange id (default: the configured exchange, binance)')
    .option('--symbol <symbol>', 'market symbol, e.g. BTC/USDT (with --tf selects one market)')
    .option('--tf <timeframe>', 'timeframe of the stored candles, e.g. 1h')
    .option('--db <file>', 'SQLite database file (default: dbFile from the configuration, data/ita.sqlite)')
    .option('--from <time>', 'first candle, ISO-8601 (UTC unless a zone is given) or epoch ms')
    .option('--to <time>', 'last candle (inclusive), ISO-8601 or epoch ms')
    .option('--limit <n>', 'at most N candles: the first N from --from, else the latest N')
    .option('--format <format>', 'output format: csv or json', 'csv')
    .option('--check', 'report gaps, duplicates and whether the feed is stale', false)
    .option('--resample <timeframe>', 'print candles aggregated to this higher timeframe')
    .option('--include-partial', 'with --resample: also print the last, unfinished candle', false)
    .option('--delete', 'delete every stored candle of the selected market', false)
    .addHelpText(
      'after',
      `
Examples:
  ita candles                                    list markets with count, first and last candle
  ita candles --symbol BTC/USDT --tf 1h --limit 24
  ita candles --symbol BTC/USDT --tf 1h --from 2024-07-10 --to 2024-07-11 --format json
  ita candles --symbol BTC/USDT --tf 1h --check
  ita candles --symbol BTC/USDT --tf 1h --resample 4h --from 2024-07-01`,
    )
    .action(async (opts: CandlesOpts) => {
      const { loadConfig } = await import('../../config.ts');
      const { openDatabase } = await import('../../engine/store/database.ts');
      const { parseTimeframe } = await import('../../engine/market/timeframes.ts');
      if (opts.format !== 'csv' && opts.format !== 'json') {
        throw new InputError(`--format must be csv or json, got "${opts.format}"`, { field: 'format', value: opts.format });
      }
      if ((opts.symbol === undefined) !== (opts.tf === undefined)) {
        throw new InputError('give both --symbol and --tf to select a market (or neither to list markets)', { field: 'symbol' });
      }
      const config = opts.db && opts.exchange ? undefined : loadConfig();
      const store = await openDatabase(opts.db ?? databaseTarget(config!));
      try {
        if (opts.symbol === undefined) return await printMarkets(store.db);
        const market: MarketKey = { exchange: opts.exchange ?? config!.exchange.id, symbol: opts.symbol, timeframe: parseTimeframe(opts.tf!) };
        if (opts.delete) {
          const { deleteMarket } = await import('../../engine/store/candles.ts');
          const deleted = await deleteMarket(store.db, market);
          process.stdout.write(`deleted ${deleted.toLocaleString('en-US')} candles of ${market.exchange} ${market.symbol} ${market.timeframe}\n`);
          return;
        }
        if (opts.resample) return printCandles(await loadResampled(store.db, market, parseTimeframe(opts.resample), opts), opts.format);
        const candles = await loadCandles(store.db, market, opts, parseLimit(opts.limit));
        if (opts.check) return printCheck(market, candles);
        printCandles(candles, opts.format);
      } finally {
        await store.close();
      }
    });
}

type Db = import('../../engine/store/database.ts').OpenedDatabase['db'];

const LISTED_GAPS = 20;

const iso = (ts: number) => new Date(ts).toISOString().replace('.000Z', 'Z');

function parseTime(text: string, option: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !text.includes('T') ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) throw new InputError(`${option} must be ISO-8601 or epoch ms, got "${text}"`, { field: option, value: text });
  return ms;
}

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit <= 0) throw new InputError(`--limit must be a positive whole number, got "${text}"`, { field: 'limit', value: text });
  return limit;
}

/** --limit counts higher candles: fetch enough lower ones ((N + 1) bins' worth covers a partial first bin). */
async function loadResampled(db: Db, market: MarketKey, to: Timeframe, opts: CandlesOpts): Promise<Candle[]> {
  const { resampleCandles } = await import('../../engine/market/resample.ts');
  const { timeframeMs } = await import('../../engine/market/timeframes.ts');
  const limit = parseLimit(opts.limit);
  const perBin = Math.max(1, timeframeMs(to) / timeframeMs(market.timeframe));
  const lower = await loadCandles(db, market, opts, limit === undefined ? undefined : (limit + 1) * perBin);
  const higher = resampleCandles(lower, market.timeframe, to, { includePartial: opts.includePartial });
  if (limit === undefined) return higher;
  return opts.from === undefined && opts.to === undefined ? higher.slice(-limit) : higher.slice(0, limit);
}

async function loadCandles(db: Db, market: MarketKey, opts: CandlesOpts, limit: number | undefined): Promise<Candle[]> {
  const { getCandles, getLatestCandles } = await import('../../engine/store/candles.ts');
  const from = opts.from === undefined ? undefined : parseTime(opts.from, '--from');
  const to = opts.to === undefined ? undefined : parseTime(opts.to, '--to');
  const candles =
    limit !== undefined && from === undefined && to === undefined
      ? await getLatestCandles(db, market, limit)
      : await getCandles(db, market, { from, to, limit });
  if (candles.length === 0) {
    throw new InputError(`no ${market.timeframe} candles for ${market.exchange} ${market.symbol} in that range (see \`ita candles\` for what is stored)`, {
      field: 'symbol',
      value: market.symbol,
    });
  }
  return candles;
}

async function printMarkets(db: Db): Promise<void> {
  const { listMarkets } = await import('../../engine/store/candles.ts');
  const markets = await listMarkets(db);
  if (markets.length === 0) {
    process.stdout.write('no candles stored yet; import some with `ita import <file.csv> --symbol BTC/USDT --tf 1h`\n');
    return;
  }
  const rows = markets.map((m) => [m.exchange, m.symbol, m.timeframe, m.count.toLocaleString('en-US'), iso(m.firstTs), iso(m.lastTs)]);
  const header = ['exchange', 'symbol', 'tf', 'candles', 'first', 'last'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  process.stdout.write([line(header), ...rows.map(line)].join('\n') + '\n');
}

function printCandles(candles: Candle[], format: string): void {
  if (format === 'json') {
    process.stdout.write(JSON.stringify(candles) + '\n');
    return;
  }
  // Same canonical CSV `ita import` reads, so output can be re-imported. Summed volumes carry float noise
  // (113900.82681000001); 15 significant digits print what the exchange would.
  const lines = candles.map((c) => `${c.ts},${c.open},${c.high},${c.low},${c.close},${Number(c.volume.toPrecision(15))}`);
  process.stdout.write(['ts,open,high,low,close,volume', ...lines].join('\n') + '\n');
}

async function printCheck(market: MarketKey, candles: Candle[]): Promise<void> {
  const { countMissing, feedStatus, findDuplicates, findGaps } = await import('../../engine/market/quality.ts');
  const gaps = findGaps(candles, market.timeframe);
  const duplicates = findDuplicates(candles);
  const status = feedStatus(candles[candles.length - 1].ts, market.timeframe, Date.now());
  const out = [
    `${market.exchange} ${market.symbol} ${market.timeframe}: ${candles.length.toLocaleString('en-US')} candles, ${iso(candles[0].ts)} … ${iso(candles[candles.length - 1].ts)}`,
    `  gaps:       ${gaps.length === 0 ? 'none' : `${gaps.length} (${countMissing(gaps).toLocaleString('en-US')} candles missing)`}`,
    ...gaps.slice(0, LISTED_GAPS).map((g) => `              ${iso(g.firstMissingTs)} … ${iso(g.lastMissingTs)}  ${g.missing} missing`),
    ...(gaps.length > LISTED_GAPS ? [`              … and ${gaps.length - LISTED_GAPS} more`] : []),
    `  duplicates: ${duplicates.length === 0 ? 'none' : duplicates.map((d) => iso(d.ts)).join(', ')}`,
    status.stale
      ? `  feed:       STALE — last candle closed ${formatAge(status.ageMs ?? 0)} ago; ${status.behind.toLocaleString('en-US')} closed candles missing up to ${iso(status.expectedTs)}`
      : `  feed:       fresh — last candle closed ${formatAge(status.ageMs ?? 0)} ago`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}

function formatAge(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 72 ? `${hours} h` : `${Math.round(hours / 24)} d`;
}
