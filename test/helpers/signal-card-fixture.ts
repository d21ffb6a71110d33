/**
 * A realistic signal card for the screenshot test and for looking at it by hand: bundled BTC/USDT 1h candles, a
 * shipped setup's annotations (as the detector's chart spec builds them) and a long signal on the last candle.
 */
import path from 'node:path';
import { loadSetupsDir } from '../../src/engine/setups/index.ts';
import { buildSignalChartSpec } from '../../src/engine/signals/chart-spec.ts';
import type { Signal } from '../../src/engine/types.ts';
import { loadSampleCandles } from './candles.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export function signalCardFixture(setupId = 'london_breakout', end = 400) {
  const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, end);
  const setup = loadSetupsDir(path.join(ROOT, 'setups')).setups.find((s) => s.id === setupId)!;
  const last = candles[candles.length - 1];
  const risk = last.close * 0.006;
  const signal: Signal = {
    id: `${setupId}@${setup.version}:binance:BTC/USDT:1h:${last.ts}:long`, setupId, setupVersion: setup.version, setupName: setup.name,
    exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', side: 'long', ts: last.ts, entryType: 'market', entry: last.close,
    stop: last.close - risk,
    targets: [1, 2, 3].map((r) => ({ price: last.close + r * risk, r, closeFraction: 1 / 3 })),
    rr: 3, score: 7.4, rank: 1,
    reasons: { strengths: ['London kill zone breakout above the Asian high', 'history: 38 trades, win rate 47%, expectancy +0.31R'], weaknesses: ['ADX only moderate'] },
    context: { close: last.close, atr: 269.1715533557564, structure: 'bullish', sessions: 'London' },
    validUntil: last.ts + 2 * 3_600_000,
    costs: { model: { makerFee: 0.001, takerFee: 0.001, slippage: 0.0005 }, stopCostR: 0.42, netRR: 2.27, netTargetR: [0.57, 1.42, 2.27] },
  };
  return { candles, setup, signal, spec: buildSignalChartSpec(signal, candles, setup) };
}
