/**
 * The offline replay's warm-up uses only candles CLOSED before the replay starts: a 4h candle still open at the
 * start is replayed, never fed to the detector early (which would be look-ahead and a duplicate).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/engine/store/database.ts';
import { upsertCandles } from '../src/engine/store/candles.ts';
import { candlesBefore } from '../src/engine/journal/candle-history.ts';
import { startSampleReplay, writePositionAtomically } from '../src/app/sample-market.ts';
import type { Candle, MarketKey } from '../src/engine/types.ts';
import type { ClosedCandle, LivePipeline } from '../src/engine/live/index.ts';
import { silentLogger } from '../src/logger.ts';

const HOUR = 3_600_000;
const H1: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
const H4: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '4h' };
const candle = (ts: number): Candle => ({ ts, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 });

describe('offline sample replay', () => {
  it('warms each detector with candles closed before the start and replays the rest, without overlap', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-sample-'));
    const store = await openDatabase(':memory:');
    try {
      // 10 days of 4h candles; 1h candles ending one hour into a 4h candle, so the start is not on a 4h boundary.
      const t0 = Date.UTC(2024, 0, 1);
      const h4 = Array.from({ length: 59 }, (_, i) => candle(t0 + i * 4 * HOUR));
      const h1 = Array.from({ length: 60 * 4 - 3 }, (_, i) => candle(t0 + i * HOUR));
      await upsertCandles(store, H4, h4);
      await upsertCandles(store, H1, h1);
      const warmed = new Map<string, Candle[]>();
      const replayed = new Map<string, number[]>();
      let closes = 0;
      let done: () => void = () => {};
      const finished = new Promise<void>((resolve) => (done = resolve));
      // What the real pipeline does with warmUp(market, beforeTs): candlesBefore(db, market, beforeTs, n).
      const pipeline = {
        async warmUp(market: MarketKey, beforeTs: number) {
          warmed.set(market.timeframe, await candlesBefore(store.db, market, beforeTs, 1000));
        },
        async processCloses(batch: ClosedCandle[]) {
          for (const { market, candle: c } of batch) replayed.set(market.timeframe, [...(replayed.get(market.timeframe) ?? []), c.ts]);
          if (++closes >= 3) done();
        },
      } as unknown as LivePipeline;
      const replay = await startSampleReplay({
        db: store.db, pipeline, markets: async () => [H1, H4], speed: 1000, days: 1, positionFile: path.join(dir, 'pos.json'), decisionWaitMs: 0, logger: silentLogger,
      });
      await finished;
      await replay.stop();
      const start = h1.at(-1)!.ts + HOUR - 86_400_000;
      for (const [tf, step] of [['1h', HOUR], ['4h', 4 * HOUR]] as const) {
        const warm = warmed.get(tf)!;
        expect(warm.every((c) => c.ts + step <= start), `${tf} warm-up closes by the start`).toBe(true);
        const first = replayed.get(tf)![0];
        // The first replayed candle is the one right after the last warm-up candle.
        expect(first).toBe(warm.at(-1)!.ts + step);
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the replay position file', () => {
  it('is replaced atomically: a temporary file renamed over the old one, never left behind', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-position-'));
    try {
      const file = path.join(dir, 'replay-position.json');
      writePositionAtomically(file, 1);
      writePositionAtomically(file, 2);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ position: 2 });
      expect(readdirSync(dir)).toEqual(['replay-position.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
