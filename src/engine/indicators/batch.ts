/**
 * Batch computation over column arrays for backtests. Every indicator has its own small loop around its kernel so
 * each loop stays monomorphic (one kernel class per call site) and allocation-free; the kernels are the same ones
 * the streaming path uses, so both paths produce identical numbers.
 */
import { EmaKernel, SmaKernel, WmaKernel } from './moving-averages.ts';
import { MacdKernel, RsiKernel } from './momentum.ts';
import { AtrKernel, BollingerKernel, HistoricalVolatilityKernel, TrueRangeKernel } from './volatility.ts';
import { AdxKernel, LinRegSlopeKernel } from './trend.ts';
import { DonchianKernel, FastStochasticKernel, StochasticKernel } from './channels.ts';
import { VolumeZScoreKernel, VwapKernel } from './volume.ts';
import { RollingQuantileKernel } from './statistics.ts';
import { outputNames, parseIndicatorSpec, type IndicatorSpec } from './spec.ts';
import type { CandleSeries, IndicatorArrays } from './types.ts';

type Columns = Float64Array[];

function columns(count: number, n: number): Columns {
  return Array.from({ length: count }, () => new Float64Array(n));
}

/** Runs a single-input, single-output kernel over one column. */
function mapColumn(kernel: { push(x: number): number }, input: Float64Array): Float64Array {
  const out = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = kernel.push(input[i]);
  return out;
}

function sourceColumn(spec: IndicatorSpec, s: CandleSeries): Float64Array {
  const source = spec.source ?? 'close';
  if (typeof source === 'string') return s[source];
  return computeColumns(source, s)[0];
}

function computeColumns(spec: IndicatorSpec, s: CandleSeries): Columns {
  const n = s.close.length;
  const [a, b, c] = spec.params;
  const { high, low, close } = s;
  switch (spec.name) {
    case 'sma': {
      const k = new SmaKernel(a);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = k.push(close[i]);
      return [out];
    }
    case 'ema': {
      const k = new EmaKernel(a);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = k.push(close[i]);
      return [out];
    }
    case 'wma': {
      const k = new WmaKernel(a);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = k.push(close[i]);
      return [out];
    }
    case 'rsi': {
      const k = new RsiKernel(a);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = k.push(close[i]);
      return [out];
    }
    case 'tr': {
      const k = new TrueRangeKernel();
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = k.push(high[i], low[i], close[i]);
      return [out];
    }
    case 'atr': {
      const k = new AtrKernel(a);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = k.push(high[i], low[i], close[i]);
      return [out];
    }
    case 'adx': {
      const k = new AdxKernel(a);
      const [adx, pdi, mdi] = columns(3, n);
      for (let i = 0; i < n; i++) {
        k.push(high[i], low[i], close[i]);
        adx[i] = k.adx;
        pdi[i] = k.pdi;
        mdi[i] = k.mdi;
      }
      return [adx, pdi, mdi];
    }
    case 'macd': {
      const k = new MacdKernel(a, b, c);
      const [macd, signal, hist] = columns(3, n);
      for (let i = 0; i < n; i++) {
        k.push(close[i]);
        macd[i] = k.macd;
        signal[i] = k.signal;
        hist[i] = k.hist;
      }
      return [macd, signal, hist];
    }
    case 'bb': {
      const k = new BollingerKernel(a, b);
      const [upper, middle, lower] = columns(3, n);
      for (let i = 0; i < n; i++) {
        k.push(close[i]);
        upper[i] = k.upper;
        middle[i] = k.middle;
        lower[i] = k.lower;
      }
      return [upper, middle, lower];
    }
    case 'stoch': {
      const k = new StochasticKernel(a, b, c);
      const [kOut, dOut] = columns(2, n);
      for (let i = 0; i < n; i++) {
        k.push(high[i], low[i], close[i]);
        kOut[i] = k.k;
        dOut[i] = k.d;
      }
      return [kOut, dOut];
    }
    case 'stochf': {
      const k = new FastStochasticKernel(a, b);
      const [kOut, dOut] = columns(2, n);
      for (let i = 0; i < n; i++) {
        k.push(high[i], low[i], close[i]);
        kOut[i] = k.k;
        dOut[i] = k.d;
      }
      return [kOut, dOut];
    }
    case 'donchian': {
      const k = new DonchianKernel(a);
      const [upper, middle, lower] = columns(3, n);
      for (let i = 0; i < n; i++) {
        k.push(high[i], low[i]);
        upper[i] = k.upper;
        middle[i] = k.middle;
        lower[i] = k.lower;
      }
      return [upper, middle, lower];
    }
    case 'hv': {
      const k = new HistoricalVolatilityKernel(a, b);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = k.push(close[i]);
      return [out];
    }
    case 'vz': {
      const k = new VolumeZScoreKernel(a);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = k.push(s.volume[i]);
      return [out];
    }
    case 'vwap': {
      const k = new VwapKernel(spec.anchor ?? 'day');
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = k.push(s.ts[i], high[i], low[i], close[i], s.volume[i]);
      return [out];
    }
    case 'quantile':
      return [mapColumn(new RollingQuantileKernel(a, b), sourceColumn(spec, s))];
    case 'slope':
      return [mapColumn(new LinRegSlopeKernel(a), sourceColumn(spec, s))];
    default:
      throw new Error(`indicator "${spec.name}" has no batch implementation`);
  }
}

/**
 * Computes an indicator over a whole series. Returns one Float64Array per output (keys = full output names),
 * aligned to the input, NaN before each output's warm-up.
 */
export function computeIndicator(spec: string | IndicatorSpec, series: CandleSeries): IndicatorArrays {
  const parsed = typeof spec === 'string' ? parseIndicatorSpec(spec) : spec;
  const arrays = computeColumns(parsed, series);
  const names = outputNames(parsed);
  const result: IndicatorArrays = {};
  names.forEach((name, i) => (result[name] = arrays[i]));
  return result;
}
