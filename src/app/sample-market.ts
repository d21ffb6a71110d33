/**
 * Offline market: without an exchange, `npm start` plays the bundled sample candles through the live pipeline as if
 * they were closing now (bar replay), so signals reach the web chat exactly as live ones would. The replay clock is
 * the candle clock: a signal stays valid for its setup's number of bars of replayed time.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Candle, MarketKey } from '../engine/types.ts';
import type { Database } from '../engine/store/schema.ts';
import { getCandles, listMarkets } from '../engine/store/candles.ts';
import { importCandleCsv } from '../engine/market/csv/import-csv.ts';
import { timeframeMs } from '../engine/market/timeframes.ts';
import type { ClosedCandle, LivePipeline } from '../engine/live/index.ts';
import type { Logger } from '../logger.ts';
import { maxOf } from '../engine/backtest/metrics.ts';

/** Bundled files that make up the offline market (data/samples, see its manifest). */
export const SAMPLE_MARKETS: { file: string; market: MarketKey }[] = [
  { file: 'binance_BTCUSDT_15m.csv', market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '15m' } },
  { file: 'binance_BTCUSDT_1h_2024-07.csv', market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' } },
  { file: 'binance_BTCUSDT_4h_2024-07.csv', market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '4h' } },
  { file: 'binance_ETHUSDT_15m_2023-04.csv', market: { exchange: 'binance', symbol: 'ETH/USDT', timeframe: '15m' } },
  { file: 'binance_ETHUSDT_1h_2023-04.csv', market: { exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h' } },
];

/** Imports the bundled samples once (re-running is a no-op: the store upserts). */
export async function seedSampleCandles(db: Kysely<Database>, sqlite: SQLite.Database | undefined, samplesDir: string, logger: Logger): Promise<void> {
  const stored = new Map((await listMarkets(db)).map((m) => [`${m.exchange}|${m.symbol}|${m.timeframe}`, m.count]));
  for (const { file, market } of SAMPLE_MARKETS) {
    const key = `${market.exchange}|${market.symbol}|${market.timeframe}`;
    const csv = path.join(samplesDir, file);
    if ((stored.get(key) ?? 0) > 0 || !existsSync(csv)) continue;
    const summary = await importCandleCsv({ db, sqlite }, csv, market);
    logger.info('imported sample candles', { market: `${market.symbol} ${market.timeframe}`, rows: summary.rows });
  }
}

export interface SampleReplayOptions {
  db: Kysely<Database>;
  pipeline: LivePipeline;
  markets: () => Promise<MarketKey[]>;
  /** Candle closes per second of wall time. */
  speed: number;
  /** Start this many days before the end of the data, unless a saved position says otherwise. */
  days: number;
  /** Where the position is kept so a restart continues instead of replaying (and re-sending) the same closes. */
  positionFile: string;
  /** How long the replay waits for the trader's decision on a pushed signal before moving on (ms). */
  decisionWaitMs: number;
  /** Called per market with the stored candles before the replay's start (e.g. to warm the executor's statistics). */
  warm?: (market: MarketKey, history: readonly Candle[]) => void | Promise<void>;
  logger: Logger;
}

export interface SampleReplay {
  /** The replay clock: close time of the last processed candle. */
  now(): number;
  /** Bar replay waits for the trader: a pushed signal holds the clock until it is decided (or the wait runs out). */
  hold(signalId: string): void;
  release(signalId: string): void;
  stop(): Promise<void>;
}

export async function startSampleReplay(options: SampleReplayOptions): Promise<SampleReplay> {
  const markets = (await options.markets()).filter((m) => SAMPLE_MARKETS.some((s) => sameMarket(s.market, m)));
  const series = new Map<MarketKey, Candle[]>();
  for (const market of markets) series.set(market, await getCandles(options.db, market));
  const end = maxOf([...series].map(([m, c]) => (c.length ? c[c.length - 1].ts + timeframeMs(m.timeframe) : 0)));
  const saved = readPosition(options.positionFile);
  const start = saved ?? end - options.days * 86_400_000;

  // Every close after `start`, grouped by close time, so 15m, 1h and 4h candles closing together are ranked together.
  const timeline = new Map<number, ClosedCandle[]>();
  for (const [market, candles] of series) {
    const step = timeframeMs(market.timeframe);
    for (const candle of candles) {
      const close = candle.ts + step;
      if (close <= start) continue;
      timeline.set(close, [...(timeline.get(close) ?? []), { market, candle }]);
    }
  }
  const closes = [...timeline.keys()].sort((a, b) => a - b);
  for (const market of markets) {
    // Warm-up = candles CLOSED by the start (open ≤ start − timeframe); a candle still open at the start is replayed.
    await options.pipeline.warmUp(market, start - timeframeMs(market.timeframe) + 1);
    const history = series.get(market)!.filter((c) => c.ts + timeframeMs(market.timeframe) <= start);
    await options.warm?.(market, history.slice(-200));
  }

  let clock = start;
  let stopped = false;
  let wake: () => void = () => {};
  const held = new Map<string, number>();
  const interval = 1000 / options.speed;
  options.logger.info('offline market replay', {
    markets: markets.map((m) => `${m.symbol} ${m.timeframe}`).join(', '),
    from: new Date(start).toISOString(),
    closes: closes.length,
    speed: `${options.speed}/s`,
  });
  const loop = (async () => {
    for (const close of closes) {
      if (stopped) return;
      await options.pipeline.processCloses(timeline.get(close)!, { now: close });
      clock = close;
      writePositionAtomically(options.positionFile, close);
      let pause = interval;
      do {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        const waitUntil = Math.max(0, ...held.values());
        pause = Math.min(250, waitUntil - Date.now());
        if (pause <= 0) held.clear();
      } while (!stopped && held.size > 0);
    }
    options.logger.info(`offline market replay reached the end of the sample data; delete ${options.positionFile} to replay again`);
  })();
  return {
    now: () => clock,
    hold(signalId) {
      held.set(signalId, Date.now() + options.decisionWaitMs);
    },
    release(signalId) {
      held.delete(signalId);
      if (held.size === 0) wake();
    },
    async stop() {
      stopped = true;
      wake();
      await loop;
    },
  };
}

function sameMarket(a: MarketKey, b: MarketKey): boolean {
  return a.exchange === b.exchange && a.symbol === b.symbol && a.timeframe === b.timeframe;
}

function readPosition(file: string): number | undefined {
  try {
    const position = JSON.parse(readFileSync(file, 'utf8')).position;
    return Number.isFinite(position) ? position : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A temporary file renamed over the old one: a kill at any moment leaves either the previous position or the new
 * one, never a truncated file (after which the next start replayed from the beginning and fed past candles on).
 */
export function writePositionAtomically(file: string, position: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ position }));
  renameSync(temporary, file);
}
