/**
 * Runs the live detector over stored candles: what ITA would have pushed, candle by candle. Used by `ita detect`,
 * the replay feed and tests. Signals of the same candle close are ranked together.
 */
import type { Candle, MarketKey, Signal } from '../types.ts';
import type { Setup } from '../setups/loader.ts';
import type { DetectorOptions } from './detector.ts';
import { marketDetectorFor } from '../regime/gate.ts';
import { rankSignals } from './scoring.ts';

export interface DetectOptions {
  market: MarketKey;
  setups: Setup[];
  /** Only report signals on candles opening in [from, to) (the detector still warms up on earlier candles). */
  from?: number;
  to?: number;
  history?: DetectorOptions['history'];
  /** The account's fees and slippage (DetectorOptions.costs). */
  costs?: DetectorOptions['costs'];
}

export function detectSignals(candles: readonly Candle[], options: DetectOptions): Signal[] {
  // As the backtester builds it: behind the regime gate when a setup reads the regime (regime/gate.ts).
  const detector = marketDetectorFor({ market: options.market, setups: options.setups, history: options.history, costs: options.costs });
  const out: Signal[] = [];
  for (const candle of candles) {
    if (options.to !== undefined && candle.ts >= options.to) break;
    const signals = detector.update(candle);
    if (signals.length === 0 || (options.from !== undefined && candle.ts < options.from)) continue;
    out.push(...rankSignals(signals));
  }
  return out;
}
