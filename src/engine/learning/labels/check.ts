/**
 * `/labels`: the stored labels against the detector on the STORED candles (the candle store the bot watches and
 * imports into), per setup, symbol and timeframe: precision, recall, every miss and false alarm, and a chart of each.
 * The detector is the live one (regime gate included) over the labelled span plus the setup's warm-up before it.
 * What could not be checked is returned as a problem value (unknown setup, no stored candles), never dropped.
 */
import { sql, type Kysely } from 'kysely';
import path from 'node:path';
import type { Candle, MarketKey, Timeframe } from '../../types.ts';
import type { Setup } from '../../setups/index.ts';
import type { Database } from '../../store/schema.ts';
import { getCandles } from '../../store/candles.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import { setupWarmup } from '../../setups/warmup.ts';
import { maxOf, minOf } from '../../backtest/metrics.ts';
import { detectSignalsWithRegimes } from '../../regime/detect.ts';
import { DEFAULT_TOLERANCE_BARS, scoreDetector, type DetectorLabelReport } from './evaluate.ts';
import { writeDetectorCharts } from './charts.ts';
import type { StoredLabel } from './store.ts';

export type LabelProblem =
  | { kind: 'unknown-setup'; setupId: string; labels: number }
  | { kind: 'no-candles'; setupId: string; symbol: string; timeframe: Timeframe; labels: number };

export interface LabelCheckResult {
  reports: { report: DetectorLabelReport<StoredLabel>; exchange: string; charts: string[] }[];
  problems: LabelProblem[];
}

export interface LabelCheckOptions {
  db: Kysely<Database>;
  labels: readonly StoredLabel[];
  setupFor: (id: string) => Setup | undefined;
  /** Charts of misses and false alarms are written here (one file each); none when omitted. */
  chartsDir?: string;
  toleranceBars?: number;
  /** Candles after the last label (so a late signal and the chart's right side exist). */
  afterBars?: number;
}

export async function checkLabels(o: LabelCheckOptions): Promise<LabelCheckResult> {
  const tolerance = o.toleranceBars ?? DEFAULT_TOLERANCE_BARS;
  const result: LabelCheckResult = { reports: [], problems: [] };
  const bySetupSymbol = new Map<string, StoredLabel[]>();
  for (const label of o.labels) {
    const key = `${label.setupId}|${label.symbol}`;
    bySetupSymbol.set(key, [...(bySetupSymbol.get(key) ?? []), label]);
  }
  for (const labels of bySetupSymbol.values()) {
    const { setupId, symbol } = labels[0];
    const setup = o.setupFor(setupId);
    if (!setup) {
      result.problems.push({ kind: 'unknown-setup', setupId, labels: labels.length });
      continue;
    }
    // The detector runs on the setup's timeframe: a label on another timeframe can only be a miss.
    const timeframe = setup.timeframe;
    const tf = timeframeMs(timeframe);
    const stamps = labels.map((l) => l.ts);
    const from = minOf(stamps) - (setupWarmup(setup) + tolerance + 5) * tf;
    const to = maxOf(stamps) + ((o.afterBars ?? 20) + tolerance) * tf;
    const exchange = await exchangeWithCandles(o.db, symbol, timeframe, from, to);
    const market: MarketKey | undefined = exchange ? { exchange, symbol, timeframe } : undefined;
    const candles: Candle[] = market ? await getCandles(o.db, market, { from, to }) : [];
    if (!market || candles.length === 0) {
      result.problems.push({ kind: 'no-candles', setupId, symbol, timeframe, labels: labels.length });
      continue;
    }
    const { signals } = detectSignalsWithRegimes(candles, { market, setups: [setup] });
    for (const report of scoreDetector(labels, signals, tolerance)) {
      const charts = o.chartsDir && (report.misses.length > 0 || report.falseAlarms.length > 0)
        ? await writeDetectorCharts(report, candles, path.join(o.chartsDir, `${report.setupId}_${report.symbol.replace('/', '-')}_${report.timeframe}`), setup)
        : [];
      result.reports.push({ report, exchange: market.exchange, charts });
    }
  }
  return result;
}

/** The exchange whose stored candles cover most of the span (labels name no exchange). */
async function exchangeWithCandles(db: Kysely<Database>, symbol: string, timeframe: string, from: number, to: number): Promise<string | undefined> {
  const rows = await sql<{ exchange: string; n: number }>`
    SELECT exchange, count(*) AS n FROM candles WHERE symbol = ${symbol} AND timeframe = ${timeframe} AND ts >= ${from} AND ts <= ${to}
    GROUP BY exchange ORDER BY n DESC LIMIT 1`.execute(db);
  return rows.rows[0]?.exchange;
}
