import { afterAll, describe, expect, it } from 'vitest';
import { computeIndicator } from '../../../src/engine/indicators/index.ts';
import { IndicatorThreads, shareSeries } from '../../../src/engine/indicators/parallel.ts';
import { toSeries } from '../../../src/engine/indicators/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const threads = new IndicatorThreads(1);
afterAll(() => threads.close());

describe('indicators on several threads', () => {
  it('gives exactly the single-threaded numbers for every spec', async () => {
    const series = toSeries(loadSampleCandles('binance_BTCUSDT_1h_2024-07'));
    const specs = ['rsi:14', 'ema:21', 'atr:14', 'macd:12:26:9', 'bb:20:2', 'adx:14', 'stoch:14:3:3', 'quantile:100:0.8', 'slope:20', 'vwap'];
    const parallel = await threads.compute(specs, shareSeries(series));
    expect(Object.keys(parallel).sort()).toEqual([...specs].sort());
    for (const spec of specs) {
      const single = computeIndicator(spec, series);
      expect(Object.keys(parallel[spec]), spec).toEqual(Object.keys(single));
      for (const [output, values] of Object.entries(single)) expect(Array.from(parallel[spec][output]), output).toEqual(Array.from(values));
    }
  });
});
