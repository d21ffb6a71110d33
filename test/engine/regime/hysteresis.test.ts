import { describe, expect, it } from 'vitest';
import { RegimeHysteresis } from '../../../src/engine/regime/hysteresis.ts';
import type { Regime } from '../../../src/engine/regime/types.ts';

const U: Regime = 'trend_up';
const L: Regime = 'range_lowvol';
const P: Regime = 'panic';

function run(raw: (Regime | undefined)[], hold = 6): (Regime | undefined)[] {
  const h = new RegimeHysteresis(hold);
  return raw.map((r) => h.push(r).regime);
}

describe('regime hysteresis (min_bars_hold)', () => {
  it('adopts the first label only after it held 6 candles', () => {
    // Raw: L×5 is not enough; the 6th consecutive L sets the regime.
    expect(run([L, L, L, L, L, L, L])).toEqual([undefined, undefined, undefined, undefined, undefined, L, L]);
  });

  it('a new label switches on its 6th consecutive candle, not before', () => {
    const raw = [...Array(6).fill(L), U, U, U, U, U, U, U];
    const expected = [undefined, undefined, undefined, undefined, undefined, L, L, L, L, L, L, U, U];
    expect(run(raw)).toEqual(expected);
  });

  it('an interruption restarts the count; a blip of 5 candles never switches', () => {
    const raw = [...Array(6).fill(L), U, U, U, U, U, L, U, U, U, U, U, L, L];
    const out = run(raw);
    expect(out.slice(6)).toEqual(Array(13).fill(L));
  });

  it('a different challenger restarts the count too, and unknown interrupts but keeps the regime in force', () => {
    const raw = [...Array(6).fill(L), U, U, U, P, P, P, P, P, undefined, P, P, P, P, P, P];
    const out = run(raw);
    // P's first streak (5) is cut by an unknown candle; the second streak of 6 switches on its last candle.
    expect(out.slice(6, 20)).toEqual(Array(14).fill(L));
    expect(out[20]).toBe(P);
  });

  it('reports the pending challenger and the length of the regime in force', () => {
    const h = new RegimeHysteresis(6);
    for (let i = 0; i < 8; i++) h.push(L);
    const reading = h.push(U);
    expect(reading).toEqual({ regime: L, raw: U, barsInRegime: 4, pending: { regime: U, bars: 1 } });
  });

  it('refuses a non-integer hold', () => {
    expect(() => new RegimeHysteresis(0)).toThrow(/minBarsHold/);
  });
});

describe('regime in words', () => {
  it('names the regime, how long it has held and a pending switch, in English and Russian', async () => {
    const { describeRegime } = await import('../../../src/engine/regime/describe.ts');
    expect(describeRegime({ regime: 'trend_up', raw: 'range_highvol', barsInRegime: 14, pending: { regime: 'range_highvol', bars: 2 } }, 6)).toBe(
      'Regime: uptrend (trend_up) for 14 candles; volatile range pending 2/6',
    );
    expect(describeRegime({ regime: 'panic', raw: 'panic', barsInRegime: 1 }, 6, 'ru')).toBe('Режим: паника (panic) 1 св.');
    expect(describeRegime({ regime: undefined, raw: undefined, barsInRegime: 0 }, 6)).toBe('Regime: regime not known yet');
  });
});
