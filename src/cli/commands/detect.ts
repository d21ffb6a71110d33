/**
 * `ita detect`: the signals the live detector would have pushed over a candle file, candle by candle. It applies the
 * signal policy's position-independent rules (side by account type, minimum score, stopped-out costs) exactly as the
 * trading session does, so what it lists is what would be pushed; `--all` adds the refused ones with rule and reason.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import type { AccountType, CostModel, Signal, Timeframe } from '../../engine/types.ts';
import type { JudgedSignal } from '../../engine/signals/policy.ts';
import { parseTime } from '../options.ts';

interface DetectOpts {
  csv: string;
  setup: string;
  setups: string;
  symbol: string;
  exchange: string;
  tf?: string;
  from?: string;
  to?: string;
  minScore?: string;
  account: string;
  fee: string;
  slippage: string;
  maxCostR: string;
  all?: boolean;
  json?: boolean;
  charts?: string;
}

export function register(program: Command): void {
  program
    .command('detect')
    .description('list the signals the live detector would have emitted over a candle CSV')
    .requiredOption('--csv <file>', 'candle file (any format `ita import` reads)')
    .requiredOption('--setup <id|path|all>', 'setup id from the setups directory, a YAML file, or "all"')
    .option('--setups <dir>', 'setups directory', 'setups')
    .option('--symbol <symbol>', 'symbol the candles belong to', 'BTC/USDT')
    .option('--exchange <id>', 'exchange the candles come from', 'binance')
    .option('--tf <timeframe>', "the file's timeframe (inferred from the candles when omitted)")
    .option('--from <time>', 'report signals from this time (ISO date or epoch ms); earlier candles only warm up')
    .option('--to <time>', 'stop at this time (exclusive)')
    .option('--min-score <n>', 'only signals scoring at least this (0-10)')
    .option('--account <type>', 'account type of the market: spot (longs only) or perp (both sides)', 'spot')
    .option('--fee <pct>', 'fee per side, percent of notional (maker and taker)', '0.1')
    .option('--slippage <pct>', 'adverse slippage of market and stop fills, percent', '0')
    .option('--max-cost-r <r>', 'refuse signals whose stopped-out fees and slippage exceed this many R (signals.maxCostR)', '0.25')
    .option('--all', 'also list the signals the policy refuses, with the rule and the reason')
    .option('--json', 'print JSON (one array of signals; with --all each has pushed, rule and reason)')
    .option('--charts <dir>', 'also write an annotated chart PNG per signal into this directory')
    .addHelpText('after', '\nExample:\n  ita detect --csv data/samples/binance_BTCUSDT_4h.csv --setup breakout_4h --from 2021-01-01 --min-score 7')
    .action(async (opts: DetectOpts) => {
      const { readCandlesFromCsv } = await import('../../engine/market/csv/read-candles.ts');
      const { inferTimeframe, parseTimeframe, timeframeMs } = await import('../../engine/market/timeframes.ts');
      const { resampleCandles } = await import('../../engine/market/resample.ts');
      const { loadSetupFile, loadSetupsDir } = await import('../../engine/setups/index.ts');
      const { detectSignals } = await import('../../engine/signals/detect.ts');
      const { judgeSignals } = await import('../../engine/signals/policy.ts');

      const candles = readCandlesFromCsv(opts.csv);
      if (candles.length === 0) throw new InputError('the file holds no candles', { file: opts.csv });
      const fileTf = opts.tf ? parseTimeframe(opts.tf) : inferTimeframe(candles);
      if (!fileTf) throw new InputError('cannot infer the timeframe from the candle spacing; pass --tf', { file: opts.csv });

      let setups;
      if (opts.setup === 'all') {
        const loaded = loadSetupsDir(opts.setups);
        for (const e of loaded.errors) process.stderr.write(`ita: skipped ${e.file}${e.line ? ':' + e.line : ''}: ${e.message}\n`);
        setups = loaded.setups.filter((s) => timeframeMs(s.timeframe) % timeframeMs(fileTf) === 0);
      } else {
        const file = /\.ya?ml$/.test(opts.setup) ? opts.setup : path.join(opts.setups, `${opts.setup}.yaml`);
        if (!existsSync(file)) throw new InputError(`no setup "${opts.setup}" (looked for ${file})`, { field: 'setup', value: opts.setup });
        setups = [loadSetupFile(file)];
      }
      if (setups.length === 0) throw new InputError(`no setup runs on ${fileTf} or a multiple of it`, { field: 'setup' });

      const from = opts.from ? parseTime(opts.from, 'from') : undefined;
      const to = opts.to ? parseTime(opts.to, 'to') : undefined;
      const minScore = opts.minScore === undefined ? -Infinity : Number(opts.minScore);
      if (Number.isNaN(minScore)) throw new InputError(`--min-score must be a number, got "${opts.minScore}"`, { field: 'min-score' });
      if (opts.account !== 'spot' && opts.account !== 'perp') {
        throw new InputError(`--account must be spot or perp, got "${opts.account}"`, { field: 'account', value: opts.account });
      }
      const account: AccountType = opts.account;
      const fee = percentOption(opts.fee, 'fee');
      const costs: CostModel = { makerFee: fee, takerFee: fee, slippage: percentOption(opts.slippage, 'slippage') };
      const maxCostR = Number(opts.maxCostR);
      if (!(maxCostR >= 0)) throw new InputError(`--max-cost-r must be a number of R, 0 or more, got "${opts.maxCostR}"`, { field: 'max-cost-r', value: opts.maxCostR });

      const detected: Signal[] = [];
      const byTimeframe = new Map<Timeframe, typeof setups>();
      for (const setup of setups) byTimeframe.set(setup.timeframe, [...(byTimeframe.get(setup.timeframe) ?? []), setup]);
      const series = new Map<Timeframe, typeof candles>();
      for (const [tf, group] of byTimeframe) {
        if (timeframeMs(tf) % timeframeMs(fileTf) !== 0) {
          throw new InputError(`setup ${group[0].id} runs on ${tf}, which cannot be built from ${fileTf} candles`, { field: 'tf' });
        }
        const tfCandles = tf === fileTf ? candles : resampleCandles(candles, fileTf, tf);
        series.set(tf, tfCandles);
        const market = { exchange: opts.exchange, symbol: opts.symbol, timeframe: tf };
        detected.push(...detectSignals(tfCandles, { market, setups: group, from, to, costs }));
      }
      detected.sort((a, b) => a.ts - b.ts || a.rank - b.rank);
      const judged = judgeSignals(detected, { minScore, maxCostR, account });
      const signals: JudgedSignal[] = opts.all ? judged : judged.filter((s) => s.pushed);

      if (opts.charts) {
        const { writeSignalCharts } = await import('../../engine/signals/chart-files.ts');
        await writeSignalCharts(signals, series, opts.charts, setups);
      }
      if (opts.json) {
        const out = opts.all ? signals : signals.map(({ pushed: _pushed, ...signal }) => signal);
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      for (const s of signals) process.stdout.write(formatSignalLine(s) + (s.pushed ? '' : `  [not pushed: ${s.rule}: ${s.reason}]`) + '\n');
      const pushed = judged.filter((s) => s.pushed).length;
      const assumptions = `${account}, fees ${opts.fee} %/side, slippage ${opts.slippage} %, max cost ${maxCostR} R`;
      process.stdout.write(`${pushed} signal(s) would be pushed, ${judged.length - pushed} refused by the policy (${assumptions})${opts.charts ? `; charts in ${opts.charts}` : ''}\n`);
    });
}

function formatSignalLine(s: Signal): string {
  const when = new Date(s.ts).toISOString().replace(':00.000Z', 'Z');
  const targets = s.targets.map((t) => `${round(t.price)} (${t.r.toFixed(1)}R)`).join(', ');
  const net = s.costs ? `  net R:R ${s.costs.netRR.toFixed(2)}, stop costs ${s.costs.stopCostR.toFixed(2)}R` : '';
  return `${when} ${s.setupId.padEnd(16)} ${s.side.padEnd(5)} score ${s.score.toFixed(1).padStart(4)}  entry ${round(s.entry)} stop ${round(s.stop)} targets ${targets}${net}`;
}

/** A percent option (`0.1` = 0.1 %) as a fraction of notional. */
function percentOption(raw: string, field: string): number {
  const pct = Number(raw);
  if (!(pct >= 0 && pct < 100)) throw new InputError(`--${field} must be a percent from 0 to 100 (0.1 = 0.1 %), got "${raw}"`, { field, value: raw });
  return pct / 100;
}

function round(x: number): string {
  return Number(x.toPrecision(7)).toString();
}
