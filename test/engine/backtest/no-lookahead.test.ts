/**
 * No look-ahead: cutting the data after candle t must not change any trade opened before t; only trades still
 * open at t may end differently (they are force-closed at the cut).
 */
import { describe, expect, it } from 'vitest';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { computeIndicator, toSeries } from '../../../src/engine/indicators/index.ts';
import { crossover } from '../../../src/engine/backtest/compat.ts';
import { runBacktest } from '../../../src/engine/backtest/runner.ts';
import type { Candle, Signal } from '../../../src/engine/types.ts';
import type { SignalSource, TradeRecord } from '../../../src/engine/backtest/types.ts';
import { signal } from './helpers.ts';

const KEY = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };
const all = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 3000);

/** EMA 9/21 cross with a 1.5 ATR stop and a limit entry half an ATR better, valid 3 bars: every feature in play. */
function source(candles: Candle[]): SignalSource {
  const s = toSeries(candles);
  const fast = Object.values(computeIndicator('ema:9', s))[0];
  const slow = Object.values(computeIndicator('ema:21', s))[0];
  const atr = Object.values(computeIndicator('atr:14', s))[0];
  return {
    onCandle(_m, i, c): Signal[] {
      const a = atr[i];
      if (!(a > 0)) return [];
      const side = crossover(fast, slow, i) ? 'long' : crossover(slow, fast, i) ? 'short' : null;
      if (side === null) return [];
      const dir = side === 'long' ? 1 : -1;
      const limit = i % 2 === 0;
      const entry = limit ? c.close - dir * 0.5 * a : c.close;
      return [signal({ side, ts: c.ts, id: `x${i}`, entryType: limit ? 'limit' : 'market', entry, stop: entry - dir * 1.5 * a, validUntil: c.ts + 3 * 3_600_000, context: { atr: a } })];
    },
  };
}

function run(candles: Candle[]) {
  return runBacktest({ markets: [{ key: KEY, candles }], signalSource: source(candles), initialCash: 10_000, fees: { maker: 0.0002, taker: 0.0005 }, slippage: { bps: 2 } });
}

const entryOf = (t: TradeRecord) => [t.signalId, t.entryBar, t.entryPrice, t.size];

describe('no look-ahead', () => {
  const full = run(all);
  it('the strategy trades enough for the check to mean something', () => {
    expect(full.trades.length).toBeGreaterThan(40);
    expect(new Set(full.trades.map((t) => t.exitReason)).size).toBeGreaterThan(2);
  });
  for (const cut of [500, 1234, 2222]) {
    it(`truncating after candle ${cut} keeps every earlier entry and every exit before the cut`, () => {
      const part = run(all.slice(0, cut + 1));
      const before = full.trades.filter((t) => t.entryBar < cut);
      expect(part.trades.map(entryOf)).toEqual(before.map(entryOf));
      const closedBefore = (t: TradeRecord) => t.exitBar < cut;
      expect(part.trades.filter(closedBefore)).toEqual(before.filter(closedBefore));
      const equityBefore = Array.from(part.equity.equity.slice(0, cut));
      expect(equityBefore).toEqual(Array.from(full.equity.equity.slice(0, cut)));
    });
  }
});
