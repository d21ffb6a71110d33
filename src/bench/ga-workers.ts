/**
 * Does the GA win on worker threads here? One 50 × 20 genetic search (the specification's settings, composite
 * objective) of an EMA cross with two parameter ranges on the training 70 % of BTC/USDT 4h, either in this thread or
 * on N worker threads. Run one at a time, not in a loop: `npx tsx src/bench/ga-workers.ts inprocess|1|2`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCandlesFromCsv } from '../engine/market/csv/read-candles.ts';
import { DEFAULT_SIMULATION, seriesForSetup } from '../engine/backtest/service/run-setup.ts';
import { optimizeSetup, splitSeries } from '../engine/backtest/service/optimize.ts';
import { parseSetup } from '../engine/setups/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(mode: string): Promise<void> {
  const candles = readCandlesFromCsv(path.join(ROOT, 'data/samples/binance_BTCUSDT_4h.csv'));
  const setup = parseSetup(
    JSON.stringify({
      id: 'ga_bench', name: 'GA bench', description: 'EMA cross.', rationale: 'Bench.', timeframe: '4h',
      params: { fast: { value: 9, min: 5, max: 20, step: 1 }, atr_stop: { value: 1.5, min: 1, max: 3, step: 0.5 } },
      indicators: { ema_fast: 'ema:$fast', ema_slow: 'ema:21', atr: 'atr:14' },
      rules: { long: { crosses_above: ['ema_fast', 'ema_slow'] }, short: { crosses_below: ['ema_fast', 'ema_slow'] } },
      stop: { type: 'atr', mult: '$atr_stop' }, targets: [{ r: 2 }],
    }),
    'ga-bench',
  );
  const { train, test } = splitSeries(seriesForSetup(candles, '4h', setup, { exchange: 'binance', symbol: 'BTC/USDT' }), 0.7);
  const workers = mode === 'inprocess' ? 0 : Number(mode);
  const started = performance.now();
  const result = await optimizeSetup({ setup, train, test, settings: DEFAULT_SIMULATION, method: 'genetic', objective: 'composite', workers });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${mode}: ${result.evaluations} distinct evaluations on ${train.candles.length} training candles in ${seconds.toFixed(1)} s\n`);
}

void main(process.argv[2] ?? 'inprocess');
