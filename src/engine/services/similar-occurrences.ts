/**
 * Past occurrences of a signal's setup on the same side, with their outcomes in R: the journal's own traded signals,
 * and the setup replayed by the backtester over the stored candles BEFORE the signal (the one trading path, so a
 * backtest occurrence is what live trading would have done; nothing after the signal is looked at).
 * Replays are cached per setup version, market and last candle, so repeated presses cost nothing.
 */
import { getCandles } from '../store/candles.ts';
import type { JournalDb } from '../journal/signals.ts';
import type { SetupRegistry } from '../journal/setup-registry.ts';
import { timeframeMs } from '../market/timeframes.ts';
import type { Signal } from '../types.ts';

/** Enough history for a few dozen occurrences of an intraday setup while a press stays around a second. */
const REPLAY_CANDLES = 3000;
const WARMUP_CANDLES = 300;
const CACHE_SIZE = 16;

export interface Occurrence {
  signal: Signal;
  r: number;
  source: 'backtest';
}

const cache = new Map<string, Occurrence[]>();

export async function backtestOccurrences(db: JournalDb, registry: SetupRegistry | undefined, target: Signal): Promise<Occurrence[]> {
  const entry = registry?.get(target.setupId);
  if (!entry) return [];
  const setup = entry.setup;
  const market = { exchange: target.exchange, symbol: target.symbol, timeframe: setup.timeframe };
  const tf = timeframeMs(setup.timeframe);
  const key = `${setup.id}@${setup.version}:${market.exchange}:${market.symbol}:${market.timeframe}:${target.ts}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const candles = await getCandles(db, market, { from: target.ts - (REPLAY_CANDLES + WARMUP_CANDLES) * tf, to: target.ts - tf });
  if (candles.length < WARMUP_CANDLES + 50) return [];
  // The backtester pulls in the detector and the simulator: loaded only when Similar is pressed.
  const { runSetupBacktest, DEFAULT_SIMULATION } = await import('../backtest/service/run-setup.ts');
  const seen = new Map<string, Signal>();
  const report = runSetupBacktest({
    setup,
    market: { key: market, warmup: candles.slice(0, WARMUP_CANDLES), candles: candles.slice(WARMUP_CANDLES) },
    settings: DEFAULT_SIMULATION,
    onSignal: (signal) => seen.set(signal.id, signal),
  });
  const occurrences: Occurrence[] = [];
  for (const trade of report.trades) {
    const signal = seen.get(trade.signalId);
    if (signal && signal.side === target.side && Number.isFinite(trade.rMultiple)) occurrences.push({ signal, r: trade.rMultiple, source: 'backtest' });
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, occurrences);
  return occurrences;
}
