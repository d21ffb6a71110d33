/**
 * The regime classifier for one market and timeframe: fed closed candles only, one at a time, so its reading at a
 * candle depends on that candle and earlier ones alone (causal; a test replays it on a truncated series).
 *
 * Raw label of a candle (before hysteresis), from the project's streaming indicators:
 *  - volatility: realised volatility hv:N of log returns, ranked against its own rolling quantiles over the last
 *    `volWindow` candles (scale-free, so it works for any price level or timeframe);
 *  - panic: volatility at or above its rolling `panicQuantile` AND a sharp fall: the log return over the last
 *    `dropBars` candles is below −`dropSigma` × the typical move for that many candles (median per-candle
 *    volatility × √dropBars). Panic is checked first: it overrides trend and range;
 *  - trend: ADX ≥ `adxTrend` (a trend in force holds while ADX ≥ `adxExit`) with EMA fast above EMA slow, close above EMA slow and EMA slow rising (trend_up), or
 *    the mirror (trend_down);
 *  - otherwise range: range_highvol when volatility is at or above its rolling median, range_lowvol below it (the
 *    volatility side in force holds until volatility is `volBand` beyond the median: threshold hysteresis).
 * The regime in force then follows the min_bars_hold switching rule (hysteresis.ts).
 */
import type { Candle } from '../types.ts';
import { createIndicator, type StreamingIndicator } from '../indicators/index.ts';
import { RollingQuantileKernel } from '../indicators/statistics.ts';
import { RegimeHysteresis } from './hysteresis.ts';
import { MIN_BARS_HOLD, type Regime, type RegimeReading } from './types.ts';

export interface RegimeClassifierOptions {
  minBarsHold?: number;
  emaFast?: number;
  emaSlow?: number;
  adxPeriod?: number;
  adxTrend?: number;
  /** A trend in force stays a trend while ADX ≥ this (lower than adxTrend: threshold hysteresis against flip-flops). */
  adxExit?: number;
  /** The volatility in force (high / low) is kept while volatility is within this fraction of the median on the other side. */
  volBand?: number;
  volPeriod?: number;
  volWindow?: number;
  panicQuantile?: number;
  dropBars?: number;
  dropSigma?: number;
}

export const DEFAULT_REGIME_OPTIONS: Required<RegimeClassifierOptions> = {
  minBarsHold: MIN_BARS_HOLD,
  emaFast: 20,
  emaSlow: 50,
  adxPeriod: 14,
  adxTrend: 30,
  adxExit: 22,
  volBand: 0.2,
  volPeriod: 20,
  volWindow: 300,
  panicQuantile: 0.95,
  dropBars: 6,
  dropSigma: 2.5,
};

/** The indicator readings behind a raw label, for captions and the journal. */
export interface RegimeInputs {
  adx: number;
  emaFast: number;
  emaSlow: number;
  emaSlowRising: boolean | undefined;
  volatility: number;
  volatilityMedian: number;
  volatilityPanic: number;
  dropReturn: number;
}

export class RegimeClassifier {
  readonly options: Required<RegimeClassifierOptions>;
  private readonly hysteresis: RegimeHysteresis;
  private readonly emaFast: StreamingIndicator;
  private readonly emaSlow: StreamingIndicator;
  private readonly adx: StreamingIndicator;
  private readonly vol: StreamingIndicator;
  /**
   * The last volWindow volatilities, sorted: its median and its panic quantile are the values of the indicators
   * quantile:<volWindow>:0.5:hv:<volPeriod> and quantile:<volWindow>:<panicQuantile>:hv:<volPeriod>, read from one
   * window fed this.vol's values instead of two windows that each recompute hv.
   */
  private readonly volWindow: RollingQuantileKernel;
  private readonly volWindowWarmup: number;
  private readonly indicators: StreamingIndicator[];
  private readonly closes: number[] = [];
  private prevEmaSlow = NaN;
  private last: RegimeReading = { regime: undefined, raw: undefined, barsInRegime: 0 };
  private lastInputs: RegimeInputs | undefined;

  constructor(options: RegimeClassifierOptions = {}) {
    const o = { ...DEFAULT_REGIME_OPTIONS, ...options };
    this.options = o;
    this.hysteresis = new RegimeHysteresis(o.minBarsHold);
    this.emaFast = createIndicator(`ema:${o.emaFast}`);
    this.emaSlow = createIndicator(`ema:${o.emaSlow}`);
    this.adx = createIndicator(`adx:${o.adxPeriod}`);
    this.vol = createIndicator(`hv:${o.volPeriod}`);
    this.volWindow = new RollingQuantileKernel(o.volWindow, 0.5);
    this.volWindowWarmup = createIndicator(`quantile:${o.volWindow}:${o.panicQuantile}:hv:${o.volPeriod}`).warmup;
    this.indicators = [this.emaFast, this.emaSlow, this.adx, this.vol];
  }

  /** Candles consumed before the first raw label can exist. */
  get warmup(): number {
    return Math.max(this.volWindowWarmup, this.adx.warmup, this.emaSlow.warmup + 1, this.options.dropBars);
  }

  /** Feeds one closed candle (strictly increasing ts is the caller's contract, as for every streaming indicator). */
  update(candle: Candle): RegimeReading {
    for (let k = 0; k < this.indicators.length; k++) this.indicators[k].update(candle);
    const volatility = this.vol.value();
    // As a quantile indicator: a NaN input (hv warming up) leaves the window alone and reads NaN.
    const volatilityMedian = this.volWindow.push(volatility);
    const volatilityPanic = volatility === volatility ? this.volWindow.quantile(this.options.panicQuantile) : NaN;
    this.closes.push(candle.close);
    if (this.closes.length > this.options.dropBars + 1) this.closes.shift();
    const emaSlow = this.emaSlow.value();
    const inputs: RegimeInputs = {
      adx: this.adx.value('adx'),
      emaFast: this.emaFast.value(),
      emaSlow,
      emaSlowRising: Number.isFinite(this.prevEmaSlow) && Number.isFinite(emaSlow) ? emaSlow > this.prevEmaSlow : undefined,
      volatility,
      volatilityMedian,
      volatilityPanic,
      dropReturn: this.closes.length > this.options.dropBars ? Math.log(candle.close / this.closes[0]) : NaN,
    };
    this.prevEmaSlow = emaSlow;
    this.lastInputs = inputs;
    this.last = this.hysteresis.push(rawRegime(inputs, candle.close, this.options, this.last.regime));
    return this.last;
  }

  get reading(): RegimeReading {
    return this.last;
  }

  get inputs(): RegimeInputs | undefined {
    return this.lastInputs;
  }
}

/** The raw label of one candle; undefined while any input is still warming up (unknown is never a label). */
export function rawRegime(x: RegimeInputs, close: number, o: Required<RegimeClassifierOptions>, inForce?: Regime): Regime | undefined {
  const values = [x.adx, x.emaFast, x.emaSlow, x.volatility, x.volatilityMedian, x.volatilityPanic, x.dropReturn];
  if (values.some((v) => !Number.isFinite(v)) || x.emaSlowRising === undefined) return undefined;
  // hv is annualised with the same factor for every value, so the per-candle typical move is proportional to the
  // median hv; the factor cancels in the ratio below.
  const periodsPerYear = 365;
  const typicalMove = (x.volatilityMedian / Math.sqrt(periodsPerYear)) * Math.sqrt(o.dropBars);
  if (x.volatility >= x.volatilityPanic && x.dropReturn <= -o.dropSigma * typicalMove) return 'panic';
  const up = x.emaFast > x.emaSlow && close > x.emaSlow && x.emaSlowRising;
  const down = x.emaFast < x.emaSlow && close < x.emaSlow && !x.emaSlowRising;
  if (up && x.adx >= (inForce === 'trend_up' ? o.adxExit : o.adxTrend)) return 'trend_up';
  if (down && x.adx >= (inForce === 'trend_down' ? o.adxExit : o.adxTrend)) return 'trend_down';
  const band = inForce === 'range_highvol' ? 1 - o.volBand : inForce === 'range_lowvol' ? 1 + o.volBand : 1;
  return x.volatility >= x.volatilityMedian * band ? 'range_highvol' : 'range_lowvol';
}

/** Runs a fresh classifier over a series: one reading per candle (for evaluation and tests). */
export function classifyRegimes(candles: readonly Candle[], options: RegimeClassifierOptions = {}): RegimeReading[] {
  const classifier = new RegimeClassifier(options);
  return candles.map((c) => classifier.update(c));
}
