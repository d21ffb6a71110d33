/**
 * Behaviour of the shipped setups on real data: the detector's signals equal a direct reading of each setup's rules
 * over batch indicator arrays (checked against TA-Lib in test/engine/indicators) and the pattern engine's events
 * (checked against smart-money-concepts in test/engine/patterns), written out here by hand, not through the setup DSL.
 * sma_cross is checked against backtesting.py in test/engine/signals/detector.test.ts; fvg_retrace and
 * london_breakout (rules and side-relative criteria) in test/engine/signals/side-relative.test.ts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSetupFile } from '../../../src/engine/setups/index.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import { computeIndicator, toSeries } from '../../../src/engine/indicators/index.ts';
import type { Candle, Side, Timeframe } from '../../../src/engine/types.ts';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';
import { PatternEngine, type PatternEvent } from '../../../src/engine/patterns/index.ts';

const ind = (spec: string, candles: Candle[], output?: string): Float64Array => {
  const arrays = computeIndicator(spec, toSeries(candles));
  return output ? arrays[`${spec}.${output}`] : Object.values(arrays)[0];
};

/** Signals a rule gives with the detector's "one idea per validity window" rule: after a signal, `validity` candles pass. */
function expectedSignals(n: number, validity: number, rule: (i: number, side: Side) => boolean): string[] {
  const out: string[] = [];
  for (const side of ['long', 'short'] as const) {
    let last = -Infinity;
    for (let i = 1; i < n; i++) {
      if (i - last <= validity) continue;
      if (rule(i, side)) {
        out.push(`${i}:${side}`);
        last = i;
      }
    }
  }
  return out.sort();
}

function detected(id: string, file: string, timeframe: Timeframe) {
  const candles = loadSampleCandles(file);
  const setup = loadSetupFile(path.join(ROOT, 'setups', `${id}.yaml`));
  const signals = detectSignals(candles, { market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe }, setups: [setup] });
  const indexOf = new Map(candles.map((c, i) => [c.ts, i]));
  return { candles, signals, keys: signals.map((s) => `${indexOf.get(s.ts)}:${s.side}`).sort(), indexOf };
}

/** Stop: `mult` ATR from the close, but at least `minPct` % of it (the re-tuned floor). */
function expectStops(d: ReturnType<typeof detected>, atr: Float64Array, mult: number, minPct: number) {
  for (const s of d.signals) {
    const i = d.indexOf.get(s.ts)!;
    const close = d.candles[i].close;
    const distance = Math.max(mult * atr[i], (close * minPct) / 100);
    expect(s.stop, s.id).toBeCloseTo(close + (s.side === 'long' ? -distance : distance), 6);
    expect(s.costs!.stopCostR, s.id).toBeLessThanOrEqual(0.25);
  }
}

describe('shipped setups on real data', () => {
  it('ema_cross on BTC/USDT 1h: EMA 9/21 cross with price beyond a sloping EMA 200; stop 1.5 ATR, at least 1.5 %', () => {
    const d = detected('ema_cross', 'binance_BTCUSDT_1h_2024-07', '1h');
    const c = d.candles;
    const [fast, slow, trend, atr] = [ind('ema:9', c), ind('ema:21', c), ind('ema:200', c), ind('atr:14', c)];
    const expected = expectedSignals(c.length, 2, (i, side) => {
      const s = side === 'long' ? 1 : -1;
      return s * (fast[i - 1] - slow[i - 1]) < 0 && s * (fast[i] - slow[i]) > 0 && s * (c[i].close - trend[i]) > 0 && s * (trend[i] - trend[i - 5]) > 0;
    });
    expect(expected.length).toBeGreaterThan(30);
    expect(d.keys).toEqual(expected);
    expectStops(d, atr, 1.5, 1.5);
  });

  it('breakout_4h on BTC/USDT 4h: Donchian 20 breakout beyond the 55 middle, ADX > 20, EMA 200 sloping; stop 2 ATR', () => {
    const d = detected('breakout_4h', 'binance_BTCUSDT_4h', '4h');
    const c = d.candles;
    const up = ind('donchian:20', c, 'upper');
    const low = ind('donchian:20', c, 'lower');
    const mid = ind('donchian:55', c, 'middle');
    const adx = ind('adx:14', c, 'adx');
    const ema = ind('ema:200', c);
    const atr = ind('atr:14', c);
    const expected = expectedSignals(c.length, 1, (i, side) =>
      side === 'long'
        ? c[i].close > up[i - 1] && c[i].close > mid[i] && adx[i] > 20 && ema[i] > ema[i - 5]
        : c[i].close < low[i - 1] && c[i].close < mid[i] && adx[i] > 20 && ema[i] < ema[i - 5],
    );
    expect(expected.length).toBeGreaterThan(100);
    expect(d.keys).toEqual(expected);
    for (const s of d.signals) expect(Math.abs(s.entry - s.stop), s.id).toBeCloseTo(2 * atr[d.indexOf.get(s.ts)!], 6);
  });

  it('range_rev on BTC/USDT 15m: close beyond a Bollinger band with RSI stretched in a quiet range; stop 1 ATR, at least 1 %', () => {
    const d = detected('range_rev', 'binance_BTCUSDT_15m', '15m');
    const c = d.candles;
    const [upper, lower] = [ind('bb:20:2', c, 'upper'), ind('bb:20:2', c, 'lower')];
    const [rsi, adx, atr, median] = [ind('rsi:14', c), ind('adx:14', c, 'adx'), ind('atr:14', c), ind('quantile:200:0.5:atr:14', c)];
    const expected = expectedSignals(c.length, 2, (i, side) =>
      adx[i] < 20 && atr[i] < median[i] && (side === 'long' ? c[i].close < lower[i] && rsi[i] < 30 : c[i].close > upper[i] && rsi[i] > 70),
    );
    expect(expected.length).toBeGreaterThan(20);
    expect(d.keys).toEqual(expected);
    expectStops(d, atr, 1, 1);
  }, 30_000);

  it('vol_exp on BTC/USDT 15m: ATR and volume above their 96-bar 0.8 quantile, candle beyond EMA 21, London / New York hours', () => {
    const d = detected('vol_exp', 'binance_BTCUSDT_15m', '15m');
    const c = d.candles;
    const [atr, atrQ, volQ, ema] = [ind('atr:14', c), ind('quantile:96:0.8:atr:14', c), ind('quantile:96:0.8:volume', c), ind('ema:21', c)];
    // Sessions by the wall clock of each city, 08:00-17:00 local (daylight saving included), at the candle's open.
    const hourIn = (zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const [london, newYork] = [hourIn('Europe/London'), hourIn('America/New_York')];
    const inHours = (f: Intl.DateTimeFormat, ts: number) => {
      const [h, m] = f.format(ts).split(':').map(Number);
      return h * 60 + m >= 8 * 60 && h * 60 + m < 17 * 60;
    };
    const expected = expectedSignals(c.length, 1, (i, side) => {
      const s = side === 'long' ? 1 : -1;
      const session = inHours(london, c[i].ts) || inHours(newYork, c[i].ts);
      return session && atr[i] > atrQ[i] && c[i].volume > volQ[i] && s * (c[i].close - c[i].open) > 0 && s * (c[i].close - ema[i]) > 0;
    });
    expect(expected.length).toBeGreaterThan(200);
    expect(d.keys).toEqual(expected);
    expectStops(d, atr, 1.5, 1.5);
  }, 60_000);

  it('sweep_choch on BTC/USDT 15m: a change of character within 10 bars of a sweep the other way; stop beyond the swing, at least 1 %', () => {
    const d = detected('sweep_choch', 'binance_BTCUSDT_15m', '15m');
    const c = d.candles;
    const atr = ind('atr:14', c);
    const engine = new PatternEngine({ swings: { left: 5, right: 5 }, liquidity: { tolerance: { mode: 'atr', multiple: 0.1 } } });
    const events: PatternEvent[][] = [];
    const swings: { low?: number; high?: number }[] = [];
    for (const candle of c) {
      events.push([...engine.update(candle)]);
      const state = engine.state();
      swings.push({ low: state.lastSwingLow?.level, high: state.lastSwingHigh?.level });
    }
    // A pool of equal lows swept is the engine's "bearish" sweep; a long needs one in the last 10 bars and a bullish CHoCH now.
    const sweptWithin = (i: number, direction: 'bullish' | 'bearish') =>
      events.slice(Math.max(0, i - 10), i + 1).some((list) => list.some((e) => e.kind === 'liquidity-sweep' && e.label === 'sweep' && e.direction === direction));
    const expected = expectedSignals(c.length, 3, (i, side) => {
      const long = side === 'long';
      const choch = events[i].some((e) => e.kind === 'choch' && e.direction === (long ? 'bullish' : 'bearish'));
      const swing = long ? swings[i].low : swings[i].high;
      // The plan needs a swing on the right side of the close.
      return choch && sweptWithin(i, long ? 'bearish' : 'bullish') && swing !== undefined && (long ? swing < c[i].close : swing > c[i].close);
    });
    expect(expected.length).toBeGreaterThan(3);
    expect(d.keys).toEqual(expected);
    for (const s of d.signals) {
      const i = d.indexOf.get(s.ts)!;
      const long = s.side === 'long';
      const beyondSwing = long ? swings[i].low! - 0.2 * atr[i] : swings[i].high! + 0.2 * atr[i];
      const floor = c[i].close * (long ? 0.99 : 1.01);
      expect(s.stop, s.id).toBeCloseTo(long ? Math.min(beyondSwing, floor) : Math.max(beyondSwing, floor), 6);
    }
  }, 60_000);
});
