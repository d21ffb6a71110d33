/**
 * backtesting.py compatibility: its order semantics as ITA options, and the SMA-crossover strategy of its README
 * and test suite as a signal source. With these, ITA reproduces backtesting.py's trades and statistics exactly
 * (test/engine/backtest/parity.test.ts).
 */
import { computeIndicator, toSeries } from '../indicators/index.ts';
import type { Candle, MarketKey, Signal } from '../types.ts';
import type { BacktestOptions, SignalSource } from './types.ts';

export interface BacktestingPyOptions {
  cash?: number;
  /** Relative commission charged on entry and on exit (backtesting.py `commission`). */
  commission?: number;
  /** Entry price adjustment (backtesting.py `spread`). */
  spread?: number;
  /** Close open trades at the last bar's open and count them (backtesting.py `finalize_trades`). */
  finalizeTrades?: boolean;
}

/** Options reproducing backtesting.py: next-open fills, whole units at (1 − ε) of free margin, reversal = close then open. */
export function backtestingPyMode(o: BacktestingPyOptions = {}): Omit<BacktestOptions, 'markets' | 'signalSource'> {
  return {
    initialCash: o.cash ?? 10_000,
    sizing: { kind: 'all-in', lotStep: 1 },
    fees: { maker: o.commission ?? 0, taker: o.commission ?? 0 },
    spread: { fraction: o.spread ?? 0, model: 'entry-only' },
    slippage: { bps: 0, atrFraction: 0 },
    finalize: o.finalizeTrades ? 'last-open' : 'leave-open',
    management: {
      defaultTargets: [],
      breakEvenAtR: NaN,
      trailAtrMultiple: 0,
      timeStopBars: 0,
      oppositeSignal: 'exit-and-reverse',
      pyramiding: false,
      intrabar: 'stop-first',
    },
  };
}

/** backtesting.lib crossover: strictly below on the previous bar and strictly above on this one (NaN = no cross). */
export function crossover(a: ArrayLike<number>, b: ArrayLike<number>, i: number): boolean {
  return i > 0 && a[i - 1] < b[i - 1] && a[i] > b[i];
}

function marketSignal(key: MarketKey, c: Candle, side: 'long' | 'short', setupId: string): Signal {
  return {
    id: `${setupId}:${key.symbol}:${c.ts}:${side}`,
    setupId,
    setupVersion: '1',
    setupName: setupId,
    exchange: key.exchange,
    symbol: key.symbol,
    timeframe: key.timeframe,
    side,
    ts: c.ts,
    entryType: 'market',
    entry: c.close,
    stop: NaN,
    targets: [],
    rr: NaN,
    score: 0,
    rank: 1,
    reasons: { strengths: [], weaknesses: [] },
    context: {},
    validUntil: Infinity,
  };
}

/**
 * SMA(fast) / SMA(slow) crossover, always in the market after the first cross: long on a golden cross, short on a
 * death cross. Indicators are batch-computed once; the source only reads index `i`, which is the candle just closed.
 */
export function smaCrossSource(key: MarketKey, candles: Candle[], fast: number, slow: number): SignalSource & { warmupBars: number } {
  const series = toSeries(candles);
  const a = Object.values(computeIndicator(`sma:${fast}`, series))[0];
  const b = Object.values(computeIndicator(`sma:${slow}`, series))[0];
  const none: Signal[] = [];
  const setupId = `sma-cross-${fast}-${slow}`;
  return {
    warmupBars: Math.max(fast, slow) - 1,
    onCandle(_m, i, c) {
      if (crossover(a, b, i)) return [marketSignal(key, c, 'long', setupId)];
      if (crossover(b, a, i)) return [marketSignal(key, c, 'short', setupId)];
      return none;
    },
  };
}
