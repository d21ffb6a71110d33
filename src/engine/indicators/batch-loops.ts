/**
 * Whole-array loops for the indicators backtests use most (SMA, EMA, WMA, RSI, TR, ATR, MACD, Bollinger).
 *
 * Each loop performs exactly the floating-point operations of its streaming kernel, in the same order, with the
 * kernel's state held in locals and the window read back from the input instead of a ring buffer (the ring holds the
 * same doubles). What the kernels pay per candle and these loops do not: a method call, field loads and stores, a
 * `count % period` and a warm-up branch on every candle. The warm-up runs as its own short loop instead.
 * test/engine/indicators/consistency.test.ts holds batch and streaming equal bit for bit; the TA-Lib parity tests hold
 * both to TA-Lib.
 *
 * `out` arrays come from the caller (`allocate`), so a helper thread can write straight into shared memory.
 */

export type Allocate = (length: number) => Float64Array;

export const allocateLocal: Allocate = (length) => new Float64Array(length);

/** A new output array with NaN at the indices before `first` (the warm-up). */
function output(allocate: Allocate, n: number, first: number): Float64Array {
  const out = allocate(n);
  out.fill(NaN, 0, Math.min(first, n));
  return out;
}

/** SmaKernel: sum += x; out = sum / p; sum −= oldest of the window. */
export function smaLoop(x: Float64Array, p: number, allocate: Allocate): Float64Array {
  const n = x.length;
  const out = output(allocate, n, p - 1);
  let sum = 0;
  const warm = Math.min(p - 1, n);
  for (let i = 0; i < warm; i++) sum += x[i];
  for (let i = p - 1; i < n; i++) {
    sum += x[i];
    out[i] = sum / p;
    sum -= x[i - p + 1];
  }
  return out;
}

/** EmaKernel with `skip` leading inputs ignored: seed = SMA of the first p used inputs, then (x − prev)·k + prev. */
export function emaLoop(x: Float64Array, p: number, allocate: Allocate, skip = 0): Float64Array {
  const n = x.length;
  const first = skip + p - 1;
  const out = output(allocate, n, first);
  if (first >= n) return out;
  const k = 2 / (p + 1);
  let seed = 0;
  for (let i = skip; i <= first; i++) seed += x[i];
  let prev = seed / p;
  out[first] = prev;
  for (let i = first + 1; i < n; i++) {
    prev = (x[i] - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}

/** WmaKernel: weighted sum += p·x, out = weighted / divider, weighted −= plain sum (every weight drops by one). */
export function wmaLoop(x: Float64Array, p: number, allocate: Allocate): Float64Array {
  const n = x.length;
  const out = output(allocate, n, p - 1);
  const divider = (p * (p + 1)) / 2;
  let plainSum = 0;
  let weightedSum = 0;
  const warm = Math.min(p - 1, n);
  for (let i = 0; i < warm; i++) {
    plainSum += x[i];
    weightedSum += x[i] * (i + 1);
  }
  for (let i = p - 1; i < n; i++) {
    const v = x[i];
    plainSum += v;
    plainSum -= i >= p ? x[i - p] : 0;
    weightedSum += v * p;
    out[i] = weightedSum / divider;
    weightedSum -= plainSum;
  }
  return out;
}

/** RsiKernel: simple means of the first p changes, then Wilder smoothing; a flat window gives 0. */
export function rsiLoop(x: Float64Array, p: number, allocate: Allocate): Float64Array {
  const n = x.length;
  const out = output(allocate, n, p);
  if (p >= n) return out;
  let avgGain = 0;
  let avgLoss = 0;
  for (let i = 1; i <= p; i++) {
    const change = x[i] - x[i - 1];
    if (change < 0) avgLoss -= change;
    else avgGain += change;
  }
  avgLoss /= p;
  avgGain /= p;
  let total = avgGain + avgLoss;
  out[p] = total === 0 ? 0 : 100 * (avgGain / total);
  const keep = p - 1;
  for (let i = p + 1; i < n; i++) {
    const change = x[i] - x[i - 1];
    // Adding a zero to the other average leaves it bit-identical to the kernel's if/else, without the branch that
    // a random walk mispredicts half the time.
    avgLoss = (avgLoss * keep - (change < 0 ? change : 0)) / p;
    avgGain = (avgGain * keep + (change < 0 ? 0 : change)) / p;
    total = avgGain + avgLoss;
    out[i] = total === 0 ? 0 : 100 * (avgGain / total);
  }
  return out;
}

/** TrueRangeKernel's arithmetic for candle i ≥ 1: the greatest of high−low and the gaps to the previous close. */
function trueRange(high: Float64Array, low: Float64Array, close: Float64Array, i: number): number {
  const prevClose = close[i - 1];
  let greatest = high[i] - low[i];
  const toHigh = Math.abs(prevClose - high[i]);
  if (toHigh > greatest) greatest = toHigh;
  const toLow = Math.abs(prevClose - low[i]);
  if (toLow > greatest) greatest = toLow;
  return greatest;
}

export function trueRangeLoop(high: Float64Array, low: Float64Array, close: Float64Array, allocate: Allocate): Float64Array {
  const n = close.length;
  const out = output(allocate, n, 1);
  for (let i = 1; i < n; i++) {
    // The kernel treats a NaN previous close as "no previous candle".
    out[i] = close[i - 1] === close[i - 1] ? trueRange(high, low, close, i) : NaN;
  }
  return out;
}

/** AtrKernel: mean of TR[1..p], then prev·(p−1), + tr, / p (TA-Lib's order). */
export function atrLoop(high: Float64Array, low: Float64Array, close: Float64Array, p: number, allocate: Allocate): Float64Array {
  const n = close.length;
  const out = output(allocate, n, p);
  if (p >= n) return out;
  let sum = 0;
  for (let i = 1; i <= p; i++) sum += close[i - 1] === close[i - 1] ? trueRange(high, low, close, i) : NaN;
  let prev = sum / p;
  out[p] = prev;
  const keep = p - 1;
  for (let i = p + 1; i < n; i++) {
    const tr = close[i - 1] === close[i - 1] ? trueRange(high, low, close, i) : NaN;
    prev *= keep;
    prev += tr;
    prev /= p;
    out[i] = prev;
  }
  return out;
}

/**
 * MacdKernel: fast EMA (seeded from closes slow−fast..slow−1), slow EMA, line = fast − slow, signal = EMA of the line
 * (seeded with the mean of its first `signal` values); all three outputs from slow+signal−2.
 * A NaN line (a NaN or infinite close) is not fed to the signal EMA and leaves the outputs at their previous values,
 * as the kernel does; an EMA that turned NaN stays NaN, so from that candle on the outputs stay where they were.
 */
export function macdLoop(x: Float64Array, fast: number, slow: number, signalPeriod: number, allocate: Allocate): Float64Array[] {
  const n = x.length;
  const firstIndex = slow + signalPeriod - 2;
  const macd = output(allocate, n, firstIndex);
  const signal = output(allocate, n, firstIndex);
  const hist = output(allocate, n, firstIndex);
  const lineStart = slow - 1;
  if (lineStart >= n) return [macd, signal, hist];
  const kFast = 2 / (fast + 1);
  const kSlow = 2 / (slow + 1);
  const kSignal = 2 / (signalPeriod + 1);
  let fastSeed = 0;
  for (let i = slow - fast; i <= lineStart; i++) fastSeed += x[i];
  let slowSeed = 0;
  for (let i = 0; i <= lineStart; i++) slowSeed += x[i];
  let fastPrev = fastSeed / fast;
  let slowPrev = slowSeed / slow;

  // Warm-up of the signal EMA: the first `signalPeriod` lines are summed; its mean is the first signal (at firstIndex).
  let signalSeed = 0;
  let signalPrev = NaN;
  let i = lineStart;
  for (; i <= firstIndex && i < n; i++) {
    if (i > lineStart) {
      fastPrev = (x[i] - fastPrev) * kFast + fastPrev;
      slowPrev = (x[i] - slowPrev) * kSlow + slowPrev;
    }
    const line = fastPrev - slowPrev;
    if (line !== line) {
      // No signal yet, and there never will be: every output stays NaN.
      for (const out of [macd, signal, hist]) out.fill(NaN, i);
      return [macd, signal, hist];
    }
    signalSeed += line;
    if (i === firstIndex) {
      signalPrev = signalSeed / signalPeriod;
      macd[i] = line;
      signal[i] = signalPrev;
      hist[i] = line - signalPrev;
    }
  }
  for (; i < n; i++) {
    const v = x[i];
    fastPrev = (v - fastPrev) * kFast + fastPrev;
    slowPrev = (v - slowPrev) * kSlow + slowPrev;
    const line = fastPrev - slowPrev;
    if (line !== line) {
      macd.fill(macd[i - 1], i);
      signal.fill(signal[i - 1], i);
      hist.fill(hist[i - 1], i);
      break;
    }
    signalPrev = (line - signalPrev) * kSignal + signalPrev;
    macd[i] = line;
    signal[i] = signalPrev;
    hist[i] = line - signalPrev;
  }
  return [macd, signal, hist];
}

/** BollingerKernel: SMA middle; variance = Σx²/p − middle² (TA-Lib's formula), negative round-off clamped to 0. */
export function bollingerLoop(x: Float64Array, p: number, deviations: number, allocate: Allocate): Float64Array[] {
  const n = x.length;
  const upper = output(allocate, n, p - 1);
  const middle = output(allocate, n, p - 1);
  const lower = output(allocate, n, p - 1);
  let sum = 0;
  let sumSquares = 0;
  const warm = Math.min(p - 1, n);
  for (let i = 0; i < warm; i++) {
    const v = x[i];
    sum += v;
    sumSquares += v * v;
  }
  for (let i = p - 1; i < n; i++) {
    const v = x[i];
    const oldest = x[i - p + 1];
    sum += v;
    const mid = sum / p;
    sum -= oldest;
    sumSquares += v * v;
    let variance = sumSquares / p;
    sumSquares -= oldest * oldest;
    variance -= mid * mid;
    const width = (variance > 0 ? Math.sqrt(variance) : 0) * deviations;
    middle[i] = mid;
    upper[i] = mid + width;
    lower[i] = mid - width;
  }
  return [upper, middle, lower];
}
