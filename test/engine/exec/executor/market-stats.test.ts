/**
 * The governor's market statistics over real candles: the ATR percentile from the incremental ring equals
 * atrPercentile over the last 720 finite ATR(14) values kept in a plain list, at every point of the series, and a
 * candle fed twice (restart, duplicate feed) changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { loadSampleCandles } from '../../../helpers/candles.ts';
import { MarketStats, DEFAULT_INSTRUMENT } from '../../../../src/engine/exec/executor/market-stats.ts';
import { AtrKernel } from '../../../../src/engine/indicators/index.ts';
import { atrPercentile, loadGovernance } from '../../../../src/engine/risk/index.ts';

describe('MarketStats ATR percentile', () => {
  const candles = loadSampleCandles('binance_BTCUSDT_1h').slice(0, 3000);
  const market = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };
  const g = loadGovernance();

  it('matches atrPercentile over the last 720 values at every candle', () => {
    const stats = new MarketStats();
    const kernel = new AtrKernel(14);
    const kept: number[] = [];
    for (let i = 0; i < candles.length; i++) {
      const c = candles[i];
      stats.observe(market, c);
      const atr = kernel.push(c.high, c.low, c.close);
      if (Number.isFinite(atr)) {
        kept.push(atr);
        if (kept.length > 720) kept.shift();
      }
      if (i % 7 === 0 || i === candles.length - 1) {
        const state = stats.marketState('BTC/USDT', '1h', [], g, DEFAULT_INSTRUMENT, c.close);
        expect(state.atrThreshold).toBe(atrPercentile(kept, g.risk.atrPercentile));
        expect(state.atr).toBe(atr);
      }
    }
    expect(kept.length).toBe(720);
  });

  it('ignores a candle it has already seen', () => {
    const stats = new MarketStats();
    for (const c of candles.slice(0, 100)) stats.observe(market, c);
    const before = stats.marketState('BTC/USDT', '1h', [], g, DEFAULT_INSTRUMENT, 1);
    stats.observe(market, candles[99]);
    stats.observe({ ...market }, candles[50]);
    expect(stats.marketState('BTC/USDT', '1h', [], g, DEFAULT_INSTRUMENT, 1)).toEqual(before);
  });
});
