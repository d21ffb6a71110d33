/**
 * optimizeSetup in this thread (workers: 0, the lab's choice on ≤ 2 cores) searches exactly what the worker pool
 * searches, and an abort stops it at the next evaluation (the lab's Cancel button).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIMULATION, seriesForSetup } from '../../../src/engine/backtest/service/run-setup.ts';
import { optimizeSetup, splitSeries } from '../../../src/engine/backtest/service/optimize.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { rsiBounceSetup } from '../../helpers/rsi-setup.ts';

const setup = rsiBounceSetup('rsi_opt');
const { train, test } = splitSeries(seriesForSetup(loadSampleCandles('nasdaq_GOOG_1d'), '1d', setup, { exchange: 'nasdaq', symbol: 'GOOG' }), 0.7);
const options = { setup, train, test, settings: DEFAULT_SIMULATION, method: 'genetic' as const, objective: 'composite' as const, population: 6, generations: 3 };

describe('optimizeSetup in-process', () => {
  it('finds what the worker pool finds', async () => {
    const [inProcess, pooled] = [await optimizeSetup({ ...options, workers: 0 }), await optimizeSetup({ ...options, workers: 1 })];
    expect(inProcess.evaluations).toBe(pooled.evaluations);
    expect(inProcess.best.params).toEqual(pooled.best.params);
    expect(inProcess.outOfSample.stats).toEqual(pooled.outOfSample.stats);
  }, 60_000);

  it('stops at the next evaluation once aborted', async () => {
    const controller = new AbortController();
    let evaluated = 0;
    const run = optimizeSetup({ ...options, workers: 0, signal: controller.signal, onProgress: (done) => { evaluated = done; if (done >= 2) controller.abort(new Error('cancelled')); } });
    await expect(run).rejects.toThrow('cancelled');
    expect(evaluated).toBeLessThan(6 * 3);
  }, 60_000);
});
