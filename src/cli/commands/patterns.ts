/**
 * `ita patterns`: runs one ICT/SMC pattern detector over a candle CSV and prints its events. CAUSAL mode (the
 * default) is what the live detector sees: each event with the candle that confirmed it. REFERENCE mode
 * reproduces the smart-money-concepts library, look-ahead included, for comparison.
 */
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';

const GROUPS = ['fvg', 'swings', 'bos', 'ob', 'liquidity', 'sessions', 'prevhl', 'candles'] as const;
type Group = (typeof GROUPS)[number];

interface PatternsOptions {
  csv: string;
  kind: string;
  mode: string;
  swingLength: string;
  join?: boolean;
  period: string;
  session?: string;
  tolerance?: string;
  json?: boolean;
}

function positiveInteger(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--${field} must be a positive integer, got "${value}"`, { field, value });
  return n;
}

/** "0.1atr" (multiple of ATR 14) or "0.05%" (of price). */
function parseTolerance(value: string) {
  const atr = /^(\d*\.?\d+)atr$/i.exec(value);
  if (atr) return { mode: 'atr' as const, multiple: Number(atr[1]) };
  const percent = /^(\d*\.?\d+)%$/.exec(value);
  if (percent) return { mode: 'fraction' as const, value: Number(percent[1]) / 100 };
  throw new InputError(`--tolerance must look like 0.1atr or 0.05%, got "${value}"`, { field: 'tolerance', value });
}

export function register(program: Command): void {
  program
    .command('patterns')
    .description('detect ICT/SMC patterns (swings, BOS/CHoCH, FVG, order blocks, liquidity, sessions, previous high/low, candle patterns) in a candle CSV')
    .requiredOption('--csv <file>', 'candle CSV file')
    .requiredOption('--kind <kind>', `pattern family: ${GROUPS.join('|')}`)
    .option('--mode <mode>', 'causal (as the live detector sees it) | reference (smart-money-concepts batch parity, looks ahead)', 'causal')
    .option('--swing-length <n>', 'swing fractal length: candles each side (causal) / the library swing_length (reference)', '5')
    .option('--join', 'fvg: join consecutive same-direction gaps')
    .option('--period <tf>', 'prevhl: period whose previous high/low is tracked: 4h, 1d or 1w', '1d')
    .option('--session <name>', 'sessions: only this session (causal built-ins: Asia, London, New York, kill zones; reference: the library names)')
    .option('--tolerance <t>', 'liquidity (causal): equal-level tolerance, e.g. 0.1atr or 0.05%', '0.1atr')
    .option('--json', 'print JSON rows instead of text')
    .addHelpText(
      'after',
      '\nExamples:\n  ita patterns --csv data/samples/binance_BTCUSDT_1h.csv --kind bos\n' +
        '  ita patterns --csv data/samples/binance_BTCUSDT_15m.csv --kind fvg --mode reference --json\n' +
        '  ita patterns --csv data/samples/binance_BTCUSDT_15m.csv --kind sessions --session "London"',
    )
    .action(async (options: PatternsOptions) => {
      if (!(GROUPS as readonly string[]).includes(options.kind)) {
        throw new InputError(`--kind must be one of ${GROUPS.join(', ')}, got "${options.kind}"`, { field: 'kind', value: options.kind });
      }
      if (options.mode !== 'causal' && options.mode !== 'reference') {
        throw new InputError(`--mode must be causal or reference, got "${options.mode}"`, { field: 'mode', value: options.mode });
      }
      const group = options.kind as Group;
      const swingLength = positiveInteger(options.swingLength, 'swing-length');
      const { parseTimeframe } = await import('../../engine/market/timeframes.ts');
      const period = parseTimeframe(options.period);
      const tolerance = parseTolerance(options.tolerance ?? '0.1atr');
      const { readCandlesFromCsv } = await import('../../engine/market/csv/read-candles.ts');
      const report = await import('../../engine/patterns/report.ts');
      const { BUILT_IN_SESSIONS } = await import('../../engine/patterns/index.ts');
      const candles = readCandlesFromCsv(options.csv);
      let rows;
      if (options.mode === 'reference') {
        rows = report.referenceRows(candles, group, {
          swingLength,
          joinConsecutive: Boolean(options.join),
          period,
          session: options.session ?? 'London',
        });
        if (!rows) {
          throw new InputError(`--kind ${group} has no reference mode for these options (candles: none; prevhl: 4h, 1d, 1w; sessions: ${Object.keys((await import('../../engine/patterns/reference/index.ts')).REFERENCE_SESSIONS).join(', ')})`, { field: 'kind', value: group });
        }
      } else {
        const sessions = options.session ? BUILT_IN_SESSIONS.filter((s) => s.name === options.session) : BUILT_IN_SESSIONS;
        if (sessions.length === 0) {
          throw new InputError(`unknown session "${options.session}"; built-in: ${BUILT_IN_SESSIONS.map((s) => s.name).join(', ')}`, { field: 'session', value: options.session });
        }
        rows = report.causalRows(candles, group, {
          swings: { left: swingLength, right: swingLength },
          fvg: { joinConsecutive: Boolean(options.join) },
          previousHighLow: [period],
          sessions,
          liquidity: { tolerance },
        });
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 1)}\n`);
      } else {
        for (const row of rows) process.stdout.write(`${report.formatRow(row)}\n`);
        process.stdout.write(`${rows.length} ${group} rows (${options.mode}) over ${candles.length} candles\n`);
      }
    });
}
