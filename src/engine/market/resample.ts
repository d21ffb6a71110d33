/**
 * Aggregates lower-timeframe candles into a higher timeframe the way exchanges do: open of the first, max high,
 * min low, close of the last, summed volume, bin = periodStart(ts, higher). A missing lower candle is simply
 * absent from its bin (no filling), so a bin with any lower candle exists and a bin with none does not.
 *
 * A higher candle is complete once its period has ended as far as the lower series can tell: its last lower candle
 * arrived, or a lower candle of a later bin did. The live path feeds CandleResampler one closed lower candle at a time.
 */
import type { Candle, Timeframe } from '../types.ts';
import { InputError } from '../errors.ts';
import { periodStart, timeframeMs } from './timeframes.ts';

export interface ResampleOptions {
  /** Also return the last, still-open higher candle. */
  includePartial?: boolean;
}

/** Throws unless `to` is a whole multiple of `from` whose bins are made of whole `from` candles. */
export function assertResampleable(from: Timeframe, to: Timeframe): void {
  const fromMs = timeframeMs(from);
  const toMs = timeframeMs(to);
  // Weekly bins start on Monday (epoch + 4 days), so the lower candles must tile that boundary too.
  const aligned = toMs % fromMs === 0 && periodStart(0, to) % fromMs === 0;
  if (toMs <= fromMs || !aligned) {
    throw new InputError(`cannot resample ${from} candles into ${to}: ${to} must be a larger whole multiple of ${from}`, {
      field: 'timeframe',
      value: to,
    });
  }
}

export class CandleResampler {
  private readonly fromMs: number;
  private readonly toMs: number;
  private current: Candle | undefined;
  private lastTs = -Infinity;

  constructor(
    readonly from: Timeframe,
    readonly to: Timeframe,
  ) {
    assertResampleable(from, to);
    this.fromMs = timeframeMs(from);
    this.toMs = timeframeMs(to);
  }

  /** Feeds one closed lower candle (ascending ts); returns the higher candles that closed with it (0, 1 or 2). */
  push(candle: Candle): Candle[] {
    if (candle.ts <= this.lastTs) {
      throw new InputError(
        `resampler got ts ${new Date(candle.ts).toISOString()} after ${new Date(this.lastTs).toISOString()}: lower candles must be strictly ascending`,
        { field: 'ts', value: candle.ts },
      );
    }
    this.lastTs = candle.ts;
    const closed: Candle[] = [];
    const bin = periodStart(candle.ts, this.to);
    if (this.current && this.current.ts !== bin) {
      closed.push(this.current);
      this.current = undefined;
    }
    if (this.current) {
      const c = this.current;
      if (candle.high > c.high) c.high = candle.high;
      if (candle.low < c.low) c.low = candle.low;
      c.close = candle.close;
      c.volume += candle.volume;
    } else {
      this.current = { ts: bin, open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume };
    }
    if (candle.ts + this.fromMs >= bin + this.toMs) {
      closed.push(this.current);
      this.current = undefined;
    }
    return closed;
  }

  /** The higher candle still being built, if any (a copy: it changes as candles arrive). */
  partial(): Candle | undefined {
    return this.current ? { ...this.current } : undefined;
  }
}

/** Batch form over a sorted series; see the module comment for what "complete" means. */
export function resampleCandles(candles: readonly Candle[], from: Timeframe, to: Timeframe, options: ResampleOptions = {}): Candle[] {
  const resampler = new CandleResampler(from, to);
  const out: Candle[] = [];
  for (const candle of candles) {
    for (const closed of resampler.push(candle)) out.push(closed);
  }
  const partial = resampler.partial();
  if (options.includePartial && partial) out.push(partial);
  return out;
}
