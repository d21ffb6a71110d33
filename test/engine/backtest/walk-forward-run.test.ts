/** Walk-forward end to end: optimize on each train window, backtest the winner on the following test window only. */
import { describe, expect, it } from 'vitest';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { backtestingPyMode, smaCrossSource } from '../../../src/engine/backtest/compat.ts';
import { runBacktest } from '../../../src/engine/backtest/runner.ts';
import { optimize } from '../../../src/engine/backtest/optimizer.ts';
import { walkForward, type TimeRange } from '../../../src/engine/backtest/walk-forward.ts';
import type { Candle } from '../../../src/engine/types.ts';

const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };
const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
const DAY = 86_400_000;

function backtest(range: TimeRange, fast: number, slow: number) {
  const slice: Candle[] = candles.filter((c) => c.ts >= range.start && c.ts < range.end);
  const source = smaCrossSource(key, slice, fast, slow);
  return runBacktest({ markets: [{ key, candles: slice }], signalSource: source, warmupBars: source.warmupBars, ...backtestingPyMode({ cash: 1e6, commission: 0.001, finalizeTrades: true }) });
}

describe('walk-forward with an optimizer per window', () => {
  it('tests every window only on its own out-of-sample candles', async () => {
    const range = { start: candles[0].ts, end: candles.at(-1)!.ts + 3_600_000 };
    const testTrades: { ts: number; window: TimeRange }[] = [];
    const result = await walkForward(range, async (w) => {
      const best = await optimize({
        method: 'grid',
        ranges: { fast: { min: 5, max: 10, step: 5 }, slow: { min: 20, max: 30, step: 10 } },
        objective: 'sharpe',
        evaluate: (p) => backtest(w.train, p.fast, p.slow).stats,
        evaluateTest: (p) => backtest(w.test, p.fast, p.slow).stats,
      });
      const report = backtest(w.test, best.best.params.fast, best.best.params.slow);
      for (const t of report.trades) testTrades.push({ ts: t.entryTs, window: w.test });
      expect(best.outOfSample.stats.returnPct).toBe(report.stats.returnPct);
      return report;
    });
    expect(result.windows).toHaveLength(Math.floor(((range.end - range.start) / DAY - 90) / 30) + 1);
    expect(result.aggregate.trades).toBe(testTrades.length);
    expect(testTrades.length).toBeGreaterThan(20);
    for (const t of testTrades) expect(t.ts >= t.window.start && t.ts < t.window.end).toBe(true);
    expect(result.aggregate.positiveShare).toBeGreaterThanOrEqual(0);
    expect(result.aggregate.positiveShare).toBeLessThanOrEqual(1);
  });
});
