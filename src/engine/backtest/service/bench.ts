/**
 * Benchmark of the detector-driven backtest (wired into `ita bench` by the lead): a shipped setup, through the live
 * detector (streaming indicators, pattern engine, rule evaluation, scoring) and the runner, on real sample data.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Timeframe } from '../../types.ts';
import { loadSetupFile, versionOf, type Setup } from '../../setups/index.ts';
import { loadCsvCandles, type BenchLine } from '../bench.ts';
import { DEFAULT_SIMULATION, runSetupBacktest } from './run-setup.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The same rules on another timeframe (a new version: a different definition). */
export function onTimeframe(setup: Setup, timeframe: Timeframe): Setup {
  if (setup.timeframe === timeframe) return setup;
  const { version: _version, source, ...definition } = setup;
  const next = { ...definition, timeframe };
  return { ...next, version: versionOf(next), source };
}

function measure(setup: Setup, file: string, timeframe: Timeframe, runs: number): { candlesPerSecond: number; trades: number } {
  const candles = loadCsvCandles(path.join(ROOT, file));
  const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe };
  const ruleSet = onTimeframe(setup, timeframe);
  const run = () => runSetupBacktest({ setup: ruleSet, market: { key, candles, warmup: [] }, settings: { ...DEFAULT_SIMULATION, slippageBps: 1 } });
  let trades = run().trades.length; // untimed: JIT warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    trades = run().trades.length;
    ms.push(performance.now() - t0);
  }
  return { candlesPerSecond: candles.length / (median(ms) / 1000), trades };
}

export async function benchDetectorBacktest(quick: boolean): Promise<BenchLine[]> {
  const runs = quick ? 3 : 7;
  const setup = loadSetupFile(path.join(ROOT, 'setups/ema_cross.yaml'));
  const lines: BenchLine[] = [];
  for (const [file, tf, label] of [
    ['data/samples/binance_BTCUSDT_1h.csv', '1h', '1h (~45k candles)'],
    ['data/samples/binance_BTCUSDT_1m.csv', '1m', '1m (~66k candles, same rules on 1m)'],
  ] as const) {
    const t = measure(setup, file, tf, runs);
    lines.push({ name: `ema_cross through the live detector + runner, BTCUSDT ${label}, ${t.trades} trades`, value: Math.round(t.candlesPerSecond), unit: 'candles/s' });
  }
  return lines;
}
