/** Fill model and position management on hand-computed candles (values worked out in the comments). */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/backtest/runner.ts';
import type { BacktestOptions } from '../../../src/engine/backtest/types.ts';
import { bars, HOUR, KEY, PLAIN, scripted, signal } from './helpers.ts';

const base = { initialCash: 10_000, sizing: { kind: 'risk' as const, riskFraction: 0.01 } };
const run = (o: Partial<BacktestOptions> & Pick<BacktestOptions, 'markets' | 'signalSource'>) => runBacktest({ ...base, ...o });

// Long at bar 0's close, stop 95 → fills at bar 1 open 100, risk 5/unit, 1 % of 10 000 = 100 → 20 units.
const longTo110 = signal({ side: 'long', entry: 100, stop: 95, targets: [{ price: 110, r: 2, closeFraction: 1 }] });
const entryBars: [number, number, number, number][] = [
  [99, 100, 98, 100],
  [100, 105, 99, 104],
];

describe('fills', () => {
  it('market entry fills at the next open; target fills at its price', () => {
    const candles = bars([...entryBars, [104, 111, 103, 110]]);
    const r = run({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [longTo110] }), management: PLAIN });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0];
    expect([t.entryBar, t.entryPrice, t.size, t.exitBar, t.exitPrice, t.exitReason]).toEqual([1, 100, 20, 2, 110, 'target']);
    expect(t.pnl).toBeCloseTo(200, 9);
    expect(t.rMultiple).toBeCloseTo(2, 9);
    expect(r.equity.equity.at(-1)).toBeCloseTo(10_200, 9);
  });

  it('a stop gapped through fills at the (worse) open', () => {
    const candles = bars([...entryBars, [90, 92, 88, 91]]);
    const r = run({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [longTo110] }), management: PLAIN });
    expect(r.trades[0].exitPrice).toBe(90);
    expect(r.trades[0].rMultiple).toBeCloseTo(-2, 9); // 20 × (90 − 100) = −200 = −2R
  });

  it('stop and target in one candle: stop first by default, target first on request, lower timeframe decides when given', () => {
    const candles = bars([...entryBars, [104, 111, 94, 100]]);
    const markets = [{ key: KEY, candles }];
    const src = scripted({ 0: [longTo110] });
    expect(run({ markets, signalSource: src, management: PLAIN }).trades[0].exitPrice).toBe(95);
    expect(run({ markets, signalSource: src, management: { ...PLAIN, intrabar: 'target-first' } }).trades[0].exitPrice).toBe(110);
    const up = bars([[104, 111, 103, 108], [108, 108, 94, 100]], 2 * HOUR, 30 * 60_000);
    expect(run({ markets: [{ key: KEY, candles, detail: up }], signalSource: src, management: PLAIN }).trades[0].exitPrice).toBe(110);
    const down = bars([[104, 104, 94, 96], [96, 111, 96, 100]], 2 * HOUR, 30 * 60_000);
    expect(run({ markets: [{ key: KEY, candles, detail: down }], signalSource: src, management: PLAIN }).trades[0].exitPrice).toBe(95);
  });

  it('fees and slippage: taker 0.1 %, 10 bps adverse on the market entry', () => {
    const candles = bars([...entryBars, [104, 111, 103, 110]]);
    const r = run({
      markets: [{ key: KEY, candles }],
      signalSource: scripted({ 0: [longTo110] }),
      management: PLAIN,
      fees: { maker: 0.0002, taker: 0.001 },
      slippage: { bps: 10 },
    });
    const t = r.trades[0];
    expect(t.entryPrice).toBeCloseTo(100.1, 9);
    // 1R net: 100 = units × (100.1 − 94.905 stop fill (10 bps) + 100.1 × 0.1 % entry fee + 94.905 × 0.1 % stop fee).
    const units = 100 / (100.1 - 94.905 + 0.1001 + 0.094905); // 18.9009…
    expect(t.size).toBeCloseTo(units, 9);
    const fees = units * 100.1 * 0.001 + units * 110 * 0.0002;
    expect(t.fees).toBeCloseTo(fees, 9);
    expect(t.pnl).toBeCloseTo(units * (110 - 100.1) - fees, 9);
  });

  it('short limit entry rests, fills when traded through, takes its target', () => {
    const short = signal({ side: 'short', entryType: 'limit', entry: 105, stop: 110, validUntil: 5 * HOUR, targets: [{ price: 95, r: 2, closeFraction: 1 }] });
    const candles = bars([[100, 101, 99, 100], [100, 104, 99, 103], [103, 106, 102, 104], [104, 104, 94, 95]]);
    const r = run({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [short] }), management: PLAIN });
    const t = r.trades[0];
    expect([t.side, t.entryBar, t.entryPrice, t.size, t.exitPrice]).toEqual(['short', 2, 105, 20, 95]);
    expect(t.pnl).toBeCloseTo(200, 9);
  });

  it('a limit gapped through fills at the better open; an untouched limit expires', () => {
    const short = signal({ side: 'short', entryType: 'limit', entry: 105, stop: 110, validUntil: 2 * HOUR });
    const gap = bars([[100, 101, 99, 100], [107, 108, 106, 107]]);
    const r1 = run({ markets: [{ key: KEY, candles: gap }], signalSource: scripted({ 0: [short] }), management: PLAIN, finalize: 'last-close' });
    expect(r1.trades[0].entryPrice).toBe(107);
    const never = bars([[100, 101, 99, 100], [100, 102, 99, 101], [101, 103, 100, 102], [102, 106, 101, 105]]);
    const r2 = run({ markets: [{ key: KEY, candles: never }], signalSource: scripted({ 0: [short] }), management: PLAIN });
    expect(r2.trades).toHaveLength(0);
    expect(r2.skipped.map((s) => s.rule)).toEqual(['expired before fill']);
  });
});

describe('management', () => {
  it('partials 25 % at 1R and 2R, break-even after 0.6R, ATR trail on the rest', () => {
    // 20 units @100, stop 95, ATR 2 → trail 3.6.
    // bar 2: 1R=105 → 5 units +25; close: best 105.5 → BE (100), trail 101.9 → stop 101.9
    // bar 3: 2R=110 → 5 units +50; close: best 110 → stop 106.4
    // bar 4: low 106 → 10 units at 106.4 → +64. Total 139 = 1.39R.
    const sig = signal({ side: 'long', entry: 100, stop: 95, context: { atr: 2 } });
    const candles = bars([...entryBars.slice(0, 1), [100, 101, 99, 100], [100, 105.5, 99, 105], [105, 110, 104, 109], [109, 109, 106, 106.5], [106, 107, 105, 106]]);
    const r = run({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [sig] }) });
    const t = r.trades[0];
    expect(t.exits.map((e) => [e.price, e.size, e.reason])).toEqual([
      [105, 5, 'target'],
      [110, 5, 'target'],
      [106.4, 10, 'trailing-stop'],
    ]);
    expect(t.pnl).toBeCloseTo(139, 9);
    expect(t.rMultiple).toBeCloseTo(1.39, 9);
  });

  it('break-even stop: +0.6R then back to entry exits flat', () => {
    const sig = signal({ side: 'long', entry: 100, stop: 95 });
    const candles = bars([[99, 100, 98, 100], [100, 103.5, 99, 103], [103, 103, 99, 99.5]]);
    const r = run({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [sig] }), management: { ...PLAIN, breakEvenAtR: 0.6 } });
    expect([r.trades[0].exitPrice, r.trades[0].exitReason]).toEqual([100, 'break-even-stop']);
  });

  it('time stop exits at the open after N bars; opposite signal reverses', () => {
    const sig = signal({ side: 'long', entry: 100, stop: 90 });
    const candles = bars([[99, 100, 98, 100], [100, 101, 99, 100], [100, 101, 99, 100], [102, 103, 101, 102], [102, 103, 101, 102]]);
    const r = run({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [sig] }), management: { ...PLAIN, timeStopBars: 2 } });
    expect([r.trades[0].exitBar, r.trades[0].exitPrice, r.trades[0].exitReason]).toEqual([3, 102, 'time-stop']);
    const short = signal({ side: 'short', entry: 100, stop: 110, ts: 1 });
    const r2 = run({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [sig], 1: [short] }), management: PLAIN });
    expect(r2.trades.map((t) => [t.side, t.entryBar, t.exitBar, t.exitReason])).toEqual([
      ['long', 1, 2, 'opposite-signal'],
      ['short', 2, 4, 'end-of-data'],
    ]);
  });

  it('refusals are listed with their rule', () => {
    const candles = bars([[99, 100, 98, 100], [100, 101, 99, 100], [100, 101, 99, 100]]);
    const again = signal({ side: 'long', entry: 100, stop: 95, ts: 1 });
    const tiny = signal({ side: 'long', entry: 100, stop: 95 });
    const r = run({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [longTo110], 1: [again] }), management: PLAIN });
    expect(r.skipped.map((s) => s.rule)).toEqual(['one-position']);
    expect(r.skipped[0].reason).toMatch(/already in a position/);
    const r2 = runBacktest({ initialCash: 100, sizing: { kind: 'risk', riskFraction: 0.01, lotStep: 1 }, markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [tiny] }) });
    expect(r2.skipped.map((s) => s.rule)).toEqual(['size rounds to 0 units']); // 1 / 5 = 0.2 unit → 0 lots
  });

  it('portfolio equity spans several markets', () => {
    const a = bars([...entryBars, [104, 111, 103, 110]]);
    const b = bars([...entryBars, [104, 111, 103, 110]], 30 * 60_000);
    const r = run({
      markets: [{ key: KEY, candles: a }, { key: { ...KEY, symbol: 'B/USDT' }, candles: b }],
      signalSource: scripted({ 0: [longTo110], '1:0': [{ ...longTo110, id: 'b', symbol: 'B/USDT' }] }),
      management: PLAIN,
    });
    expect(r.equity.equity).toHaveLength(6);
    expect(r.trades.map((t) => t.symbol).sort()).toEqual(['B/USDT', 'TEST/USDT']);
    // Second trade is sized on the same 10 000 equity (first still open, unrealized 0 at its open) → 2 × 200.
    expect(r.equity.equity.at(-1)).toBeCloseTo(10_400, 6);
  });

  it('reports progress and stops when aborted', () => {
    const candles = bars(Array.from({ length: 20_000 }, () => [100, 101, 99, 100] as [number, number, number, number]));
    const seen: number[] = [];
    run({ markets: [{ key: KEY, candles }], signalSource: scripted({}), onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(20_000);
    expect(seen.length).toBeGreaterThan(1);
    const controller = new AbortController();
    controller.abort();
    expect(() => run({ markets: [{ key: KEY, candles }], signalSource: scripted({}), signal: controller.signal })).toThrow();
  });

  it('oppositeSignal=exit only closes; pyramiding opens a second position on the same market', () => {
    const candles = bars([[99, 100, 98, 100], [100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 99, 100]]);
    const long2 = signal({ side: 'long', entry: 100, stop: 95, ts: 1, id: 'l2' });
    const short = signal({ side: 'short', entry: 100, stop: 105, ts: 1, id: 's' });
    const exitOnly = run({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [longTo110], 1: [short] }), management: { ...PLAIN, oppositeSignal: 'exit' } });
    expect(exitOnly.trades.map((t) => [t.side, t.exitBar, t.exitReason])).toEqual([['long', 2, 'opposite-signal']]);
    expect(exitOnly.skipped[0].reason).toMatch(/oppositeSignal=exit/);
    const pyr = run({ markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [longTo110], 1: [long2] }), management: { ...PLAIN, pyramiding: true } });
    expect(pyr.trades.map((t) => [t.signalId, t.entryBar])).toEqual([[longTo110.id, 1], ['l2', 2]]);
  });
});

