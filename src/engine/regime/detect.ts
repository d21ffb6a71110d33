/**
 * detectSignals (signals/detect.ts) with the regime enable map applied: the same detector, wrapped by the regime gate.
 * Used by the learning evaluations until the trading session wraps its detector itself.
 */
import type { Candle, Signal } from '../types.ts';
import { rankSignals } from '../signals/scoring.ts';
import type { DetectOptions } from '../signals/detect.ts';
import { gatedMarketDetector, type GatedSignalDropped } from './gate.ts';

export interface RegimeDetectResult {
  signals: Signal[];
  /** Signals the setups' regime enable maps refused. */
  dropped: GatedSignalDropped[];
}

export function detectSignalsWithRegimes(candles: readonly Candle[], options: DetectOptions): RegimeDetectResult {
  const detector = gatedMarketDetector({ market: options.market, setups: options.setups, history: options.history });
  const signals: Signal[] = [];
  const dropped: GatedSignalDropped[] = [];
  for (const candle of candles) {
    if (options.to !== undefined && candle.ts >= options.to) break;
    const found = detector.update(candle);
    if (options.from !== undefined && candle.ts < options.from) continue;
    dropped.push(...detector.dropped);
    if (found.length > 0) signals.push(...rankSignals(found));
  }
  return { signals, dropped };
}
