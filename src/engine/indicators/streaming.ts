/**
 * Streaming indicators for the live path: `createIndicator('macd:12:26:9')`, then `update(candle)` once per closed
 * candle and `value('signal')`. Same kernels as the batch path, so a live value equals the backtest value.
 */
import type { Candle } from '../types.ts';
import { InputError } from '../errors.ts';
import { EmaKernel, SmaKernel, WmaKernel } from './moving-averages.ts';
import { MacdKernel, RsiKernel } from './momentum.ts';
import { AtrKernel, BollingerKernel, HistoricalVolatilityKernel, TrueRangeKernel } from './volatility.ts';
import { AdxKernel, LinRegSlopeKernel } from './trend.ts';
import { DonchianKernel, FastStochasticKernel, StochasticKernel } from './channels.ts';
import { VolumeZScoreKernel, VwapKernel } from './volume.ts';
import { RollingQuantileKernel } from './statistics.ts';
import {
  outputNames,
  outputWarmups,
  parseIndicatorSpec,
  shortOutputNames,
  type IndicatorSpec,
} from './spec.ts';
import type { StreamingIndicator } from './types.ts';

/** Feeds one candle to a kernel and writes its outputs (in outputNames order) into `out`. */
type Step = (candle: Candle, out: Float64Array) => void;

function single(kernel: { push(x: number): number }, pick: (c: Candle) => number): Step {
  return (c, out) => {
    out[0] = kernel.push(pick(c));
  };
}

function hlc(kernel: { push(h: number, l: number, c: number): number }): Step {
  return (c, out) => {
    out[0] = kernel.push(c.high, c.low, c.close);
  };
}

function makeStep(spec: IndicatorSpec): Step {
  const [a, b, c] = spec.params;
  const close = (candle: Candle) => candle.close;
  switch (spec.name) {
    case 'sma':
      return single(new SmaKernel(a), close);
    case 'ema':
      return single(new EmaKernel(a), close);
    case 'wma':
      return single(new WmaKernel(a), close);
    case 'rsi':
      return single(new RsiKernel(a), close);
    case 'hv':
      return single(new HistoricalVolatilityKernel(a, b), close);
    case 'vz':
      return single(new VolumeZScoreKernel(a), (candle) => candle.volume);
    case 'tr':
      return hlc(new TrueRangeKernel());
    case 'atr':
      return hlc(new AtrKernel(a));
    case 'vwap': {
      const k = new VwapKernel(spec.anchor ?? 'day');
      return (x, out) => {
        out[0] = k.push(x.ts, x.high, x.low, x.close, x.volume);
      };
    }
    case 'adx': {
      const k = new AdxKernel(a);
      return (x, out) => {
        k.push(x.high, x.low, x.close);
        out[0] = k.adx;
        out[1] = k.pdi;
        out[2] = k.mdi;
      };
    }
    case 'macd': {
      const k = new MacdKernel(a, b, c);
      return (x, out) => {
        k.push(x.close);
        out[0] = k.macd;
        out[1] = k.signal;
        out[2] = k.hist;
      };
    }
    case 'bb':
    case 'donchian': {
      const k = spec.name === 'bb' ? new BollingerKernel(a, b) : new DonchianKernel(a);
      return (x, out) => {
        if (k instanceof BollingerKernel) k.push(x.close);
        else k.push(x.high, x.low);
        out[0] = k.upper;
        out[1] = k.middle;
        out[2] = k.lower;
      };
    }
    case 'stoch':
    case 'stochf': {
      const k = spec.name === 'stoch' ? new StochasticKernel(a, b, c) : new FastStochasticKernel(a, b);
      return (x, out) => {
        k.push(x.high, x.low, x.close);
        out[0] = k.k;
        out[1] = k.d;
      };
    }
    case 'slope':
    case 'quantile': {
      const k = spec.name === 'slope' ? new LinRegSlopeKernel(a) : new RollingQuantileKernel(a, b);
      const source = spec.source ?? 'close';
      if (typeof source === 'string') return single(k, (candle) => candle[source]);
      const inner = makeStep(source);
      const sourceOut = new Float64Array(1);
      return (x, out) => {
        inner(x, sourceOut);
        out[0] = k.push(sourceOut[0]);
      };
    }
    default:
      throw new Error(`indicator "${spec.name}" has no streaming implementation`);
  }
}

class SpecIndicator implements StreamingIndicator {
  readonly spec: string;
  readonly outputs: string[];
  readonly warmup: number;
  readonly outputWarmup: Record<string, number>;
  private readonly shortNames: string[];
  private readonly step: Step;
  private readonly values: Float64Array;
  private seen = 0;
  private lastTs = -Infinity;

  constructor(parsed: IndicatorSpec) {
    this.spec = parsed.text;
    this.outputs = outputNames(parsed);
    this.shortNames = shortOutputNames(parsed);
    const warmups = outputWarmups(parsed);
    this.warmup = warmups.reduce((a, b) => Math.max(a, b), 0);
    this.outputWarmup = Object.fromEntries(this.outputs.map((name, i) => [name, warmups[i]]));
    this.step = makeStep(parsed);
    this.values = new Float64Array(this.outputs.length).fill(NaN);
  }

  get isStable(): boolean {
    return this.seen > this.warmup;
  }

  update(candle: Candle): void {
    // Feeding the same candle twice (a re-delivered websocket message) would silently corrupt every running sum.
    if (!(candle.ts > this.lastTs)) {
      throw new InputError(
        `indicator ${this.spec}: candle ts ${candle.ts} is not after the previous candle's ts ${this.lastTs}`,
        { field: 'ts', value: candle.ts },
      );
    }
    this.lastTs = candle.ts;
    this.step(candle, this.values);
    this.seen++;
  }

  value(output?: string): number {
    if (output === undefined) return this.values[0];
    let index = this.outputs.indexOf(output);
    if (index < 0) index = this.shortNames.indexOf(output);
    if (index < 0) {
      throw new InputError(`indicator ${this.spec} has no output "${output}"; outputs: ${this.outputs.join(', ')}`, {
        field: 'output',
        value: output,
      });
    }
    return this.values[index];
  }
}

/** Creates a streaming indicator from a spec string (see ALLOWED_FORMS) or an already parsed spec. */
export function createIndicator(spec: string | IndicatorSpec): StreamingIndicator {
  return new SpecIndicator(typeof spec === 'string' ? parseIndicatorSpec(spec) : spec);
}
