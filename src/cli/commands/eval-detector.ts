/**
 * `ita eval detector --labels FILE --csv CANDLES [--charts DIR]`: precision and recall of the detector against the
 * trader's labelled examples, per setup, listing every miss and false alarm (with its chart when --charts is given).
 * `--labels db` uses the labels stored with `ita label` / the chat.
 */
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import type { Signal } from '../../engine/types.ts';
import { databaseTarget } from '../../engine/store/target.ts';
import type { LearningDatabase } from '../../engine/learning/store/schema.ts';

interface DetectorOpts {
  labels: string;
  csv: string;
  tf?: string;
  setups: string;
  symbol?: string;
  exchange: string;
  tolerance: string;
  charts?: string;
  db?: string;
}

export function registerEvalDetector(evalCommand: Command): void {
  evalCommand
    .command('detector')
    .description("the detector vs the trader's labelled examples: precision, recall, every miss and false alarm")
    .requiredOption('--labels <file|db>', 'CSV of label lines (setup,symbol,timeframe,YYYY-MM-DD HH:MM,side), or "db" for the stored labels')
    .requiredOption('--csv <file>', 'candles of the labelled market')
    .option('--tf <timeframe>', "the candle file's timeframe (inferred when omitted)")
    .option('--setups <dir>', 'setups directory', 'setups')
    .option('--symbol <symbol>', 'symbol of the candles (default: the labels\' symbol when they name one)')
    .option('--exchange <id>', 'exchange of the candles', 'binance')
    .option('--tolerance <bars>', 'a label matches a signal this many candles either side', '2')
    .option('--charts <dir>', 'write a chart PNG of every miss and false alarm into this directory')
    .option('--db <file>', 'SQLite database file for --labels db (default: dbFile from the configuration)')
    .option('--json', 'print the reports as JSON')
    .addHelpText('after', '\nExample:\n  ita eval detector --labels my-labels.csv --csv ../shared/data/binance_BTCUSDT_15m.csv --charts out/labels')
    .action(async (opts: DetectorOpts, command: Command) => {
      const json = Boolean(command.optsWithGlobals().json);
      const tolerance = Number(opts.tolerance);
      if (!Number.isInteger(tolerance) || tolerance < 0) throw new InputError(`--tolerance must be a whole number of candles ≥ 0, got "${opts.tolerance}"`, { field: 'tolerance' });
      const { parseLabelCsv } = await import('../../engine/learning/labels/parse.ts');
      const { scoreDetector } = await import('../../engine/learning/labels/evaluate.ts');
      const { readCandlesFromCsv } = await import('../../engine/market/csv/read-candles.ts');
      const { inferTimeframe, parseTimeframe, timeframeMs } = await import('../../engine/market/timeframes.ts');
      const { resampleCandles } = await import('../../engine/market/resample.ts');
      const { loadSetupFile } = await import('../../engine/setups/index.ts');
      const { detectSignalsWithRegimes } = await import('../../engine/regime/detect.ts');

      let labels;
      if (opts.labels === 'db') {
        const { loadConfig } = await import('../../config.ts');
        const { openDatabase } = await import('../../engine/store/database.ts');
        const { learningMigrations, LEARNING_MIGRATION_TABLE } = await import('../../engine/learning/store/migrations.ts');
        const { listLabels } = await import('../../engine/learning/labels/store.ts');
        const store = await openDatabase<LearningDatabase>(opts.db ?? databaseTarget(loadConfig()), { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations } });
        labels = await listLabels(store.db);
        await store.close();
      } else {
        if (!existsSync(opts.labels)) throw new InputError(`no label file at ${opts.labels}`, { file: opts.labels });
        const parsed = parseLabelCsv(readFileSync(opts.labels, 'utf8'));
        for (const e of parsed.errors) process.stderr.write(`ita: ${opts.labels}:${e.line}: ${e.message} (line skipped)\n`);
        labels = parsed.labels;
      }
      const symbols = [...new Set(labels.map((l) => l.symbol))];
      const symbol = opts.symbol ?? (symbols.length === 1 ? symbols[0] : undefined);
      if (!symbol) throw new InputError(`the labels name several symbols (${symbols.join(', ')}); pass --symbol for the candle file`, { field: 'symbol' });
      labels = labels.filter((l) => l.symbol === symbol);
      if (labels.length === 0) throw new InputError(`no labels for ${symbol}`, { field: 'labels' });

      const candles = readCandlesFromCsv(opts.csv);
      if (candles.length === 0) throw new InputError('the candle file holds no candles', { file: opts.csv });
      const fileTf = opts.tf ? parseTimeframe(opts.tf) : inferTimeframe(candles);
      if (!fileTf) throw new InputError('cannot infer the timeframe from the candle spacing; pass --tf', { file: opts.csv });

      const signals: Signal[] = [];
      const setups = new Map<string, ReturnType<typeof loadSetupFile>>();
      const series = new Map<string, typeof candles>();
      for (const setupId of new Set(labels.map((l) => l.setupId))) {
        const file = path.join(opts.setups, `${setupId}.yaml`);
        if (!existsSync(file)) throw new InputError(`labels name setup "${setupId}", but there is no ${file}`, { field: 'setup', value: setupId });
        const setup = loadSetupFile(file);
        setups.set(setupId, setup);
        const wrongTf = labels.filter((l) => l.setupId === setupId && l.timeframe !== setup.timeframe);
        if (wrongTf.length > 0) process.stderr.write(`ita: ${wrongTf.length} label(s) of ${setupId} are on ${wrongTf[0].timeframe}, the setup runs on ${setup.timeframe}: they can only count as misses\n`);
        if (timeframeMs(setup.timeframe) % timeframeMs(fileTf) !== 0) throw new InputError(`setup ${setupId} runs on ${setup.timeframe}, which cannot be built from ${fileTf} candles`, { field: 'tf' });
        const tfCandles = setup.timeframe === fileTf ? candles : resampleCandles(candles, fileTf, setup.timeframe);
        series.set(setupId, tfCandles);
        signals.push(...detectSignalsWithRegimes(tfCandles, { market: { exchange: opts.exchange, symbol, timeframe: setup.timeframe }, setups: [setup] }).signals);
      }
      const reports = scoreDetector(labels, signals, tolerance);
      const charts: string[] = [];
      if (opts.charts) {
        const { writeDetectorCharts } = await import('../../engine/learning/labels/charts.ts');
        for (const report of reports) charts.push(...(await writeDetectorCharts(report, series.get(report.setupId) ?? [], opts.charts, setups.get(report.setupId))));
      }
      if (json) {
        process.stdout.write(JSON.stringify(reports.map((r) => ({ ...r, matches: r.matches.map((m) => ({ label: m.label, signalId: m.signal.id, offsetBars: m.offsetBars })), falseAlarms: r.falseAlarms.map((s) => ({ id: s.id, ts: s.ts, side: s.side })) })), null, 2) + '\n');
        return;
      }
      const when = (ts: number) => new Date(ts).toISOString().slice(0, 16).replace('T', ' ');
      for (const r of reports) {
        process.stdout.write(`${r.setupId} ${r.symbol} ${r.timeframe}: precision ${pct(r.precision)} (${r.matched} of ${r.judgedSignals} signals in the labelled span), recall ${pct(r.recall)} (${r.matched} of ${r.labels} labels); match = same side within ${r.toleranceBars} candles\n`);
        for (const m of r.misses) process.stdout.write(`  miss         ${when(m.ts)} ${m.side}: the detector did not fire\n`);
        for (const s of r.falseAlarms) process.stdout.write(`  false alarm  ${when(s.ts)} ${s.side}: signal without a label (score ${s.score.toFixed(1)})\n`);
      }
      if (opts.charts) process.stdout.write(`${charts.length} chart(s) in ${opts.charts}\n`);
    });
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : 'n/a';
}
