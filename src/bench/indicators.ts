/**
 * Indicator bench: the full default set in batch over 1,000,000 candles (backtests), and streaming updates per
 * second (live path). Candles come from a deterministic random walk so every run measures the same work.
 */
import { loadavg } from 'node:os';
import type { Candle } from '../engine/types.ts';
import { computeIndicator } from '../engine/indicators/batch.ts';
import { createIndicator } from '../engine/indicators/streaming.ts';
import { parseIndicatorSpec } from '../engine/indicators/spec.ts';
import type { CandleSeries } from '../engine/indicators/types.ts';
import { median, medianMs, type BenchSection } from './timing.ts';
import { compared, spread } from './compare.ts';
import { timed } from './timed.ts';
import { sixAgainstReferences } from './six-compare.ts';

export const FULL_SET = [
  'rsi:14', 'ema:21', 'atr:14', 'macd:12:26:9', 'bb:20:2', 'adx:14', 'stoch:14:3:3',
  'sma:20', 'wma:20', 'donchian:20', 'hv:20', 'vz:20', 'vwap', 'quantile:100:0.8', 'slope:20',
];

/** 1-minute candles from a seeded random walk around 30,000 (±0.5% per candle), with realistic wicks and volume. */
export function randomWalkSeries(n: number, seed = 42): CandleSeries {
  let state = seed >>> 0;
  const random = () => {
    // Numerical Recipes LCG: deterministic and good enough for price noise.
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const series: CandleSeries = {
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let price = 30_000;
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const open = price;
    price *= 1 + (random() - 0.5) * 0.01;
    series.ts[i] = start + i * 60_000;
    series.open[i] = open;
    series.close[i] = price;
    series.high[i] = Math.max(open, price) * (1 + random() * 0.002);
    series.low[i] = Math.min(open, price) * (1 - random() * 0.002);
    series.volume[i] = 1 + random() * 100;
  }
  return series;
}

function toCandles(series: CandleSeries, n: number): Candle[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: series.ts[i],
    open: series.open[i],
    high: series.high[i],
    low: series.low[i],
    close: series.close[i],
    volume: series.volume[i],
  }));
}

export const sections: BenchSection[] = [
  {
    title: 'indicators',
    async run({ quick, log }) {
      const n = quick ? 100_000 : 1_000_000;
      const runs = quick ? 3 : 7;
      const specs = FULL_SET.map(parseIndicatorSpec);
      log(`building ${n.toLocaleString('en-US')} random-walk candles`);
      const series = randomWalkSeries(n);
      const peerLines = await sixAgainstReferences(series, quick ? 3 : 7, log);

      // The full set on one thread and on every core, interleaved round by round.
      const { IndicatorThreads, shareSeries } = await import('../engine/indicators/parallel.ts');
      const threads = new IndicatorThreads();
      const shared = shareSeries(series);
      const texts = specs.map((s) => s.text);
      const single: number[] = [];
      const singleCpu: number[] = [];
      const parallel: number[] = [];
      const helped: number[] = [];
      for (let round = -1; round < runs; round++) {
        const one = timed(() => {
          for (const spec of specs) computeIndicator(spec, series);
        });
        const start = performance.now();
        await threads.compute(texts, shared);
        const all = performance.now() - start;
        if (round < 0) continue;
        single.push(one.wall);
        singleCpu.push(one.cpu);
        parallel.push(all);
        helped.push(threads.last.helperSpecs);
      }
      await threads.close();
      // Wall time on a shared 2-core box swings with other load; CPU time and the load average tell the two apart.
      const load = `load avg ${loadavg()[0].toFixed(1)}`;

      const streamN = quick ? 20_000 : 200_000;
      const candles = toCandles(series, streamN);
      const streamMs = await medianMs(quick ? 3 : 5, () => {
        const indicators = specs.map((spec) => createIndicator(spec));
        for (const candle of candles) for (const indicator of indicators) indicator.update(candle);
      });
      const candlesPerSecond = streamN / (streamMs / 1000);
      return [
        ...peerLines,
        compared(`batch: ${specs.length} indicators over ${n.toLocaleString('en-US')} candles, all cores`, parallel, single, 'one thread', {
          target: n === 1_000_000 ? '< 500 ms, ≤ 1.0× of one thread' : '≤ 1.0× of one thread',
          extra: `${threads.threads} threads; helper took ${Math.round(median(helped))} of ${specs.length} specs (median); rsi ema atr macd bb adx stoch sma wma donchian hv vz vwap quantile slope`,
        }),
        {
          name: `batch: the same ${specs.length} indicators, one thread`,
          value: median(single),
          unit: 'ms',
          note: `CPU ${Math.round(median(singleCpu))} ms incl. GC; median of ${single.length}, spread ${spread(single)}; ${load}`,
        },
        { name: `streaming: candles/s through all ${specs.length} indicators`, value: candlesPerSecond, unit: 'candles/s' },
        {
          name: 'streaming: indicator updates/s',
          value: candlesPerSecond * specs.length,
          unit: 'updates/s',
        },
      ];
    },
  },
];
