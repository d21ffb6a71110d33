/**
 * Batch computation over column arrays for backtests. Every indicator has its own small loop around its kernel so
 * each loop stays monomorphic (one kernel class per call site) and allocation-free; the kernels are the same ones
 * the streaming path uses, so both paths produce identical numbers. The hottest indicators skip the kernel object and
 * run batch-loops.ts, which repeats the kernel's operations in the same order.
 */
import { allocateLocal, atrLoop, bollingerLoop, emaLoop, macdLoop, rsiLoop, smaLoop, trueRangeLoop, wmaLoop, type Allocate } from './batch-loops.ts';
import { HistoricalVolatilityKernel } from './volatility.ts';
import { AdxKernel, LinRegSlopeKernel } from './trend.ts';
import { DonchianKernel, FastStochasticKernel, StochasticKernel } from './channels.ts';
import { VolumeZScoreKernel, VwapKernel } from './volume.ts';
import { RollingQuantileKernel } from './statistics.ts';
import { outputNames, parseIndicatorSpec, type IndicatorSpec } from './spec.ts';
import type { CandleSeries, IndicatorArrays } from './types.ts';

type Columns = Float64Array[];

function columns(count: number, n: number, allocate: Allocate): Columns {
  return Array.from({ length: count }, () => allocate(n));
}

/** Runs a single-input, single-output kernel over one column. */
function mapColumn(kernel: { push(x: number): number }, input: Float64Array, allocate: Allocate): Float64Array {
  const out = allocate(input.length);
  for (let i = 0; i < input.length; i++) out[i] = kernel.push(input[i]);
  return out;
}

function sourceColumn(spec: IndicatorSpec, s: CandleSeries): Float64Array {
  const source = spec.source ?? 'close';
  if (typeof source === 'string') return s[source];
  return computeColumns(source, s, allocateLocal)[0];
}

function computeColumns(spec: IndicatorSpec, s: CandleSeries, allocate: Allocate): Columns {
  const n = s.close.length;
  const [a, b, c] = spec.params;
  const { high, low, close } = s;
  switch (spec.name) {
    // The most used indicators run as whole-array loops (batch-loops.ts) with the kernels' exact arithmetic.
    case 'sma':
      return [smaLoop(close, a, allocate)];
    case 'ema':
      return [emaLoop(close, a, allocate)];
    case 'wma':
      return [wmaLoop(close, a, allocate)];
    case 'rsi':
      return [rsiLoop(close, a, allocate)];
    case 'tr':
      return [trueRangeLoop(high, low, close, allocate)];
    case 'atr':
      return [atrLoop(high, low, close, a, allocate)];
    case 'adx': {
      const k = new AdxKernel(a);
      const [adx, pdi, mdi] = columns(3, n, allocate);
      for (let i = 0; i < n; i++) {
        k.push(high[i], low[i], close[i]);
        adx[i] = k.adx;
        pdi[i] = k.pdi;
        mdi[i] = k.mdi;
      }
      return [adx, pdi, mdi];
    }
    case 'macd':
      return macdLoop(close, a, b, c, allocate);
    case 'bb':
      return bollingerLoop(close, a, b, allocate);
    case 'stoch': {
      const k = new StochasticKernel(a, b, c);
      const [kOut, dOut] = columns(2, n, allocate);
      for (let i = 0; i < n; i++) {
        k.push(high[i], low[i], close[i]);
        kOut[i] = k.k;
        dOut[i] = k.d;
      }
      return [kOut, dOut];
    }
    case 'stochf': {
      const k = new FastStochasticKernel(a, b);
      const [kOut, dOut] = columns(2, n, allocate);
      for (let i = 0; i < n; i++) {
        k.push(high[i], low[i], close[i]);
        kOut[i] = k.k;
        dOut[i] = k.d;
      }
      return [kOut, dOut];
    }
    case 'donchian': {
      const k = new DonchianKernel(a);
      const [upper, middle, lower] = columns(3, n, allocate);
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
      const out = allocate(n);
      for (let i = 0; i < n; i++) out[i] = k.push(close[i]);
      return [out];
    }
    case 'vz': {
      const k = new VolumeZScoreKernel(a);
      const out = allocate(n);
      for (let i = 0; i < n; i++) out[i] = k.push(s.volume[i]);
      return [out];
    }
    case 'vwap': {
      const k = new VwapKernel(spec.anchor ?? 'day');
      const out = allocate(n);
      for (let i = 0; i < n; i++) out[i] = k.push(s.ts[i], high[i], low[i], close[i], s.volume[i]);
      return [out];
    }
    case 'quantile':
      return [mapColumn(new RollingQuantileKernel(a, b), sourceColumn(spec, s), allocate)];
    case 'slope':
      return [mapColumn(new LinRegSlopeKernel(a), sourceColumn(spec, s), allocate)];
    default:
      throw new Error(`indicator "${spec.name}" has no batch implementation`);
  }
}

/**
 * Computes an indicator over a whole series. Returns one Float64Array per output (keys = full output names),
 * aligned to the input, NaN before each output's warm-up. `allocate` makes the output arrays (e.g. in shared memory).
 */
export function computeIndicator(spec: string | IndicatorSpec, series: CandleSeries, allocate: Allocate = allocateLocal): IndicatorArrays {
  const parsed = typeof spec === 'string' ? parseIndicatorSpec(spec) : spec;
  const arrays = computeColumns(parsed, series, allocate);
  const names = outputNames(parsed);
  const result: IndicatorArrays = {};
  names.forEach((name, i) => (result[name] = arrays[i]));
  return result;
}
