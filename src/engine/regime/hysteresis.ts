/**
 * The switching rule: a label replaces the regime in force only after it has been the raw label on `minBarsHold`
 * consecutive candles. Until the first label has held that long the regime is unknown. An unknown raw label (an
 * indicator still warming up) interrupts a pending switch but does not end the regime in force.
 */
import { MIN_BARS_HOLD, type Regime, type RegimeReading } from './types.ts';

export class RegimeHysteresis {
  private current: Regime | undefined;
  private barsInCurrent = 0;
  private candidate: Regime | undefined;
  private candidateBars = 0;

  constructor(readonly minBarsHold: number = MIN_BARS_HOLD) {
    if (!Number.isInteger(minBarsHold) || minBarsHold < 1) throw new RangeError(`minBarsHold must be a whole number ≥ 1, got ${minBarsHold}`);
  }

  push(raw: Regime | undefined): RegimeReading {
    if (raw === undefined || raw === this.current) {
      this.candidate = undefined;
      this.candidateBars = 0;
    } else if (raw === this.candidate) {
      this.candidateBars++;
    } else {
      this.candidate = raw;
      this.candidateBars = 1;
    }
    if (this.candidate !== undefined && this.candidateBars >= this.minBarsHold) {
      this.current = this.candidate;
      this.barsInCurrent = 0;
      this.candidate = undefined;
      this.candidateBars = 0;
    }
    if (this.current !== undefined) this.barsInCurrent++;
    const reading: RegimeReading = { regime: this.current, raw, barsInRegime: this.barsInCurrent };
    if (this.candidate !== undefined) reading.pending = { regime: this.candidate, bars: this.candidateBars };
    return reading;
  }
}
