/**
 * `ita backtest` end to end, as a trader runs it: a separate `node bin/ita.js backtest` process per run (start-up,
 * loading the CSV, detection, the session, statistics and the printed report all inside the timed span) over the long
 * 1m file of long-candles.ts, for sma_cross re-timed to 1m (single indicator) and a pattern setup re-timed to 1m.
 * Peak memory is the child's own maximum RSS (reported by a preloaded exit hook), divided by the candle count.
 * The lower bound is the hand-written crossover loop over the same file's arrays, timed in this process in the same run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchLine } from './timing.ts';
import { median } from './timing.ts';
import { spread } from './compare.ts';
import { smaCrossFloor } from './crossover-floor.ts';
import { writeLongCandles } from './long-candles.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORK = path.join(tmpdir(), 'ita-bench-backtest');

/** The shipped setup with only its timeframe changed, in a directory of its own (the loader wants id = file name). */
function retimed(id: string, timeframe: string): string {
  const text = readFileSync(path.join(ROOT, 'setups', `${id}.yaml`), 'utf8');
  const out = text.replace(/^timeframe: .*$/m, `timeframe: ${timeframe}`);
  if (out === text && !text.includes(`timeframe: ${timeframe}`)) throw new Error(`setups/${id}.yaml has no top-level timeframe line`);
  const dir = path.join(WORK, `setups-${timeframe}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${id}.yaml`), out);
  return path.join(dir, `${id}.yaml`);
}

interface Run {
  ms: number;
  maxRssBytes: number;
  trades: number;
}

/**
 * `ita backtest` starts from the compile cache (bin/compile-cache.js) once a command has run after the last change to
 * the sources; built here first so that every timed run is the usual case. The first command after a change runs
 * through tsx (the `throughTsx` line).
 */
async function warmCompileCache(): Promise<void> {
  const { bundleEntry, sourceKey } = await import('../../bin/compile-cache.js');
  const { buildBundle } = await import('../../bin/build-cache.js');
  const key = sourceKey();
  if (!existsSync(bundleEntry(key))) await buildBundle(key);
}

/** One `ita backtest` process; its exit hook reports the process's peak RSS on stderr. */
function runCli(args: string[], throughTsx = false): Promise<Run> {
  const hook = path.join(WORK, 'max-rss.cjs');
  writeFileSync(hook, "process.on('exit', () => process.stderr.write(`\\nita-bench-max-rss-kb=${process.resourceUsage().maxRSS}\\n`));\n");
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const entry = throughTsx ? ['--import', 'tsx', path.join(ROOT, 'src/cli.ts')] : [path.join(ROOT, 'bin/ita.js')];
    const child = spawn(process.execPath, ['--require', hook, ...entry, 'backtest', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code !== 0) return reject(new Error(`ita backtest ${args.join(' ')} exited with ${code}: ${err.slice(-500)}`));
      const rss = /ita-bench-max-rss-kb=(\d+)/.exec(err);
      const trades = /^\s*Trades\s+(\d+)/m.exec(out);
      resolve({ ms, maxRssBytes: rss ? Number(rss[1]) * 1024 : NaN, trades: trades ? Number(trades[1]) : NaN });
    });
  });
}

async function measureCli(args: string[], runs: number): Promise<Run[]> {
  const all: Run[] = [];
  for (let i = 0; i < runs; i++) all.push(await runCli(args));
  return all;
}

/** The hand-written loop over the same file's columns (read once, outside the timing, as a lower bound should be). */
async function floorOn(file: string, runs: number): Promise<{ cps: number[]; trades: number }> {
  const { readCandleColumns } = await import('../engine/market/csv/read-columns.ts');
  const columns = readCandleColumns(file);
  if (!columns) throw new Error(`${file} is not a canonical candle file`);
  const cps: number[] = [];
  let trades = smaCrossFloor(columns).trades;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    trades = smaCrossFloor(columns).trades;
    cps.push(columns.length / ((performance.now() - t0) / 1000));
  }
  return { cps, trades };
}

function line(name: string, runs: Run[], candles: number, floor: number, target: string): BenchLine {
  const cps = runs.map((r) => candles / (r.ms / 1000));
  const value = median(cps);
  const bytes = median(runs.map((r) => r.maxRssBytes / candles));
  return {
    name: `${name}, ${runs[0].trades} trades`,
    value: Math.round(value),
    unit: 'candles/s',
    target,
    note:
      `median of ${runs.length}, spread ${spread(cps.map((c) => c / 1e3))} k candles/s; ` +
      `peak RSS ${(median(runs.map((r) => r.maxRssBytes)) / 2 ** 20).toFixed(0)} MB = ${bytes.toFixed(0)} bytes/candle (target ≤ 120); ` +
      `ratio ITA ÷ lower bound ${(value / floor).toFixed(3)} (ITA ${(floor / value).toFixed(1)}× slower); load avg ${loadavg()[0].toFixed(1)}`,
  };
}

export async function benchBacktestEndToEnd(quick: boolean): Promise<BenchLine[]> {
  mkdirSync(WORK, { recursive: true });
  const candles = quick ? 1_000_000 : 5_000_000;
  // The same long file as the single-indicator run: bytes per candle at 1M would mostly be the process's fixed ~90 MB.
  const patternCandles = quick ? 300_000 : candles;
  const runs = quick ? 3 : 5;
  const file = await writeLongCandles(path.join(WORK, `btc-1m-${candles}.csv`), candles);
  const patternFile = patternCandles === candles ? file : await writeLongCandles(path.join(WORK, `btc-1m-${patternCandles}.csv`), patternCandles);
  const lines: BenchLine[] = [];

  await warmCompileCache();
  const smaArgs = ['--setup', retimed('sma_cross', '1m'), '--csv', file];
  const sma = await measureCli(smaArgs, runs);
  const firstAfterChange = await runCli(smaArgs, true);
  const floor = await floorOn(file, runs);
  const floorValue = median(floor.cps);
  lines.push(line(`ita backtest end to end: sma_cross re-timed to 1m, ${candles.toLocaleString('en-US')} 1m candles`, sma, candles, floorValue, '≥ 1,000,000'));
  lines.push({
    name: `  lower bound: hand-written SMA(50) cross loop, same ${candles.toLocaleString('en-US')} arrays, ${floor.trades} trades`,
    value: Math.round(floorValue),
    unit: 'candles/s',
    note: `median of ${runs}, spread ${spread(floor.cps.map((c) => c / 1e3))} k candles/s; load avg ${loadavg()[0].toFixed(1)}`,
  });
  lines.push({
    name: `  the same, first command after a change to the sources (through tsx, no compile cache yet)`,
    value: Math.round(candles / (firstAfterChange.ms / 1000)),
    unit: 'candles/s',
    note: `one run; load avg ${loadavg()[0].toFixed(1)}`,
  });

  const pattern = await measureCli(['--setup', retimed('sweep_choch', '1m'), '--csv', patternFile], runs);
  lines.push(line(`ita backtest end to end: sweep_choch (pattern setup) re-timed to 1m, ${patternCandles.toLocaleString('en-US')} 1m candles`, pattern, patternCandles, floorValue, '≥ 200,000'));
  return lines;
}
