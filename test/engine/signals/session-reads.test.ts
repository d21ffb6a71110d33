/**
 * Session rules and session levels, against a reference computed here from the raw candles and Intl's New York wall
 * clock: long when the close crosses above the high of the latest Asian kill zone (20:00-00:00 New York) during the
 * London open kill zone (02:00-05:00 New York); short below its low during the New York open kill zone (07:00-10:00).
 */
import { describe, expect, it } from 'vitest';
import { parseSetup } from '../../../src/engine/setups/index.ts';
import { MarketDetector } from '../../../src/engine/signals/detector.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const setup = parseSetup(
  `id: session_reads
name: session_reads
description: Asian kill zone range broken in the London / New York open kill zones
rationale: test of session conditions and session levels
timeframe: 15m
indicators: { atr: "atr:14" }
rules:
  long: { all: [{ session: [london_kill_zone] }, { crosses_above: [close, asia_kill_zone_high] }] }
  short: { all: [{ session: [new_york_kill_zone, london_close_kill_zone] }, { crosses_below: [close, asia_kill_zone_low] }] }
stop: { type: percent, pct: 1 }
targets: [{ r: 1 }]
validity: { bars: 1 }
`,
  'session_reads.yaml',
);

const newYork = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', hour: 'numeric', minute: 'numeric' });
function newYorkMinute(ts: number): number {
  const parts = newYork.formatToParts(ts);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return get('hour') * 60 + get('minute');
}

describe('session conditions and session levels', () => {
  it('signal exactly where the reference says', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_15m').slice(0, 12_000);
    // Reference: the running (then last) high / low of the Asian kill zone, and the kill zone each candle opens in.
    const high: number[] = [];
    const low: number[] = [];
    const londonOpen: boolean[] = [];
    const newYorkOpen: boolean[] = [];
    let h = NaN;
    let l = NaN;
    let wasInside = false;
    for (const c of candles) {
      const minute = newYorkMinute(c.ts);
      const inside = minute >= 20 * 60;
      if (inside && !wasInside) [h, l] = [c.high, c.low];
      else if (inside) [h, l] = [Math.max(h, c.high), Math.min(l, c.low)];
      wasInside = inside;
      high.push(h);
      low.push(l);
      londonOpen.push(minute >= 120 && minute < 300);
      newYorkOpen.push(minute >= 420 && minute < 720);
    }
    const expected: string[] = [];
    const last = { long: -Infinity, short: -Infinity };
    for (let i = 1; i < candles.length; i++) {
      const [c0, c1] = [candles[i - 1].close, candles[i].close];
      if (i - last.long > 1 && londonOpen[i] && c0 - high[i - 1] < 0 && c1 - high[i] > 0) {
        expected.push(`${candles[i].ts}:long`);
        last.long = i;
      }
      if (i - last.short > 1 && newYorkOpen[i] && c0 - low[i - 1] > 0 && c1 - low[i] < 0) {
        expected.push(`${candles[i].ts}:short`);
        last.short = i;
      }
    }
    const detector = new MarketDetector({ market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '15m' }, setups: [setup], describeContext: false });
    const got: string[] = [];
    for (const c of candles) for (const s of detector.update(c)) got.push(`${s.ts}:${s.side}`);
    expect(expected.filter((e) => e.endsWith('long')).length).toBeGreaterThan(5);
    expect(expected.filter((e) => e.endsWith('short')).length).toBeGreaterThan(5);
    expect(got).toEqual(expected);
  });
});
