import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_MODEL, signalCosts } from '../../../src/engine/signals/costs.ts';
import type { CostModel } from '../../../src/engine/types.ts';

const target = (price: number, r: number) => ({ price, r, closeFraction: 1 });

describe('signalCosts (hand-computed)', () => {
  it('long market entry at the paper default (0.1 % per side, no slippage)', () => {
    // entry 100, stop 99, target 102. Per unit: entry fee 100 × 0.001 = 0.1; stop fee 99 × 0.001 = 0.099.
    // stopCostR = (0.1 + 0.099) / 1 = 0.199. Net risk = 1 + 0.199 = 1.199.
    // Target: gross 2 − entry fee 0.1 − exit fee 102 × 0.001 = 0.102 → 1.798; 1.798 / 1.199 = 1.49958...
    const c = signalCosts({ side: 'long', entryType: 'market', entry: 100, stop: 99, targets: [target(102, 2)] }, DEFAULT_COST_MODEL);
    expect(c.stopCostR).toBeCloseTo(0.199, 12);
    expect(c.netTargetR[0]).toBeCloseTo(1.798 / 1.199, 12);
    expect(c.netRR).toBeCloseTo(1.798 / 1.199, 12);
    expect(c.model).toEqual(DEFAULT_COST_MODEL);
  });

  it('short market entry with slippage: both market fills slip against the trade', () => {
    // maker 0.0002, taker 0.0005, slippage 0.001. Short at 200, stop 204, targets 196 and 192.
    // Entry sells at 200 × (1 − 0.001) = 199.8: slippage 0.2 + taker fee 199.8 × 0.0005 = 0.0999 → entry cost 0.2999.
    // Stop buys at 204 × 1.001 = 204.204: slippage 0.204 + taker fee 204.204 × 0.0005 = 0.102102 → stop cost 0.306102.
    // Gross risk 4; stopCostR = 0.606002 / 4 = 0.1515005; net risk = 4.606002.
    // Target 196 (limit, maker, no slippage): 4 − 0.2999 − 196 × 0.0002 (0.0392) = 3.6609 → / 4.606002.
    // Target 192: 8 − 0.2999 − 0.0384 = 7.6617 → / 4.606002 (the furthest, so netRR).
    const model: CostModel = { makerFee: 0.0002, takerFee: 0.0005, slippage: 0.001 };
    const c = signalCosts({ side: 'short', entryType: 'market', entry: 200, stop: 204, targets: [target(196, 1), target(192, 2)] }, model);
    expect(c.stopCostR).toBeCloseTo(0.1515005, 12);
    expect(c.netTargetR[0]).toBeCloseTo(3.6609 / 4.606002, 12);
    expect(c.netTargetR[1]).toBeCloseTo(7.6617 / 4.606002, 12);
    expect(c.netRR).toBeCloseTo(7.6617 / 4.606002, 12);
  });

  it('limit entry pays the maker fee at its price and does not slip', () => {
    // Long limit at 50, stop 49.5; maker 0.0002, taker 0.001, slippage 0.0005.
    // Entry fee 50 × 0.0002 = 0.01. Stop sells at 49.5 × 0.9995 = 49.47525: slippage 0.02475 + fee 0.04947525.
    // Costs at stop = 0.01 + 0.02475 + 0.04947525 = 0.08422525; gross risk 0.5 → stopCostR 0.1684505.
    const model: CostModel = { makerFee: 0.0002, takerFee: 0.001, slippage: 0.0005 };
    const c = signalCosts({ side: 'long', entryType: 'limit', entry: 50, stop: 49.5, targets: [target(51, 2)] }, model);
    expect(c.stopCostR).toBeCloseTo(0.1684505, 12);
    // Target 51: 1 − 0.01 − 51 × 0.0002 (0.0102) = 0.9798; net risk 0.58422525.
    expect(c.netRR).toBeCloseTo(0.9798 / 0.58422525, 12);
  });

  it('a stop at 0.2 % of price costs about 1 R at 0.1 % per side (the fee-dominated case)', () => {
    // entry 10,000, stop 9,980 (risk 20): fees 10 + 9.98 = 19.98 → 0.999 R.
    const c = signalCosts({ side: 'long', entryType: 'market', entry: 10_000, stop: 9_980, targets: [target(10_040, 2)] }, DEFAULT_COST_MODEL);
    expect(c.stopCostR).toBeCloseTo(0.999, 12);
  });

  it('a zero-risk plan is infinitely expensive, never cheap', () => {
    const c = signalCosts({ side: 'long', entryType: 'market', entry: 100, stop: 100, targets: [target(101, 1)] }, DEFAULT_COST_MODEL);
    expect(c.stopCostR).toBe(Infinity);
    expect(c.netRR).toBe(0);
  });
});
