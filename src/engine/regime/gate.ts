/**
 * The setup side of regimes: a setup lists the regimes it may trade in (`regimes:` in its YAML; absent = all).
 * An unknown regime (classifier still warming up) does not satisfy a setup that restricts regimes: unknown ≠ true.
 *
 * `RegimeGatedDetector` wraps the detector of one market: it feeds the regime classifier the same closed candle
 * first, so a signal on candle t is judged by the regime as of t's close, then drops the signals of setups whose
 * enable map excludes that regime and writes `regime` / `regimeBars` into every signal's context (caption, /status,
 * scoring criterion, model feature). It needs no change inside the detector: wherever a MarketDetector is built,
 * wrap it.
 */
import type { Candle, Signal } from '../types.ts';
import { RegimeClassifier, type RegimeClassifierOptions } from './classifier.ts';
import type { Regime, RegimeReading } from './types.ts';

export interface RegimeRestricted {
  id: string;
  regimes?: readonly Regime[];
}

export type RegimeVerdict = { ok: true } | { ok: false; reason: string };

export function regimeAllows(setup: RegimeRestricted, regime: Regime | undefined): RegimeVerdict {
  if (!setup.regimes || setup.regimes.length === 0) return { ok: true };
  if (regime === undefined) return { ok: false, reason: `${setup.id} trades only in ${setup.regimes.join(', ')}; the regime is not known yet (warming up)` };
  if (setup.regimes.includes(regime)) return { ok: true };
  return { ok: false, reason: `${setup.id} trades only in ${setup.regimes.join(', ')}; the market is in ${regime}` };
}

/** The detector surface the gate needs (MarketDetector has it). */
export interface CandleDetector {
  update(candle: Candle): Signal[];
}

export interface GatedSignalDropped {
  signal: Signal;
  reason: string;
}

export class RegimeGatedDetector implements CandleDetector {
  readonly classifier: RegimeClassifier;
  private readonly setups = new Map<string, RegimeRestricted>();
  /** Signals the enable map refused on the last candle (reported, never silently lost). */
  dropped: GatedSignalDropped[] = [];

  constructor(
    private readonly inner: CandleDetector,
    setups: readonly RegimeRestricted[],
    options: RegimeClassifierOptions = {},
  ) {
    this.classifier = new RegimeClassifier(options);
    for (const setup of setups) this.setups.set(setup.id, setup);
  }

  get reading(): RegimeReading {
    return this.classifier.reading;
  }

  update(candle: Candle): Signal[] {
    const reading = this.classifier.update(candle);
    const signals = this.inner.update(candle);
    this.dropped = [];
    const kept: Signal[] = [];
    for (const signal of signals) {
      annotateRegime(signal, reading);
      const setup = this.setups.get(signal.setupId);
      const verdict = setup ? regimeAllows(setup, reading.regime) : ({ ok: true } as const);
      if (verdict.ok) kept.push(signal);
      else this.dropped.push({ signal, reason: verdict.reason });
    }
    return kept;
  }
}

/** Writes the regime into a signal's context: `regime` ("unknown" while warming up) and `regimeBars`. */
export function annotateRegime(signal: Signal, reading: RegimeReading): void {
  signal.context.regime = reading.regime ?? 'unknown';
  signal.context.regimeBars = reading.barsInRegime;
}
