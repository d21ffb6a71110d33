/**
 * The setup side of regimes: a setup lists the regimes it may trade in (`regimes:` in its YAML; absent = all).
 * An unknown regime (classifier still warming up) does not satisfy a setup that restricts regimes: unknown ≠ true.
 *
 * `RegimeGatedDetector` wraps the detector of one market: it feeds the regime classifier the same closed candle
 * first, so a signal on candle t is judged by the regime as of t's close, then drops the signals of setups whose
 * enable map excludes that regime and writes `regime` / `regimeBars` into every signal's context (caption, /status,
 * scoring criterion, model feature). `gatedMarketDetector` builds the one arrangement every mode uses: the detector's
 * `regime` conditions (rules, filters, score criteria) read this same classifier, so the regime a criterion credits
 * is the regime the gate judges and the caption shows, live, in replays and in backtests.
 */
import type { Candle, Signal } from '../types.ts';
import { MarketDetector, type DetectorOptions } from '../signals/detector.ts';
import { readsRegime } from '../setups/warmup.ts';
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
    classifier: RegimeClassifier | RegimeClassifierOptions = {},
  ) {
    this.classifier = classifier instanceof RegimeClassifier ? classifier : new RegimeClassifier(classifier);
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

/** One market's detector behind the regime gate, its `regime` conditions reading the gate's own classifier. */
export function gatedMarketDetector(options: DetectorOptions, classifierOptions: RegimeClassifierOptions = {}): RegimeGatedDetector {
  const classifier = new RegimeClassifier(classifierOptions);
  const inner = new MarketDetector({ ...options, regime: () => classifier.reading.regime });
  return new RegimeGatedDetector(inner, options.setups, classifier);
}

/**
 * The detector of one market for the offline modes (backtests, `ita detect`, evaluations): behind the regime gate
 * when a setup reads the regime, as live; a plain detector otherwise (the classifier's work is skipped, nothing
 * reads it). The live pipeline always gates (its captions and /status show the regime).
 */
export function marketDetectorFor(options: DetectorOptions): CandleDetector {
  return options.setups.some(readsRegime) ? gatedMarketDetector(options) : new MarketDetector(options);
}
