import { afterAll, describe, expect, it } from 'vitest';
import { computeIndicator } from '../../../src/engine/indicators/index.ts';
import { IndicatorThreads, shareSeries } from '../../../src/engine/indicators/parallel.ts';
import { toSeries } from '../../../src/engine/indicators/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const SPECS = ['rsi:14', 'ema:21', 'atr:14', 'macd:12:26:9', 'bb:20:2', 'adx:14', 'stoch:14:3:3', 'quantile:100:0.8', 'slope:20', 'vwap'];
const series = toSeries(loadSampleCandles('binance_BTCUSDT_1h_2024-07'));
const single = Object.fromEntries(SPECS.map((spec) => [spec, computeIndicator(spec, series)]));

function expectSingleThreaded(parallel: Record<string, Record<string, Float64Array>>): void {
  expect(Object.keys(parallel).sort()).toEqual([...SPECS].sort());
  for (const spec of SPECS) {
    expect(Object.keys(parallel[spec]), spec).toEqual(Object.keys(single[spec]));
    for (const [output, values] of Object.entries(single[spec])) expect(Array.from(parallel[spec][output]), output).toEqual(Array.from(values));
  }
}

describe('indicators on several threads', () => {
  // smallJobMs 0: even this small series goes through the shared queue, so the helper's path is exercised.
  const threads = new IndicatorThreads(1, 0);
  afterAll(() => threads.close());

  it('gives exactly the single-threaded numbers, including specs the helper computed', async () => {
    let helperSpecs = 0;
    // The helper boots asynchronously and claims work only when scheduled; repeat until it has taken part.
    for (let attempt = 0; attempt < 40 && helperSpecs === 0; attempt++) {
      const parallel = await threads.compute(SPECS, shareSeries(series));
      expect(threads.last.mode).toBe('shared');
      expectSingleThreaded(parallel);
      helperSpecs = threads.last.helperSpecs;
      if (helperSpecs === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(helperSpecs).toBeGreaterThan(0);
  });

  it('reports a bad spec by name', async () => {
    await expect(threads.compute(['rsi:14', 'nope:3'], shareSeries(series))).rejects.toThrow(/nope/);
  });
});

describe('small jobs', () => {
  const threads = new IndicatorThreads(1);
  afterAll(() => threads.close());

  it('stay on the calling thread and give the same numbers', async () => {
    expectSingleThreaded(await threads.compute(SPECS, shareSeries(series)));
    expect(threads.last).toEqual({ helperSpecs: 0, mode: 'small job, this thread only' });
  });
});
