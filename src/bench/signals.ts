/**
 * Detector bench: every shipped setup evaluated candle by candle exactly as the live path does (indicators, pattern
 * state, conditions, planning, scoring), over a year of 15m and ~66k 1m candles; and the one-candle-close scan of
 * 50 markets x 3 timeframes (I/O excluded) that bounds the live latency.
 */
import path from 'node:path';
import type { Candle, Timeframe } from '../engine/types.ts';
import { readCandlesFromCsv } from '../engine/market/csv/read-candles.ts';
import { resampleCandles } from '../engine/market/resample.ts';
import { loadSetupsDir, type Setup } from '../engine/setups/index.ts';
import { MarketDetector } from '../engine/signals/detector.ts';
import { median, medianMs, percentile, type BenchLine, type BenchSection } from './timing.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The 1m sample has no shipped setup of its own timeframe; run every setup on it as if it were 1m. */
function asTimeframe(setups: Setup[], tf: Timeframe): Setup[] {
  return setups.map((s) => ({ ...s, timeframe: tf, context: s.context && { ...s.context, timeframe: '15m' as Timeframe } }));
}

function runDetector(candles: readonly Candle[], setups: Setup[], tf: Timeframe): number {
  const detector = new MarketDetector({ market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: tf }, setups });
  let signals = 0;
  for (const candle of candles) signals += detector.update(candle).length;
  return signals;
}

export const sections: BenchSection[] = [
  {
    title: 'detector',
    async run({ quick, log }) {
      const { setups } = loadSetupsDir(path.join(ROOT, 'setups'));
      const lines: BenchLine[] = [];
      const m15 = readCandlesFromCsv(path.join(ROOT, 'data/samples/binance_BTCUSDT_15m.csv'));
      const m15Setups = setups.filter((s) => s.timeframe === '15m');
      let signals = 0;
      const ms15 = await medianMs(quick ? 1 : 3, () => (signals = runDetector(m15, m15Setups, '15m')));
      log(`detector 15m: ${m15Setups.length} setups, ${signals} signals`);
      lines.push({
        name: `detector: ${m15Setups.length} shipped 15m setups, ${m15.length.toLocaleString('en-US')} candles (1 year)`,
        value: Math.round(m15.length / (ms15 / 1000)),
        unit: 'candles/s',
        note: `median ${ms15.toFixed(0)} ms per year, ${signals} signals`,
      });

      const m1 = readCandlesFromCsv(path.join(ROOT, 'data/samples/binance_BTCUSDT_1m.csv'));
      const all = asTimeframe(setups, '1m');
      const ms1 = await medianMs(quick ? 1 : 3, () => (signals = runDetector(m1, all, '1m')));
      lines.push({
        name: `detector: all ${all.length} setups on 1m, ${m1.length.toLocaleString('en-US')} candles`,
        value: Math.round(m1.length / (ms1 / 1000)),
        unit: 'candles/s',
        note: `median ${ms1.toFixed(0)} ms, ${signals} signals`,
      });

      // 150 warmed-up detectors (50 markets x 15m/1h/4h); then time the work of one candle close across all of them.
      const series: Record<string, Candle[]> = { '15m': m15, '1h': resampleCandles(m15, '15m', '1h'), '4h': resampleCandles(m15, '15m', '4h') };
      const warm = quick ? 300 : 600;
      const detectors: { detector: MarketDetector; candles: Candle[] }[] = [];
      for (let market = 0; market < 50; market++) {
        for (const tf of ['15m', '1h', '4h'] as const) {
          const candles = series[tf];
          // Each market starts at a different offset so the 50 are not in lock-step.
          const offset = (market * 37) % (candles.length - warm - 60);
          const detector = new MarketDetector({ market: { exchange: 'binance', symbol: `M${market}/USDT`, timeframe: tf }, setups });
          for (const candle of candles.slice(offset, offset + warm)) detector.update(candle);
          detectors.push({ detector, candles: candles.slice(offset + warm, offset + warm + 60) });
        }
      }
      log(`scan: ${detectors.length} detectors warmed up`);
      const scans: number[] = [];
      for (let step = 0; step < (quick ? 10 : 40); step++) {
        const start = process.hrtime.bigint();
        for (const { detector, candles } of detectors) detector.update(candles[step]);
        scans.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      lines.push({
        name: 'scan: 50 markets x 3 timeframes x all setups, one candle close',
        value: median(scans),
        unit: 'ms (median)',
        target: '< 50 ms',
        note: `p95 ${percentile(scans, 95).toFixed(1)} ms, excluding I/O`,
      });
      return lines;
    },
  },
];
