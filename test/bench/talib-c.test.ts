/**
 * The bench's TA-Lib C comparison: the harness's output format, ITA's checksum over the same outputs in the harness's
 * order, "not installed" without a build, and (when a TA-Lib build is on this machine) the real library's checksum
 * on random-walk candles equal to ITA's to the last bit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeIndicator } from '../../src/engine/indicators/batch.ts';
import { randomWalkSeries } from '../../src/bench/indicators.ts';
import { SIX, type SixSpec } from '../../src/bench/peers.ts';
import { itaChecksum, loadTaLibC, parseHarnessLine } from '../../src/bench/talib-c.ts';

const f = (...values: number[]) => Float64Array.from(values);

describe('parseHarnessLine', () => {
  it('reads wall and CPU milliseconds per indicator and the checksum', () => {
    const line = 'sma:30 1.5 1.25 ema:21 2 1.75 rsi:14 3 3 atr:14 4 3.5 macd:12:26:9 5 4.5 bb:20:2 6 5.5 checksum 12345.678900000001';
    const round = parseHarnessLine(line);
    expect(round.wall).toEqual({ 'sma:30': 1.5, 'ema:21': 2, 'rsi:14': 3, 'atr:14': 4, 'macd:12:26:9': 5, 'bb:20:2': 6 });
    expect(round.cpu['sma:30']).toBe(1.25);
    expect(round.cpu['bb:20:2']).toBe(5.5);
    expect(round.checksum).toBe(12345.678900000001);
  });

  it('refuses a line without every indicator, naming what is missing', () => {
    expect(() => parseHarnessLine('sma:30 1 1 checksum 3')).toThrow(/missing ema:21, rsi:14/);
  });
});

describe('itaChecksum', () => {
  const outputs = (over: Partial<Record<SixSpec, Float64Array[]>>): Record<SixSpec, Float64Array[]> => ({
    'sma:30': [f(NaN, 1, 2)],
    'ema:21': [f(NaN, 0.5)],
    'rsi:14': [f(NaN, NaN, 10)],
    'atr:14': [f(4)],
    'macd:12:26:9': [f(NaN, 1), f(NaN, 2), f(NaN, -1)],
    'bb:20:2': [f(3), f(2), f(1)],
    ...over,
  });

  it('sums the valid outputs (NaN warm-up skipped): 3 + 0.5 + 10 + 4 + 2 + 6', () => {
    expect(itaChecksum(outputs({}))).toBe(25.5);
  });

  it('adds in the harness order: SMA, EMA, RSI, ... (1e16 + 1 − 1e16 is 0 in doubles, not 1)', () => {
    const sum = itaChecksum(outputs({ 'sma:30': [f(1e16)], 'ema:21': [f(1)], 'rsi:14': [f(-1e16)], 'atr:14': [f(0)], 'macd:12:26:9': [f(0), f(0), f(0)], 'bb:20:2': [f(0), f(0), f(0)] }));
    expect(sum).toBe(0);
  });
});

describe('loadTaLibC', () => {
  it('says "TA-Lib not installed" and how to build it when no build is found', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'ita-no-talib-'));
    try {
      const { talib, missing } = loadTaLibC(randomWalkSeries(100), [empty]);
      expect(talib).toBeUndefined();
      expect(missing).toMatch(/^TA-Lib not installed \(run ops\/build-talib\.sh/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  const series = randomWalkSeries(5_000, 7);
  const { talib } = loadTaLibC(series);
  it.skipIf(!talib)('the real TA-Lib C computes the six with sums identical to ITA’s, to the last bit', () => {
    try {
      const round = talib!.round();
      const own = Object.fromEntries(SIX.map((spec) => [spec, Object.values(computeIndicator(spec, series))])) as Record<SixSpec, Float64Array[]>;
      expect(round.checksum).toBe(itaChecksum(own));
    } finally {
      talib!.close();
    }
  });
});
