/**
 * The lower bound for backtest throughput: the simplest honest SMA-crossover backtest, written by hand over the
 * candles' Float64Arrays. Close crosses SMA(50) → enter on the next candle's open in the cross's direction (a
 * position on the other side is closed there first), 1 % stop checked against the candle's low/high (filled at the
 * stop, or at the open if it gapped through), taker fee and slippage on every fill, equity and max drawdown tracked.
 * No signals, objects or reports: what is left is the arithmetic any engine has to do, so "ITA ÷ this" says what
 * the engine's structure costs.
 */
import type { CandleSeries } from '../engine/indicators/types.ts';

export interface FloorResult {
  trades: number;
  finalEquity: number;
  maxDrawdown: number;
}

export function smaCrossFloor(s: CandleSeries, period = 50, stopFraction = 0.01, fee = 0.0005, slippageBps = 1): FloorResult {
  const { open, high, low, close } = s;
  const n = close.length;
  const slip = slippageBps / 10_000;
  let sum = 0;
  let prevDiff = NaN;
  let pending = 0; // side to enter at the next open: 1 long, −1 short
  let side = 0;
  let entry = 0;
  let stop = 0;
  let qty = 0;
  let cash = 10_000;
  let peak = cash;
  let maxDrawdown = 0;
  let trades = 0;
  const exit = (price: number): void => {
    const fill = side > 0 ? price * (1 - slip) : price * (1 + slip);
    cash += side * qty * (fill - entry) - qty * fill * fee;
    side = 0;
    trades++;
  };
  for (let i = 0; i < n; i++) {
    if (pending !== 0) {
      if (side !== 0 && side !== pending) exit(open[i]);
      if (side === 0) {
        side = pending;
        entry = side > 0 ? open[i] * (1 + slip) : open[i] * (1 - slip);
        qty = cash / entry;
        cash -= qty * entry * fee;
        stop = side > 0 ? entry * (1 - stopFraction) : entry * (1 + stopFraction);
      }
      pending = 0;
    }
    if (side > 0 && low[i] <= stop) exit(open[i] < stop ? open[i] : stop);
    else if (side < 0 && high[i] >= stop) exit(open[i] > stop ? open[i] : stop);
    sum += close[i];
    if (i >= period) sum -= close[i - period];
    if (i >= period - 1) {
      const diff = close[i] - sum / period;
      if (prevDiff <= 0 && diff > 0) pending = 1;
      else if (prevDiff >= 0 && diff < 0) pending = -1;
      prevDiff = diff;
    }
    const equity = side === 0 ? cash : cash + side * qty * (close[i] - entry);
    if (equity > peak) peak = equity;
    const drawdown = peak > 0 ? 1 - equity / peak : 0;
    if (drawdown > maxDrawdown) maxDrawdown = drawdown;
  }
  if (side !== 0) exit(close[n - 1]);
  return { trades, finalEquity: cash, maxDrawdown };
}
