/**
 * The shipped setups are not fee-dominated: none of the signals scoring ≥ 7 they give on the two files costs
 * more than 0.25 R when stopped at 0.1 % per side, before the signal policy filters anything (both sides, as on a
 * perpetual account). Before the re-tune: 832 of 1,042 on BTC/USDT 15m.
 */
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSetupsDir } from '../../../src/engine/setups/index.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import { resampleCandles } from '../../../src/engine/market/resample.ts';
import { timeframeMs } from '../../../src/engine/market/timeframes.ts';
import type { Candle, Signal, Timeframe } from '../../../src/engine/types.ts';
import { ROOT, samplePath } from '../../helpers/candles.ts';

/** BTC 15m ships in data/samples (a copy of the shared file); ETH 1h only in the shared data folder beside the repo. */
const FILES = { 'binance_BTCUSDT_15m.csv': samplePath('binance_BTCUSDT_15m'), 'binance_ETHUSDT_1h.csv': path.join(ROOT, '../shared/data/binance_ETHUSDT_1h.csv') };
const { setups } = loadSetupsDir(path.join(ROOT, 'setups'));

function read(file: string): Candle[] {
  return readFileSync(FILES[file as keyof typeof FILES], 'utf8').trim().split('\n').slice(1).map((line) => {
    const [ts, open, high, low, close, volume] = line.split(',').map(Number);
    return { ts, open, high, low, close, volume };
  });
}

/** What `ita detect --setup all` runs on a file: every setup whose timeframe can be built from it. */
function detectAll(file: string, fileTf: Timeframe, symbol: string): Signal[] {
  const candles = read(file);
  const out: Signal[] = [];
  for (const tf of new Set(setups.map((s) => s.timeframe))) {
    if (timeframeMs(tf) % timeframeMs(fileTf) !== 0) continue;
    const series = tf === fileTf ? candles : resampleCandles(candles, fileTf, tf);
    out.push(...detectSignals(series, { market: { exchange: 'binance', symbol, timeframe: tf }, setups: setups.filter((s) => s.timeframe === tf) }));
  }
  return out;
}

describe('shipped setups after the cost re-tune', () => {
  for (const [file, tf, symbol] of [['binance_BTCUSDT_15m.csv', '15m', 'BTC/USDT'], ['binance_ETHUSDT_1h.csv', '1h', 'ETH/USDT']] as const) {
    it.skipIf(!existsSync(FILES[file]))(`${file}: no signal scoring ≥ 7 costs more than 0.25 R when stopped at 0.1 % per side`, () => {
      const strong = detectAll(file, tf, symbol).filter((s) => s.score >= 7);
      expect(strong.length).toBeGreaterThan(100);
      // Hand rule at 0.1 % per side: a stopped trade pays entry × 0.001 + stop × 0.001 on a risk of |entry − stop|.
      const costly = strong.filter((s) => ((s.entry + s.stop) * 0.001) / Math.abs(s.entry - s.stop) > 0.25);
      expect(costly.map((s) => s.id)).toEqual([]);
    }, 60_000);
  }
});
