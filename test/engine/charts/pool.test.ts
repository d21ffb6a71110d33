/**
 * The worker-thread chart pool: the same PNG bytes and layout as rendering on the calling thread, the same error for a
 * bad spec, a crashed or stuck thread replaced without taking the pool down, and a clean shutdown.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderEquityChart, renderSignalChart, type EquityChartSpec, type SignalChartSpec } from '../../../src/engine/charts/index.ts';
import { ChartPoolClosedError, ChartRenderPool, ChartRenderTimeoutError, ChartWorkerCrashedError } from '../../../src/engine/charts/pool.ts';
import { InputError } from '../../../src/engine/errors.ts';
import { signalCardInput, signalCardSpec } from '../../../src/engine/signals/chart-spec.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 300);
const last = candles[candles.length - 1];

const signalSpec: SignalChartSpec = {
  title: { symbol: 'BTC/USDT', timeframe: '1h', setup: 'Пробой Лондона', score: 77 },
  candles,
  lines: [{ name: 'SMA 20', values: candles.map((_, i) => (i < 19 ? null : candles.slice(i - 19, i + 1).reduce((s, c) => s + c.close, 0) / 20)) }],
  zones: [{ kind: 'fvg', from: candles[280].ts, top: candles[280].high, bottom: candles[280].low, direction: 'bullish' }],
  signal: { ts: last.ts, side: 'long', entry: last.close, stop: last.close * 0.99, targets: [last.close * 1.01, last.close * 1.02] },
};

let equity = 10_000;
const equitySpec: EquityChartSpec = {
  title: 'Pool test · BTC/USDT 1h',
  points: candles.map((c, i) => ({ ts: c.ts, equity: (equity *= 1 + Math.sin(i / 7) * 0.003) })),
  benchmark: candles.map((c) => ({ ts: c.ts, equity: (10_000 * c.close) / candles[0].close })),
  currency: 'USDT',
  stats: ['Trades 12'],
};

describe('chart render pool', () => {
  const pool = new ChartRenderPool({ size: 2 });
  afterAll(() => pool.close());

  it('renders the same PNG bytes and layout as the calling thread (signal and equity charts)', async () => {
    const [pooledSignal, pooledEquity] = await Promise.all([pool.renderSignalChart(signalSpec), pool.renderEquityChart(equitySpec)]);
    const localSignal = await renderSignalChart(signalSpec);
    const localEquity = await renderEquityChart(equitySpec);
    expect(Buffer.isBuffer(pooledSignal.png)).toBe(true);
    expect(pooledSignal.png.equals(localSignal.png)).toBe(true);
    expect(pooledSignal.layout).toEqual(localSignal.layout);
    expect([pooledSignal.width, pooledSignal.height]).toEqual([localSignal.width, localSignal.height]);
    expect(pooledEquity.png.equals(localEquity.png)).toBe(true);
    expect(pooledEquity.layout).toEqual(localEquity.layout);
  });

  it('renders a burst concurrently, every chart identical to its in-thread render', async () => {
    const specs = [0, 1, 2, 3, 4].map((k) => ({ ...signalSpec, lines: undefined, candles: candles.slice(k * 10), title: { ...signalSpec.title, score: 50 + k } }));
    const pooled = await Promise.all(specs.map((spec) => pool.renderSignalChart(spec)));
    for (let k = 0; k < specs.length; k++) expect(pooled[k].png.equals((await renderSignalChart(specs[k])).png), `chart ${k}`).toBe(true);
  });

  it('rejects a bad spec with the same InputError as in-thread rendering', async () => {
    const bad = { ...signalSpec, width: 10 };
    const local = await renderSignalChart(bad).catch((e: Error) => e);
    const pooled = await pool.renderSignalChart(bad).catch((e: Error) => e);
    expect(pooled).toBeInstanceOf(InputError);
    expect((pooled as Error).message).toBe((local as Error).message);
  });

  it('builds a signal card on the thread: the bytes of building and rendering it here, and the same InputError', async () => {
    const signal = { ts: candles[250].ts, side: 'long' as const, entry: candles[250].close, stop: candles[250].close * 0.99, targets: [{ price: candles[250].close * 1.02, r: 2, closeFraction: 1 }],
      symbol: 'BTC/USDT', timeframe: '1h' as const, setupName: 'Пробой Лондона', score: 64 };
    const input = signalCardInput(signal, candles.slice(0, 251));
    const pooled = await pool.renderSignalCard(input);
    expect(pooled.png.equals((await renderSignalChart(signalCardSpec(input))).png)).toBe(true);
    // The signal's candle is missing from its candles: the spec cannot place it.
    const bad = signalCardInput({ ...signal, ts: candles[299].ts + 3_600_000 }, candles.slice(0, 251));
    const local = await Promise.resolve().then(() => renderSignalChart(signalCardSpec(bad))).catch((e: Error) => e);
    const remote = await pool.renderSignalCard(bad).catch((e: Error) => e);
    expect(local).toBeInstanceOf(InputError);
    expect(remote).toBeInstanceOf(InputError);
    expect((remote as Error).message).toBe((local as Error).message);
  });
});

describe('chart render pool failures', () => {
  it('replaces a crashed render thread: that render fails clearly, the next one succeeds', async () => {
    const pool = new ChartRenderPool({ size: 1, entry: new URL('./crashing-pool-worker.ts', import.meta.url) });
    try {
      const crash = await pool.renderSignalChart({ ...signalSpec, title: { ...signalSpec.title, setup: 'CRASH' } }).catch((e: Error) => e);
      expect(crash).toBeInstanceOf(ChartWorkerCrashedError);
      expect((crash as Error).message).toMatch(/crashed.*BTC\/USDT 1h/);
      expect(pool.replacements).toBe(1);
      const after = await pool.renderSignalChart(signalSpec);
      expect(after.png.equals((await renderSignalChart(signalSpec)).png)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('fails a render that exceeds the timeout with a clear error and restarts that thread', async () => {
    const pool = new ChartRenderPool({ size: 1, timeoutMs: 1 });
    try {
      const error = await pool.renderEquityChart(equitySpec).catch((e: Error) => e);
      expect(error).toBeInstanceOf(ChartRenderTimeoutError);
      expect((error as Error).message).toMatch(/timed out after 1 ms \(equity chart "Pool test/);
      expect(pool.replacements).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('on close rejects queued renders and refuses new ones', async () => {
    const pool = new ChartRenderPool({ size: 1 });
    const inFlight = pool.renderSignalChart(signalSpec).catch((e: Error) => e);
    const queued = pool.renderSignalChart(signalSpec).catch((e: Error) => e);
    expect(pool.queued).toBe(1);
    await pool.close();
    expect(await inFlight).toBeInstanceOf(ChartPoolClosedError);
    expect(await queued).toBeInstanceOf(ChartPoolClosedError);
    await expect(pool.renderSignalChart(signalSpec)).rejects.toBeInstanceOf(ChartPoolClosedError);
  });
});

describe('chart render pool in a process of its own', () => {
  it('exits cleanly after rendering and closing (node-canvas kept loaded on the main thread; else exit 139)', () => {
    const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
    const child = spawnSync(process.execPath, [tsxCli, fileURLToPath(new URL('./pool-exit-child.ts', import.meta.url))], { encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('rendered true closed\n');
    expect(child.status).toBe(0);
  }, 130_000);
});
