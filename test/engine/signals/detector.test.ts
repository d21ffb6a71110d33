import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSetupsDir, loadSetupFile } from '../../../src/engine/setups/index.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import { DEFAULT_COST_MODEL } from '../../../src/engine/signals/costs.ts';
import type { MarketKey } from '../../../src/engine/types.ts';
import { loadSampleCandles, REFERENCE, ROOT } from '../../helpers/candles.ts';

const SETUPS = path.join(ROOT, 'setups');

describe('detector', () => {
  it('SMA 10/30 crossovers on GOOG fall exactly one bar before every backtesting.py entry', () => {
    // backtesting.py decides on bar t's close and enters at bar t+1's open; its 66 trades are our 66 signals.
    const candles = loadSampleCandles('nasdaq_GOOG_1d');
    const setup = loadSetupFile(path.join(SETUPS, 'sma_cross.yaml'));
    const market: MarketKey = { exchange: 'nasdaq', symbol: 'GOOG', timeframe: '1d' };
    const signals = detectSignals(candles, { market, setups: [setup] });
    const rows = readFileSync(path.join(REFERENCE, 'backtesting_py/trades_test_smacross_10_30_nocommission_finalized.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    const indexOf = new Map(candles.map((c, i) => [c.ts, i]));
    expect(signals.map((s) => indexOf.get(s.ts)! + 1)).toEqual(rows.map((r) => Number(r[1])));
    expect(signals.map((s) => s.side)).toEqual(rows.map((r) => (Number(r[0]) > 0 ? 'long' : 'short')));
  });

  it('is causal: signals up to candle t never change when later candles arrive', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_15m').slice(0, 6000);
    const { setups } = loadSetupsDir(SETUPS);
    const market: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '15m' };
    const full = detectSignals(candles, { market, setups });
    expect(full.length).toBeGreaterThan(50);
    for (const cut of [500, 1777, 3001, 4500, 5999]) {
      const truncated = detectSignals(candles.slice(0, cut), { market, setups });
      const expected = full.filter((s) => s.ts < candles[cut].ts);
      expect(truncated).toEqual(expected);
    }
  });

  it('gives every signal a consistent plan, a score in 0–10 and a validity', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_4h');
    const { setups } = loadSetupsDir(SETUPS);
    const signals = detectSignals(candles, { market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '4h' }, setups });
    expect(signals.length).toBeGreaterThan(20);
    for (const s of signals) {
      const sign = s.side === 'long' ? 1 : -1;
      expect(sign * (s.entry - s.stop), s.id).toBeGreaterThan(0);
      for (const t of s.targets) expect(sign * (t.price - s.entry), s.id).toBeGreaterThan(0);
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(10);
      expect(s.validUntil).toBeGreaterThan(s.ts);
      expect(s.id).toContain(`${s.setupId}@${s.setupVersion}`);
    }
  });

  it('ATR stops use the TA-Lib ATR of the signal candle', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_1d').slice(0, 500);
    const talib = JSON.parse(readFileSync(path.join(REFERENCE, 'indicators/talib_binance_BTCUSDT_1d_first500.json'), 'utf8'));
    const atr: (number | null)[] = Object.values(talib.indicators.ATR_14.outputs)[0] as (number | null)[];
    expect(Array.isArray(atr)).toBe(true);
    const setup = { ...loadSetupFile(path.join(SETUPS, 'sma_cross.yaml')) };
    const signals = detectSignals(candles, { market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1d' }, setups: [setup] });
    expect(signals.length).toBeGreaterThan(5);
    const indexOf = new Map(candles.map((c, i) => [c.ts, i]));
    for (const s of signals) {
      const i = indexOf.get(s.ts)!;
      const expectedStop = s.entry + (s.side === 'long' ? -3 : 3) * (atr[i] as number);
      expect(s.stop).toBeCloseTo(expectedStop, 6);
    }
  });

  it('puts the costs of its account on every signal (default: the paper 0.1 % per side)', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_4h').slice(0, 3000);
    const setups = [loadSetupFile(path.join(SETUPS, 'breakout_4h.yaml'))];
    const market: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '4h' };
    const paper = detectSignals(candles, { market, setups });
    const model = { makerFee: 0.0002, takerFee: 0.0005, slippage: 0.0005 };
    const perp = detectSignals(candles, { market, setups, costs: model });
    expect(paper.length).toBeGreaterThan(5);
    expect(perp.map((s) => s.id)).toEqual(paper.map((s) => s.id));
    for (const [i, s] of paper.entries()) {
      expect(s.costs?.model).toEqual(DEFAULT_COST_MODEL);
      expect(perp[i].costs?.model).toEqual(model);
      // Market entry, stop exit: taker fee on both fills at 0.1 %: (entry + stop) × 0.001 / |entry − stop|.
      const expected = ((s.entry + s.stop) * 0.001) / Math.abs(s.entry - s.stop);
      expect(s.costs!.stopCostR).toBeCloseTo(expected, 9);
    }
  });
});
