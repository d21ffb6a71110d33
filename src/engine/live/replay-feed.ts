/**
 * The replay feed: plays stored candles (from the candle store or a CSV) through the live pipeline at a chosen
 * speed, with pause and resume. It drives the same path as the live feed, so it doubles as bar-replay practice:
 * signals reach the chat as if the market were live, on candle time.
 */
import type { Candle, MarketKey } from '../types.ts';
import { InputError } from '../errors.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { readCandlesFromCsv } from '../market/csv/read-candles.ts';
import { getCandles } from '../store/candles.ts';
import type { JournalDb } from '../journal/signals.ts';
import type { LivePipeline } from './pipeline.ts';

export interface ReplayOptions {
  pipeline: LivePipeline;
  market: MarketKey;
  candles: readonly Candle[];
  /** Candles per second, or 'max' for as fast as the pipeline goes. */
  speed: number | 'max';
  /** Run the pipeline's clock on candle time (each candle's close), so validity and quiet hours follow the replay. Default true. */
  candleClock?: boolean;
  /** Injected by tests; default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ReplayProgress {
  played: number;
  total: number;
  signals: number;
}

export class ReplayFeed {
  private played = 0;
  private signals = 0;
  private stopped = false;
  private resumeGate?: { promise: Promise<void>; open: () => void };

  constructor(private readonly options: ReplayOptions) {
    if (options.speed !== 'max' && !(options.speed > 0)) {
      throw new InputError(`replay speed must be a positive number of candles per second or "max", got ${options.speed}`, { field: 'speed', value: options.speed });
    }
  }

  get progress(): ReplayProgress {
    return { played: this.played, total: this.options.candles.length, signals: this.signals };
  }

  get paused(): boolean {
    return this.resumeGate !== undefined;
  }

  pause(): void {
    if (this.resumeGate) return;
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.resumeGate = { promise, open };
  }

  resume(): void {
    const gate = this.resumeGate;
    this.resumeGate = undefined;
    gate?.open();
  }

  stop(): void {
    this.stopped = true;
    this.resume();
  }

  /** Plays from the current position to the end (or stop()); resolves with the final progress. */
  async play(): Promise<ReplayProgress> {
    const { pipeline, market, candles, speed } = this.options;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const step = timeframeMs(market.timeframe);
    const interval = speed === 'max' ? 0 : 1000 / speed;
    while (this.played < candles.length && !this.stopped) {
      if (this.resumeGate) await this.resumeGate.promise;
      if (this.stopped) break;
      const started = Date.now();
      const candle = candles[this.played];
      const now = this.options.candleClock === false ? undefined : candle.ts + step;
      this.signals += (await pipeline.processCloses([{ market, candle }], { now })).length;
      this.played++;
      if (interval > 0) await sleep(Math.max(0, interval - (Date.now() - started)));
    }
    return this.progress;
  }
}

/** Candles for a replay from the candle store (inclusive range) or from a CSV file. */
export async function replayCandles(source: { db: JournalDb; market: MarketKey; from?: number; to?: number } | { csv: string; market: MarketKey }): Promise<Candle[]> {
  if ('csv' in source) return readCandlesFromCsv(source.csv, source.market.timeframe);
  const candles = await getCandles(source.db, source.market, { from: source.from, to: source.to });
  if (candles.length === 0) throw new InputError(`no stored candles for ${source.market.symbol} ${source.market.timeframe} on ${source.market.exchange}; import some first`, { field: 'market', value: source.market.symbol });
  return candles;
}
