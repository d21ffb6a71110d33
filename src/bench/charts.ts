/** `ita bench --only charts`: warm render times of the two PNG charts at the Telegram size (1280x720). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candle } from '../engine/types.ts';
import type { EquityPoint, SignalChartSpec } from '../engine/charts/spec.ts';
import { loadavg } from 'node:os';
import { medianMs, type BenchLine, type BenchSection } from './timing.ts';
import { compared } from './compare.ts';
import { maxOf, minOf } from '../engine/backtest/metrics.ts';

const SAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/samples/binance_BTCUSDT_1h_2024-07.csv');

function loadCandles(): Candle[] {
  return readFileSync(SAMPLE, 'utf8').trim().split('\n').slice(1).map((line) => {
    const [ts, open, high, low, close, volume] = line.split(',').map(Number);
    return { ts, open, high, low, close, volume };
  });
}

function ema(values: number[], period: number): (number | null)[] {
  const k = 2 / (period + 1);
  let previous: number | null = null;
  return values.map((value, i) => {
    if (i < period - 1) return null;
    previous = previous === null ? values.slice(0, period).reduce((a, b) => a + b, 0) / period : value * k + previous * (1 - k);
    return previous;
  });
}

/** A fully annotated long signal: two EMAs, FVG and OB zones, two levels, two London sessions, three targets. */
function signalSpec(candles: Candle[]): SignalChartSpec {
  const shown = candles.slice(0, 400);
  const signal = shown[shown.length - 1];
  const fvg = shown[shown.length - 8];
  const ob = shown[shown.length - 40];
  const day = Math.floor(signal.ts / 86_400_000) * 86_400_000;
  const risk = signal.close * 0.008;
  return {
    title: { symbol: 'BTC/USDT', timeframe: '1h', setup: 'Пробой Лондона', score: 82 },
    candles: shown,
    lines: [{ name: 'EMA 50', values: ema(shown.map((c) => c.close), 50) }, { name: 'EMA 200', values: ema(shown.map((c) => c.close), 200) }],
    zones: [
      { kind: 'fvg', from: fvg.ts, top: Math.max(fvg.open, fvg.close), bottom: Math.min(fvg.open, fvg.close), direction: 'bullish' },
      { kind: 'ob', from: ob.ts, to: shown[shown.length - 25].ts, top: ob.high, bottom: ob.low, direction: 'bearish' },
    ],
    levels: [
      { price: maxOf(shown.slice(-60, -10).map((c) => c.high)), from: shown[shown.length - 50].ts, label: 'Swing high', kind: 'swing-high' },
      { price: minOf(shown.slice(-60, -10).map((c) => c.low)), from: shown[shown.length - 45].ts, label: 'Sell-side liq.', kind: 'liquidity' },
    ],
    sessions: [
      { name: 'London', from: day - 86_400_000 + 7 * 3_600_000, to: day - 86_400_000 + 16 * 3_600_000 },
      { name: 'London', from: day + 7 * 3_600_000, to: day + 16 * 3_600_000 },
    ],
    signal: { ts: signal.ts, side: 'long', entry: signal.close, stop: signal.close - risk, targets: [1, 2, 3].map((r) => signal.close + (r + 1) * risk) },
  };
}

function equityPoints(candles: Candle[]): { points: EquityPoint[]; benchmark: EquityPoint[] } {
  const points: EquityPoint[] = [];
  const benchmark: EquityPoint[] = [];
  let equity = 10_000;
  // A deterministic wiggle; only the point count matters for timing.
  candles.slice(0, 2_000).forEach((candle, i) => {
    equity *= 1 + Math.sin(i * 0.37) * 0.004 + 0.0002;
    points.push({ ts: candle.ts, equity });
    benchmark.push({ ts: candle.ts, equity: (10_000 * candle.close) / candles[0].close });
  });
  return { points, benchmark };
}

export const sections: BenchSection[] = [
  {
    title: 'charts',
    async run({ quick }) {
      const { renderSignalChart, renderEquityChart } = await import('../engine/charts/index.ts');
      const { ChartRenderPool } = await import('../engine/charts/pool.ts');
      const candles = loadCandles();
      const runs = quick ? 20 : 40;
      const spec = signalSpec(candles);
      // CPU time per render (all threads, PNG encoding included) next to the wall median: on a shared, busy
      // machine the wall figure mostly measures waiting for a core.
      const cpuPerRender = async (fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> => {
        const before = process.cpuUsage();
        const wall = await medianMs(runs, fn);
        const used = process.cpuUsage(before);
        return { wall, cpu: (used.user + used.system) / 1000 / (runs + 1) };
      };
      const signal = await cpuPerRender(() => renderSignalChart(spec));
      const { points, benchmark } = equityPoints(candles);
      const equitySpec = { title: 'Bench run · BTC/USDT 1h', points, benchmark, currency: 'USDT', stats: ['Trades 42'] };
      const equity = await cpuPerRender(() => renderEquityChart(equitySpec));
      const lines: BenchLine[] = [
        { name: 'charts: signal chart 1280x720, 120 candles, all annotations', value: signal.wall, unit: 'ms', target: '< 90 ms', note: `median of ${runs} warm renders; cpu ${signal.cpu.toFixed(0)} ms/render; load avg ${loadavg()[0].toFixed(1)}` },
        { name: 'charts: equity + drawdown 1280x720, 2,000 points + buy & hold', value: equity.wall, unit: 'ms', target: '< 90 ms', note: `median of ${runs} warm renders; cpu ${equity.cpu.toFixed(0)} ms/render` },
      ];

      // A burst (signals from many markets at one close): the pool against one render after another on this
      // thread, interleaved round by round so both see the same machine.
      const pool = new ChartRenderPool();
      try {
        const burst = quick ? 6 : 12;
        const rounds = quick ? 3 : 5;
        const specs = Array.from({ length: burst }, (_, k) => signalSpec(candles.slice(k * 24)));
        await Promise.all(Array.from({ length: pool.size }, () => pool.renderSignalChart(spec)));
        const pooled: number[] = [];
        const sequential: number[] = [];
        const pooledEquity: number[] = [];
        const localEquity: number[] = [];
        for (let r = 0; r < rounds; r++) {
          pooled.push(await timeMs(() => Promise.all(specs.map((s) => pool.renderSignalChart(s)))));
          sequential.push(await timeMs(async () => { for (const s of specs) await renderSignalChart(s); }));
          pooledEquity.push(await timeMs(() => pool.renderEquityChart(equitySpec)));
          localEquity.push(await timeMs(() => renderEquityChart(equitySpec)));
        }
        lines.push(
          compared(`charts: burst of ${burst} signal charts, render pool (${pool.size} threads)`, pooled, sequential, 'one after another on the main thread'),
          compared('charts: equity chart through the pool (main thread free meanwhile)', pooledEquity, localEquity, 'rendered on the main thread'),
        );
      } finally {
        await pool.close();
      }
      return lines;
    },
  },
];

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
