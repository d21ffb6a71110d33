/** Only what the setup reads is drawn on its signal card (the shipped setups as the examples). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotationsUsed } from '../../../src/engine/charts/annotation-filter.ts';
import { loadSetupsDir } from '../../../src/engine/setups/index.ts';
import { ROOT } from '../../helpers/candles.ts';

const setups = new Map(loadSetupsDir(path.join(ROOT, 'setups')).setups.map((s) => [s.id, s]));
const used = (id: string) => {
  const u = annotationsUsed(setups.get(id)!);
  return { zones: [...u.zones].sort(), levels: [...u.levels].sort(), sessions: [...u.sessions].sort() };
};

describe('annotations a setup uses', () => {
  it('a London breakout of the Asia range: the two sessions, no zones, no levels', () => {
    expect(used('london_breakout')).toEqual({ zones: [], levels: [], sessions: ['Asia', 'London'] });
  });
  it('an FVG retrace: fair value gaps', () => {
    expect(used('fvg_retrace').zones).toEqual(['fvg']);
  });
  it('a sweep then CHoCH: liquidity and swings', () => {
    expect(used('sweep_choch').levels).toEqual(expect.arrayContaining(['liquidity', 'swing']));
  });
  it('an EMA cross reads no pattern, only the sessions one criterion scores', () => {
    expect(used('ema_cross')).toEqual({ zones: [], levels: [], sessions: ['London', 'New York'] }); // a score criterion reads them
  });
});
