import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSetupFile } from '../../../src/engine/setups/index.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import { buildSignalChartSpec } from '../../../src/engine/signals/chart-spec.ts';
import { renderSignalChart } from '../../../src/engine/charts/signal-chart.ts';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';

describe('signal chart spec', () => {
  it('shows only what the detector saw: the last visible candle is the signal candle', async () => {
    const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
    const setup = loadSetupFile(path.join(ROOT, 'setups/ema_cross.yaml'));
    const signals = detectSignals(candles, { market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' }, setups: [setup] });
    const signal = signals[10];
    const spec = buildSignalChartSpec(signal, candles, setup);
    expect(spec.candles.at(-1)!.ts).toBe(signal.ts);
    expect(spec.candles.length).toBe(120);
    expect(spec.signal).toEqual({ ts: signal.ts, side: signal.side, entry: signal.entry, stop: signal.stop, targets: signal.targets.map((t) => t.price) });
    // ema_fast, ema_slow and ema200 are price-scale lines; RSI and volume z-score are not drawn on prices.
    expect(spec.lines!.map((l) => l.name).sort()).toEqual(['ema200', 'ema_fast', 'ema_slow']);
    for (const line of spec.lines!) expect(line.values).toHaveLength(120);
    expect(spec.sessions!.length).toBeGreaterThan(0);
    const { png, width, height } = await renderSignalChart(spec);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([width, height]).toEqual([800, 960]);
  });
});
