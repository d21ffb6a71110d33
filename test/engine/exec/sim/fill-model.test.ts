/** The simulated broker's fill rules on single hand-made candles. */
import { describe, expect, it } from 'vitest';
import { limitFillPrice, marketFillPrice, NO_COSTS, stopTriggerPrice, targetFillPrice } from '../../../../src/engine/exec/sim/fill-model.ts';
import { endOfBar, tightenStop, type SimPosition } from '../../../../src/engine/exec/sim/position.ts';

const candle = (open: number, high: number, low: number, close: number) => ({ ts: 0, open, high, low, close, volume: 1 });

describe('fill model', () => {
  it('market fills pay slippage and spread against the trader', () => {
    const costs = { ...NO_COSTS, slippageFraction: 0.001, spreadFraction: 0.002 };
    expect(marketFillPrice(100, 1, true, costs)).toBeCloseTo(100.2, 12); // 10 bps + half of 20 bps
    expect(marketFillPrice(100, -1, false, costs)).toBeCloseTo(99.8, 12);
    const entryOnly = { ...costs, slippageFraction: 0, spreadModel: 'entry-only' as const };
    expect(marketFillPrice(100, -1, true, entryOnly)).toBeCloseTo(99.8, 12);
    expect(marketFillPrice(100, 1, false, entryOnly)).toBe(100);
  });
  it('limits fill at their price, or at a better gap open, or not at all', () => {
    expect(limitFillPrice(99, 1, candle(100, 101, 98, 100))).toBe(99);
    expect(limitFillPrice(99, 1, candle(97, 98, 96, 97))).toBe(97);
    expect(limitFillPrice(99, 1, candle(100, 101, 99.5, 100))).toBeNaN();
    expect(limitFillPrice(101, -1, candle(102, 103, 101.5, 102))).toBe(102);
  });
  it('stops fill at the stop, or at a worse gap open', () => {
    expect(stopTriggerPrice(95, 'long', candle(100, 101, 94, 96))).toBe(95);
    expect(stopTriggerPrice(95, 'long', candle(93, 94, 92, 93))).toBe(93);
    expect(stopTriggerPrice(105, 'short', candle(107, 108, 106, 107))).toBe(107);
    expect(stopTriggerPrice(NaN, 'long', candle(1, 1, 1, 1))).toBeNaN();
    expect(targetFillPrice(110, 'long', candle(112, 113, 111, 112))).toBe(112);
  });
});

describe('stop management', () => {
  const pos = (): SimPosition =>
    ({ side: 'long', dir: 1, entryPrice: 100, stop: 95, stopReason: 'stop', riskPerUnit: 5, best: 100, barsHeld: 0, breakEvenAtR: 0.6, targetsTaken: 1, trailAtrMultiple: 1.8, atr: 2 }) as SimPosition;
  it('a stop never widens', () => {
    const p = pos();
    tightenStop(p, 97, 'trailing-stop');
    tightenStop(p, 96, 'trailing-stop');
    expect(p.stop).toBe(97);
  });
  it('break-even then trailing from the best price, applied at the close', () => {
    const p = pos();
    endOfBar(p, candle(100, 102.9, 99, 102)); // +2.9 < 3 = 0.6R: no break-even; trail 102.9 − 3.6 = 99.3
    expect(p.stop).toBeCloseTo(99.3, 12);
    expect(p.stopReason).toBe('trailing-stop');
    endOfBar(p, candle(102, 103.2, 101, 103)); // BE 100 < trail 99.6? trail 103.2 − 3.6 = 99.6 → BE 100 wins
    expect([p.stop, p.stopReason]).toEqual([100, 'break-even-stop']);
    expect(p.barsHeld).toBe(2);
  });
});
