import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSetupsDir } from '../src/engine/setups/index.ts';
import { positionsToExitOnOpposite } from '../src/app/opposite-exit.ts';
import type { PositionView } from '../src/engine/exec/executor/index.ts';
import type { Signal } from '../src/engine/types.ts';
import { ROOT } from './helpers/candles.ts';

const { setups } = loadSetupsDir(path.join(ROOT, 'setups'));
const position = (over: Partial<PositionView>): PositionView =>
  ({ id: 'p1', account: 'paper', symbol: 'BTC/USDT', timeframe: '1h', side: 'long', setupId: 'ema_cross', setupVersion: 'v', status: 'open', ...over }) as PositionView;
const signal = (over: Partial<Signal>): Signal => ({ setupId: 'ema_cross', symbol: 'BTC/USDT', timeframe: '1h', side: 'short', ...over }) as Signal;

describe('exit on an opposite signal', () => {
  it('closes the same setup’s opposite position on the same market when the setup asks for it', () => {
    // ema_cross.yaml sets management.exit_on_opposite: true
    const positions = [position({ id: 'a' }), position({ id: 'b', side: 'short' }), position({ id: 'c', symbol: 'ETH/USDT' }), position({ id: 'd', setupId: 'vol_exp' }), position({ id: 'e', status: 'pending' })];
    expect(positionsToExitOnOpposite(signal({}), positions, setups).map((p) => p.id)).toEqual(['a']);
  });

  it('leaves positions alone for setups that do not exit on opposite signals', () => {
    // breakout_4h.yaml does not set exit_on_opposite
    expect(positionsToExitOnOpposite(signal({ setupId: 'breakout_4h', timeframe: '4h' }), [position({ setupId: 'breakout_4h', timeframe: '4h' })], setups)).toEqual([]);
  });
});
