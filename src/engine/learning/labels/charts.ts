/**
 * Charts of what the detector got wrong against the labels: each miss (a labelled candle, shaded, with the candles
 * around it) and each false alarm (the detector's own annotated signal chart). File names say which is which.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Candle } from '../../types.ts';
import type { Setup } from '../../setups/loader.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import { renderSignalChart } from '../../charts/signal-chart.ts';
import { buildSignalChartSpec } from '../../signals/chart-spec.ts';
import type { DetectorLabelReport } from './evaluate.ts';

const AFTER = 20;

export async function writeDetectorCharts(report: DetectorLabelReport, candles: readonly Candle[], dir: string, setup?: Setup): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const tf = timeframeMs(report.timeframe);
  const name = (ts: number, kind: string, side: string) =>
    path.join(dir, `${new Date(ts).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}_${report.setupId}_${side}_${kind}.png`);
  for (const miss of report.misses) {
    const end = candles.findIndex((c) => c.ts > miss.ts + AFTER * tf);
    const visible = candles.slice(0, end < 0 ? candles.length : end);
    const at = visible.find((c) => c.ts === miss.ts);
    if (!at) continue;
    const { png } = await renderSignalChart({
      title: { symbol: report.symbol, timeframe: report.timeframe, setup: `${report.setupId}: missed ${miss.side} label` },
      candles: visible,
      sessions: [{ name: `labelled ${miss.side}`, from: miss.ts, to: miss.ts + tf }],
      levels: [{ price: at.close, from: miss.ts, label: `labelled ${miss.side}`, kind: 'label' }],
    });
    const file = name(miss.ts, 'miss', miss.side);
    writeFileSync(file, png);
    files.push(file);
  }
  for (const signal of report.falseAlarms) {
    const spec = buildSignalChartSpec(signal, candles, setup);
    const { png } = await renderSignalChart({ ...spec, title: { ...spec.title, setup: `${spec.title.setup}: false alarm (no label)` } });
    const file = name(signal.ts, 'false-alarm', signal.side);
    writeFileSync(file, png);
    files.push(file);
  }
  return files;
}
