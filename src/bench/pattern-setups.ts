/**
 * Backtest throughput of every shipped setup as `ita backtest` trades it (the live detector, the signal policy, the
 * risk governor, the simulated broker, statistics), in process over the 15m sample, each re-timed to 15m when it
 * ships on another timeframe. Beside each figure: the hand-written crossover loop over the same candles' arrays,
 * timed right after it in the same round (the lower bound), and the ratio. Rounds interleave ITA and the bound.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import type { BenchLine } from './timing.ts';
import { median } from './timing.ts';
import { spread } from './compare.ts';
import { smaCrossFloor } from './crossover-floor.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function benchShippedSetups(quick: boolean): Promise<BenchLine[]> {
  const { loadSetupsDir } = await import('../engine/setups/index.ts');
  const { loadGovernance } = await import('../engine/risk/index.ts');
  const { DEFAULT_MAX_COST_R } = await import('../engine/signals/policy.ts');
  const { DEFAULT_SIMULATION, runSetupBacktest } = await import('../engine/backtest/service/run-setup.ts');
  const { onTimeframe } = await import('../engine/backtest/service/bench.ts');
  const { loadCsvCandles } = await import('../engine/backtest/bench.ts');
  const { toSeries } = await import('../engine/indicators/types.ts');
  const candles = loadCsvCandles(path.join(ROOT, 'data/samples/binance_BTCUSDT_15m.csv'));
  const series = toSeries(candles);
  const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '15m' as const };
  // ita backtest's defaults: spot, the governor of governance.yaml, the policy's default minimum score and cost.
  const settings = { ...DEFAULT_SIMULATION, governance: loadGovernance(), policy: { minScore: 7, maxCostR: DEFAULT_MAX_COST_R } };
  const { setups } = loadSetupsDir(path.join(ROOT, 'setups'));
  const rounds = quick ? 3 : 7;
  const lines: BenchLine[] = [];
  for (const shipped of setups) {
    const setup = onTimeframe(shipped, '15m');
    const run = () => runSetupBacktest({ setup, market: { key, candles, warmup: [] }, settings, describeContext: false }).trades.length;
    let trades = run(); // untimed: JIT warm-up
    smaCrossFloor(series);
    const ita: number[] = [];
    const floor: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now();
      trades = run();
      ita.push(candles.length / ((performance.now() - t0) / 1000));
      // One floor pass is a fraction of a millisecond: repeated for ≥ 20 ms so the timer's resolution does not matter.
      t0 = performance.now();
      let passes = 0;
      do {
        smaCrossFloor(series);
        passes++;
      } while (performance.now() - t0 < 20);
      floor.push((passes * candles.length) / ((performance.now() - t0) / 1000));
    }
    const value = median(ita);
    const bound = median(floor);
    const retimed = shipped.timeframe === '15m' ? '' : ` (ships on ${shipped.timeframe}, re-timed)`;
    lines.push({
      name: `backtest ${shipped.id}${retimed}, BTCUSDT 15m (${candles.length.toLocaleString('en-US')} candles), ${trades} trades`,
      value: Math.round(value),
      unit: 'candles/s',
      target: '≥ 200,000',
      note:
        `lower bound (hand-written SMA(50) cross loop, same arrays) ${(bound / 1e6).toFixed(1)} M candles/s; ratio ITA ÷ lower bound ${(value / bound).toFixed(3)}; ` +
        `median of ${rounds}, spread ${spread(ita.map((c) => c / 1e3))} k vs ${spread(floor.map((c) => c / 1e6))} M candles/s; load avg ${loadavg()[0].toFixed(1)}`,
    });
  }
  return lines;
}
