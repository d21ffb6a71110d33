/** Small builders for hand-computed backtest cases. */
import type { Candle, Signal, SignalTarget } from '../../../src/engine/types.ts';
import type { SignalSource } from '../../../src/engine/backtest/types.ts';

export const HOUR = 3_600_000;
export const KEY = { exchange: 'test', symbol: 'TEST/USDT', timeframe: '1h' as const };

/** Candles from [open, high, low, close] rows, one hour apart from epoch 0. */
export function bars(rows: [number, number, number, number][], start = 0, step = HOUR): Candle[] {
  return rows.map(([open, high, low, close], i) => ({ ts: start + i * step, open, high, low, close, volume: 1 }));
}

export function signal(over: Partial<Signal> & Pick<Signal, 'side' | 'entry' | 'stop'>): Signal {
  return {
    id: `sig-${over.ts ?? 0}-${over.side}`,
    setupId: 'hand',
    setupVersion: 'v1',
    setupName: 'hand',
    exchange: KEY.exchange,
    symbol: KEY.symbol,
    timeframe: KEY.timeframe,
    ts: 0,
    entryType: 'market',
    targets: [] as SignalTarget[],
    rr: 2,
    score: 5,
    rank: 1,
    reasons: { strengths: [], weaknesses: [] },
    context: {},
    validUntil: Infinity,
    ...over,
  };
}

/** Emits the given signals on the given candle indexes (market 0 unless keyed "m:i"). */
export function scripted(byIndex: Record<string, Signal[]>): SignalSource {
  return {
    onCandle(m, i) {
      return byIndex[m === 0 ? String(i) : `${m}:${i}`] ?? [];
    },
  };
}

/** Management with no partials, no break-even, no trailing: the signal's own targets only. */
export const PLAIN = { defaultTargets: [], breakEvenAtR: NaN, trailAtrMultiple: 0 };
