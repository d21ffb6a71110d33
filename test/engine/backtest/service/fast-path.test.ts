/**
 * The backtest's shortcuts change no trade: for every shipped setup on the real sample data, the detector with its
 * rule pre-check and running only the pattern-engine families its decisions read (what `ita backtest` runs) gives
 * exactly the trades, skipped signals and equity of the reference detector that evaluates every rule on every candle
 * with every engine and every family. Each setup on its own timeframe, and re-timed to 15m as the bench runs it.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSampleCandles, ROOT } from '../../../helpers/candles.ts';
import { loadSetupFile } from '../../../../src/engine/setups/index.ts';
import { detectorSource } from '../../../../src/engine/backtest/detector-source.ts';
import { runBacktest } from '../../../../src/engine/backtest/runner.ts';
import { DEFAULT_SIMULATION, setupSessionOptions } from '../../../../src/engine/backtest/service/run-setup.ts';
import { loadGovernance } from '../../../../src/engine/risk/index.ts';
import { onTimeframe } from '../../../../src/engine/backtest/service/bench.ts';
import type { Timeframe } from '../../../../src/engine/types.ts';

const setupIds = readdirSync(path.join(ROOT, 'setups'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

describe('fast detector path = reference detector, every shipped setup', () => {
  it('ships setups to check', () => expect(setupIds.length).toBeGreaterThanOrEqual(8));

  // Each on its own timeframe, and re-timed to 15m like the bench when it ships on another.
  const runs = setupIds.flatMap((id) => {
    const shipped = loadSetupFile(path.join(ROOT, 'setups', `${id}.yaml`));
    return shipped.timeframe === '15m' ? [{ id, shipped }] : [{ id, shipped }, { id, shipped, timeframe: '15m' as Timeframe }];
  });
  for (const { id, shipped, timeframe } of runs) {
    it(`${id}${timeframe ? ` re-timed to ${timeframe}` : ''}: same trades, skips and equity`, () => {
      const setup = timeframe ? onTimeframe(shipped, timeframe) : shipped;
      const candles = loadSampleCandles(`binance_BTCUSDT_${setup.timeframe}`);
      const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: setup.timeframe };
      const settings = { ...DEFAULT_SIMULATION, account: 'perp' as const, governance: loadGovernance() };
      const market = { key, candles, warmup: [] };
      const fast = runBacktest(setupSessionOptions({ setup, market, settings, describeContext: false }));
      const options = setupSessionOptions({ setup, market, settings });
      const reference = detectorSource([{ key }], [setup], {
        history: undefined,
        costs: { makerFee: settings.fees.maker, takerFee: settings.fees.taker, slippage: 0 },
        describeContext: true,
        prefilter: false,
      });
      const slow = runBacktest({ ...options, signalSource: reference });
      expect(slow.trades.length + slow.skipped.length, 'the setup signals on this data').toBeGreaterThan(0);
      expect(fast.trades).toEqual(slow.trades);
      expect(fast.skipped).toEqual(slow.skipped);
      expect(fast.equity).toEqual(slow.equity);
      expect(fast.stats).toEqual(slow.stats);
    }, 120_000);
  }
});
