/**
 * Backtest benchmarks (wired into `ita bench` by the lead): engine throughput on real sample data with a
 * batch-computed single-indicator signal source, and optimizer evaluations per second on a 2-worker pool.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candle, MarketKey, Signal } from '../types.ts';
import { computeIndicator, toSeries } from '../indicators/index.ts';
import { backtestingPyMode, crossover, smaCrossSource } from './compat.ts';
import type { SignalSource } from './types.ts';
import { runBacktest } from './runner.ts';
import { WorkerPool } from './worker-pool.ts';
import { gridSearch } from './optimizer.ts';

export interface BenchLine {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function loadCsvCandles(file: string): Candle[] {
  const lines = readFileSync(path.isAbsolute(file) ? file : path.join(ROOT, file), 'utf8').trim().split('\n');
  const out: Candle[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [ts, open, high, low, close, volume] = lines[i].split(',').map(Number);
    out.push({ ts, open, high, low, close, volume });
  }
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median of `runs` timed calls after two untimed ones (the first passes are dominated by JIT compilation). */
function timeRuns(runs: number, fn: () => void): number {
  fn();
  fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** Evaluation function the optimizer workers load: SMA cross on GOOG daily, parameters fast/slow. */
export function evaluateSmaCross(params: Record<string, number>): Record<string, number> {
  const candles = goog ?? (goog = loadCsvCandles('data/samples/nasdaq_GOOG_1d.csv'));
  const key: MarketKey = { exchange: 'nasdaq', symbol: 'GOOG', timeframe: '1d' };
  const source = smaCrossSource(key, candles, params.fast, params.slow);
  const r = runBacktest({ markets: [{ key, candles }], signalSource: source, warmupBars: source.warmupBars, ...backtestingPyMode({ finalizeTrades: true }) });
  return { sharpe: r.stats.sharpe, returnPct: r.stats.returnPct, trades: r.stats.trades };
}
let goog: Candle[] | undefined;

/** Close crossing SMA(50), 1 % stop, the default management plan (partials, break-even, trailing) and R sizing. */
function closeCrossSma(key: MarketKey, candles: Candle[]): SignalSource {
  const series = toSeries(candles);
  const sma = Object.values(computeIndicator('sma:50', series))[0];
  const close = series.close;
  const none: Signal[] = [];
  return {
    onCandle(_m, i, c) {
      const side = crossover(close, sma, i) ? 'long' : crossover(sma, close, i) ? 'short' : null;
      if (side === null) return none;
      const stop = side === 'long' ? c.close * 0.99 : c.close * 1.01;
      // One object literal, built the way the detector builds its signals (a spread of a shared base object gives
      // the engine differently shaped signals and measurably slows every property access downstream).
      return [
        {
          id: `b${i}`, setupId: 'bench', setupVersion: '1', setupName: 'bench', exchange: key.exchange, symbol: key.symbol, timeframe: key.timeframe,
          side, ts: c.ts, entryType: 'market', entry: c.close, stop, targets: [], rr: 2, score: 5, rank: 1,
          reasons: { strengths: [], weaknesses: [] }, context: { atr: c.close * 0.005 }, validUntil: Infinity,
        },
      ];
    },
  };
}

function throughput(file: string, tf: MarketKey['timeframe'], runs: number): { candlesPerSecond: number; trades: number } {
  const candles = loadCsvCandles(file);
  const key: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: tf };
  let trades = 0;
  const ms = timeRuns(runs, () => {
    // Indicator computation and statistics are part of the measured work: a batch-computed setup end to end.
    const r = runBacktest({ markets: [{ key, candles }], signalSource: closeCrossSma(key, candles), initialCash: 10_000, fees: { maker: 0.0002, taker: 0.0005 }, slippage: { bps: 1 } });
    trades = r.trades.length;
  });
  return { candlesPerSecond: candles.length / (ms / 1000), trades };
}

export async function benchBacktest(quick: boolean): Promise<BenchLine[]> {
  const runs = quick ? 5 : 15;
  const lines: BenchLine[] = [];
  evaluateSmaCross({ fast: 10, slow: 30 }); // warm-up
  const smaMs = timeRuns(runs * 3, () => evaluateSmaCross({ fast: 10, slow: 30 }));
  lines.push({ name: 'SMA 10/30 crossover, GOOG daily (2148 bars), incl. statistics', value: Math.round(1000 / smaMs), unit: 'runs/s' });
  for (const [file, tf, label] of [
    ['data/samples/binance_BTCUSDT_1m.csv', '1m', '1m (~66k candles)'],
    ['data/samples/binance_BTCUSDT_1h.csv', '1h', '1h (~45k candles)'],
  ] as const) {
    const t = throughput(file, tf, runs);
    lines.push({ name: `close × SMA(50) setup with full management, BTCUSDT ${label}, ${t.trades} trades`, value: Math.round(t.candlesPerSecond), unit: 'candles/s', target: '≥ 1,000,000' });
  }
  const pool = new WorkerPool<Record<string, number>>(fileURLToPath(import.meta.url), 'evaluateSmaCross', 2);
  try {
    const ranges = { fast: { min: 5, max: 25, step: 5 }, slow: { min: 30, max: quick ? 45 : 75, step: 5 } };
    await gridSearch({ ranges: { fast: { min: 10, max: 10, step: 1 }, slow: { min: 30, max: 31, step: 1 } }, evaluate: (p) => pool.evaluate(p), objective: 'sharpe' });
    const t0 = performance.now();
    const ranked = await gridSearch({ ranges, evaluate: (p) => pool.evaluate(p), objective: 'sharpe' });
    const seconds = (performance.now() - t0) / 1000;
    lines.push({ name: 'optimizer grid, SMA cross on GOOG daily, 2 worker threads', value: Math.round(ranked.length / seconds), unit: 'evaluations/s' });
  } finally {
    await pool.close();
  }
  return lines;
}
