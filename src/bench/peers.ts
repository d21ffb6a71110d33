/**
 * The JavaScript indicator libraries ITA is compared with in `ita bench --only indicators` (dev dependencies:
 * indicatorts, @ixjb94/indicators). Each is called the way its documentation shows, on plain number arrays (their
 * input type, converted once before timing). Loaded lazily: a production install without dev dependencies skips them.
 */
import type { CandleSeries } from '../engine/indicators/types.ts';

/** The six indicators of the comparison, as ITA specs (TA-Lib's parameters). */
export const SIX = ['sma:30', 'ema:21', 'rsi:14', 'atr:14', 'macd:12:26:9', 'bb:20:2'] as const;
export type SixSpec = (typeof SIX)[number];

export interface Peer {
  name: string;
  run: Record<SixSpec, () => unknown>;
}

interface IndicatorTs {
  sma(v: number[], c: { period: number }): number[];
  ema(v: number[], c: { period: number }): number[];
  rsi(v: number[], c: { period: number }): number[];
  atr(h: number[], l: number[], c: number[], cfg: { period: number }): unknown;
  macd(v: number[], c: { fast: number; slow: number; signal: number }): unknown;
  bb(v: number[], c: { period: number }): unknown;
}

interface IxjbSync {
  sma(v: number[], p: number): number[];
  ema(v: number[], p: number): number[];
  rsi(v: number[], p: number): number[];
  atr(h: number[], l: number[], c: number[], p: number): number[];
  macd(v: number[], a: number, b: number, c: number): number[][];
  bbands(v: number[], p: number, k: number): number[][];
}

/** A module name in a variable: type-checking and production installs do not need the dev dependency. */
function importOptional(name: string): Promise<unknown> {
  return import(name);
}

/** The peers that are installed, each bound to the same candles; `missing` names the others. */
export async function loadPeers(series: CandleSeries): Promise<{ peers: Peer[]; missing: string[] }> {
  const close = Array.from(series.close);
  const high = Array.from(series.high);
  const low = Array.from(series.low);
  const peers: Peer[] = [];
  const missing: string[] = [];
  try {
    const its = (await importOptional('indicatorts')) as IndicatorTs;
    peers.push({
      name: 'indicatorts',
      run: {
        'sma:30': () => its.sma(close, { period: 30 }),
        'ema:21': () => its.ema(close, { period: 21 }),
        'rsi:14': () => its.rsi(close, { period: 14 }),
        'atr:14': () => its.atr(high, low, close, { period: 14 }),
        'macd:12:26:9': () => its.macd(close, { fast: 12, slow: 26, signal: 9 }),
        'bb:20:2': () => its.bb(close, { period: 20 }),
      },
    });
  } catch {
    missing.push('indicatorts');
  }
  try {
    const { IndicatorsSync } = (await importOptional('@ixjb94/indicators')) as { IndicatorsSync: new () => IxjbSync };
    const ix = new IndicatorsSync();
    peers.push({
      name: '@ixjb94/indicators',
      run: {
        'sma:30': () => ix.sma(close, 30),
        'ema:21': () => ix.ema(close, 21),
        'rsi:14': () => ix.rsi(close, 14),
        'atr:14': () => ix.atr(high, low, close, 14),
        'macd:12:26:9': () => ix.macd(close, 12, 26, 9),
        'bb:20:2': () => ix.bbands(close, 20, 2),
      },
    });
  } catch {
    missing.push('@ixjb94/indicators');
  }
  return { peers, missing };
}
