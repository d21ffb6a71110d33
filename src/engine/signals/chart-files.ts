/** Writes one annotated chart PNG per signal (used by `ita detect --charts` and reports). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Candle, Signal, Timeframe } from '../types.ts';
import type { Setup } from '../setups/loader.ts';
import { renderSignalChart } from '../charts/signal-chart.ts';
import { buildSignalChartSpec } from './chart-spec.ts';

export async function writeSignalCharts(
  signals: readonly Signal[],
  candlesByTimeframe: ReadonlyMap<Timeframe, readonly Candle[]>,
  dir: string,
  setups: readonly Setup[] = [],
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const signal of signals) {
    const candles = candlesByTimeframe.get(signal.timeframe) ?? [];
    const setup = setups.find((s) => s.id === signal.setupId && s.version === signal.setupVersion);
    const { png } = await renderSignalChart(buildSignalChartSpec(signal, candles, setup));
    const stamp = new Date(signal.ts).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const file = path.join(dir, `${stamp}_${signal.setupId}_${signal.side}.png`);
    writeFileSync(file, png);
    files.push(file);
  }
  return files;
}
