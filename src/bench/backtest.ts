import type { BenchLine, BenchSection } from './timing.ts';
import { loadavg } from 'node:os';
import { median } from './timing.ts';
import { spread } from './compare.ts';
import { smaCrossFloor } from './crossover-floor.ts';

/** Candles/s of the hand-written crossover loop over one sample's arrays (median of `runs`, after a warm-up). */
async function floorThroughput(file: string, runs: number): Promise<{ cps: number[]; trades: number }> {
  const { loadCsvCandles } = await import('../engine/backtest/bench.ts');
  const { toSeries } = await import('../engine/indicators/types.ts');
  const series = toSeries(loadCsvCandles(file));
  let trades = smaCrossFloor(series).trades;
  const cps: number[] = [];
  for (let i = 0; i < runs; i++) {
    // One pass over a sample is a millisecond or two: repeat it for ≥ 20 ms so timer and scheduler noise average out.
    const start = performance.now();
    let passes = 0;
    do {
      trades = smaCrossFloor(series).trades;
      passes++;
    } while (performance.now() - start < 20);
    cps.push((passes * series.close.length) / ((performance.now() - start) / 1000));
  }
  return { cps, trades };
}

export const sections: BenchSection[] = [
  {
    title: 'backtest',
    async run({ quick }) {
      const { benchBacktest } = await import('../engine/backtest/bench.ts');
      const { benchDetectorBacktest } = await import('../engine/backtest/service/bench.ts');
      const engine: BenchLine[] = [...(await benchBacktest(quick)), ...(await benchDetectorBacktest(quick))];
      const runs = quick ? 5 : 9;
      const lines: BenchLine[] = [];
      for (const line of engine) {
        lines.push(line);
        const sample = /BTCUSDT (1m|1h)/.exec(line.name)?.[1];
        if (!sample || line.unit !== 'candles/s') continue;
        // Measured right after the engine figure, on the same sample, so both see the same machine load.
        const floor = await floorThroughput(`data/samples/binance_BTCUSDT_${sample}.csv`, runs);
        const value = median(floor.cps);
        lines.push({
          name: `  lower bound: hand-written SMA(50) cross loop, same ${sample} arrays, ${floor.trades} trades`,
          value: Math.round(value),
          unit: 'candles/s',
          note: `ratio ITA ÷ lower bound ${(line.value / value).toFixed(3)} (ITA ${(value / line.value).toFixed(1)}× slower); ` +
            `median of ${runs}, spread ${spread(floor.cps.map((c) => c / 1e6))} M candles/s; load avg ${loadavg()[0].toFixed(1)}`,
        });
      }
      const { benchShippedSetups } = await import('./pattern-setups.ts');
      lines.push(...(await benchShippedSetups(quick)));
      const { benchBacktestEndToEnd } = await import('./backtest-e2e.ts');
      lines.push(...(await benchBacktestEndToEnd(quick)));
      return lines;
    },
  },
];
