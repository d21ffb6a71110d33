/**
 * `ita import`: reads a candle CSV in any supported format, validates every row, then writes all candles in ONE
 * transaction, so a refused or failed import leaves the store exactly as it was.
 */
import type { MarketKey } from '../../types.ts';
import { upsertCandles, type CandleStore, type UpsertResult } from '../../store/candles.ts';
import { countMissing, type Gap } from '../quality.ts';
import { readCandleFile } from './read-candles.ts';

export interface ImportSummary {
  file: string;
  market: MarketKey;
  format: string;
  volumeNote?: string;
  rows: number;
  firstTs: number;
  lastTs: number;
  gaps: Gap[];
  missingCandles: number;
  /** Undefined on a dry run. */
  written?: UpsertResult;
  elapsedMs: number;
  rowsPerSecond: number;
}

export interface ImportOptions {
  /** Validate and report without touching the store. */
  dryRun?: boolean;
}

export async function importCandleCsv(store: CandleStore | undefined, file: string, market: MarketKey, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const parsed = readCandleFile(file, market.timeframe);
  const written = options.dryRun || !store ? undefined : await upsertCandles(store, market, parsed.candles);
  const elapsedMs = performance.now() - started;
  const { candles } = parsed;
  return {
    file,
    market,
    format: parsed.format.label,
    volumeNote: parsed.volumeNote,
    rows: candles.length,
    firstTs: candles[0].ts,
    lastTs: candles[candles.length - 1].ts,
    gaps: parsed.gaps,
    missingCandles: countMissing(parsed.gaps),
    written,
    elapsedMs,
    rowsPerSecond: candles.length / (elapsedMs / 1000),
  };
}
