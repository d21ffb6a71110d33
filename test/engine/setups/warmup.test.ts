import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSetupsDir, parseSetup } from '../../../src/engine/setups/index.ts';
import { settleCandles, warmupCandles } from '../../../src/engine/setups/warmup.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import type { Signal } from '../../../src/engine/types.ts';
import type { Setup } from '../../../src/engine/setups/loader.ts';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';

const { setups } = loadSetupsDir(path.join(ROOT, 'setups'));
const DATA: Record<string, string> = { '15m': 'binance_BTCUSDT_15m', '1h': 'binance_BTCUSDT_1h', '4h': 'binance_BTCUSDT_4h', '1d': 'binance_BTCUSDT_1d' };

const setup = (body: string, timeframe = '15m') =>
  parseSetup(
    `id: w
name: w
description: warm-up test
rationale: a setup written only to check the warm-up arithmetic
timeframe: ${timeframe}
${body}
stop: { type: percent, pct: 2 }
targets: [{ r: 2 }]
validity: { bars: 3 }
`,
    'w.yaml',
  );

/** What a signal is, for comparison: identity exact, prices to 1e-6 relative (recursive indicators keep a 1e-6 seed weight). */
const shape = (s: Signal) => ({ id: s.id, score: s.score, entry: s.entry, stop: s.stop, targets: s.targets.map((t) => t.price) });

/** Signals of detectors started `warmup` candles before three start points versus one that saw everything. */
function compareWarmStarts(s: Setup, warmup: number): { mismatch?: string; compared: number } {
  const candles = loadSampleCandles(DATA[s.timeframe]);
  const market = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: s.timeframe };
  const full = detectSignals(candles, { market, setups: [s] });
  let compared = 0;
  for (const fraction of [0.45, 0.7, 0.9]) {
    const start = Math.max(warmup, Math.floor(candles.length * fraction));
    if (start >= candles.length) continue;
    const from = candles[start].ts;
    const to = candles[Math.min(candles.length - 1, start + 6000)].ts;
    const warmed = detectSignals(candles.slice(start - warmup), { market, setups: [s], from, to }).map(shape);
    const expected = full.filter((x) => x.ts >= from && x.ts < to).map(shape);
    const at = new Date(from).toISOString();
    if (warmed.length !== expected.length) return { mismatch: `${at}: ${warmed.length} signals instead of ${expected.length}`, compared };
    for (const [i, have] of warmed.entries()) {
      const want = expected[i];
      if (have.id !== want.id || have.score !== want.score) return { mismatch: `${at}: ${have.id} (${have.score}) instead of ${want.id} (${want.score})`, compared };
      for (const key of ['entry', 'stop'] as const) {
        if (Math.abs(have[key] - want[key]) / want[key] > 1e-6) return { mismatch: `${at}: ${have.id} ${key} ${have[key]} instead of ${want[key]}`, compared };
      }
    }
    compared += expected.length;
  }
  return { compared };
}

describe('warmupCandles', () => {
  it('follows the documented rule (hand-computed)', () => {
    // EMA: α = 2/(N+1); k = ⌈ln 1e-6 / ln(1 − α)⌉. N = 50: ln(1e-6) = −13.8155, ln(1 − 2/51) = −0.040005 → k = 346.
    expect(settleCandles(2 / 51)).toBe(346);
    // SMA 20 on 15m: 20 candles + 0 (deepest @N) + 1 (a cross's previous candle) + validity 3 + 1 = 25.
    expect(warmupCandles([setup('indicators: { s: "sma:20" }\nrules: { long: { gt: [close, s] } }')], '15m')).toBe(25);
    // EMA 50 on 15m: 50 + 346 + 1 + 3 + 1 = 401.
    expect(warmupCandles([setup('indicators: { e: "ema:50" }\nrules: { long: { gt: [close, e] } }')], '15m')).toBe(401);
    // A 4h EMA 50 behind a 15m setup: (50 + 346 + 0 (deepest @N) + 1 (a cross's previous candle) + 1 (the first,
    // incomplete 4h period)) × 16 + 3 + 1 = 6372 (the base EMA-free part needs only 0 + 1 candles).
    expect(warmupCandles([setup('context: { timeframe: 4h, indicators: { e: "ema:50" } }\nrules: { long: { gt: [close, htf.e] } }')], '15m')).toBe(6372);
    // Not for setups of another timeframe.
    expect(warmupCandles([setup('indicators: { s: "sma:20" }\nrules: { long: { gt: [close, s] } }')], '1h')).toBe(0);
  });

  for (const s of setups) {
    it(`${s.id}: a detector warmed with warmupCandles candles gives the signals of one that saw the whole history`, () => {
      const { mismatch, compared } = compareWarmStarts(s, warmupCandles([s], s.timeframe));
      expect(mismatch).toBeUndefined();
      expect(compared, `${s.id}: signals compared`).toBeGreaterThan(s.timeframe === '1d' ? 0 : 5);
    }, 60_000);
  }

  it('a 15m rule on a 4h EMA 50 matches with warmupCandles, and not with the old fixed 1,000 candles (62 4h candles)', () => {
    const ctxEma = setup('context: { timeframe: 4h, indicators: { e: "ema:50" } }\nrules: { long: { crosses_above: [close, htf.e] }, short: { crosses_below: [close, htf.e] } }');
    expect(warmupCandles([ctxEma], '15m')).toBe(6372);
    const computed = compareWarmStarts(ctxEma, warmupCandles([ctxEma], '15m'));
    expect(computed.mismatch).toBeUndefined();
    expect(computed.compared).toBeGreaterThan(50);
    expect(compareWarmStarts(ctxEma, 1000).mismatch).toBeDefined();
  }, 60_000);
});
