import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSetupsDir } from '../../../src/engine/setups/index.ts';
import { ROOT } from '../../helpers/candles.ts';

describe('shipped setups', () => {
  it('all load without errors, each with a rationale and a unique id', () => {
    const { setups, errors } = loadSetupsDir(path.join(ROOT, 'setups'));
    expect(errors).toEqual([]);
    const ids = setups.map((s) => s.id).sort();
    expect(ids).toEqual(['breakout_4h', 'ema_cross', 'fvg_retrace', 'london_breakout', 'range_rev', 'sma_cross', 'sweep_choch', 'vol_exp']);
    for (const setup of setups) expect(setup.rationale.length, setup.id).toBeGreaterThan(40);
  });
});
