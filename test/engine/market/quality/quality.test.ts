import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countMissing, feedStatus, findDuplicates, findGaps } from '../../../../src/engine/market/quality.ts';
import type { Candle, Timeframe } from '../../../../src/engine/types.ts';
import { loadSampleCandles, SAMPLES } from '../../../helpers/candles.ts';

interface ManifestEntry {
  file: string;
  timeframe: Timeframe;
  gap_count: number;
  missing_candles: number;
  largest_gaps: { after: string; before: string; missing: number }[];
}

const manifest = JSON.parse(readFileSync(path.join(SAMPLES, 'ohlcv_manifest.json'), 'utf8')) as ManifestEntry[];
const iso = (ts: number) => new Date(ts).toISOString().replace('.000Z', 'Z');

describe('findGaps against the data set manifest (gaps counted when the data was collected)', () => {
  const files = ['binance_BTCUSDT_1h', 'binance_BTCUSDT_4h', 'binance_BTCUSDT_5m_2023-03', 'fx_EURUSD_1h', 'nasdaq_GOOG_1d'];
  for (const name of files) {
    it(name, () => {
      const entry = manifest.find((e) => e.file === `${name}.csv`)!;
      const gaps = findGaps(loadSampleCandles(name), entry.timeframe);
      expect(gaps).toHaveLength(entry.gap_count);
      expect(countMissing(gaps)).toBe(entry.missing_candles);
      const largest = [...gaps].sort((a, b) => b.missing - a.missing || a.afterTs - b.afterTs)[0];
      expect({ after: iso(largest.afterTs), before: iso(largest.beforeTs), missing: largest.missing }).toEqual(entry.largest_gaps[0]);
    });
  }

  it('describes a hand-made gap by its first and last missing candle', () => {
    const H = 3_600_000;
    const gaps = findGaps([{ ts: 0 }, { ts: H }, { ts: 5 * H }, { ts: 6 * H }], '1h');
    expect(gaps).toEqual([{ afterTs: H, beforeTs: 5 * H, firstMissingTs: 2 * H, lastMissingTs: 4 * H, missing: 3 }]);
  });
});

describe('findDuplicates', () => {
  const k = (ts: number, close = 1): Candle => ({ ts, open: 1, high: 2, low: 0.5, close, volume: 1 });

  it('finds none in real data', () => {
    expect(findDuplicates(loadSampleCandles('binance_BTCUSDT_1h_2024-07'))).toEqual([]);
  });

  it('finds repeats wherever they are and flags conflicting values', () => {
    expect(findDuplicates([k(1), k(2), k(1), k(3), k(2, 9)])).toEqual([
      { ts: 1, firstIndex: 0, index: 2, conflicting: false },
      { ts: 2, firstIndex: 1, index: 4, conflicting: true },
    ]);
  });
});

describe('feedStatus', () => {
  const H = 3_600_000;
  const noon = Date.UTC(2024, 0, 1, 12);

  it('is fresh when the candle that closed at the start of this hour is stored', () => {
    // At 12:30 the newest closed 1h candle is 11:00-12:00.
    const status = feedStatus(noon - H, '1h', noon + 30 * 60_000, 120_000);
    expect(status).toMatchObject({ stale: false, expectedTs: noon - H, behind: 0, ageMs: 30 * 60_000 });
  });

  it('tolerates the grace period after a close, then turns stale', () => {
    // Last stored 10:00-11:00; at 12:01 the 11:00 candle is 1 min late: within a 2 min grace.
    expect(feedStatus(noon - 2 * H, '1h', noon + 60_000, 120_000)).toMatchObject({ stale: false, behind: 1 });
    expect(feedStatus(noon - 2 * H, '1h', noon + 180_000, 120_000)).toMatchObject({ stale: true, behind: 1 });
  });

  it('is stale with nothing stored', () => {
    expect(feedStatus(undefined, '15m', noon).stale).toBe(true);
  });
});
