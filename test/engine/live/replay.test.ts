import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplayFeed, replayCandles } from '../../../src/engine/live/replay-feed.ts';
import { detectSignalsWithRegimes } from '../../../src/engine/regime/detect.ts';

// The pipeline runs the detector behind the regime gate (setups' `regimes:` maps; the regime in every signal's context).
const detectSignals = (...args: Parameters<typeof detectSignalsWithRegimes>) => detectSignalsWithRegimes(...args).signals;
import { recentSignals } from '../../../src/engine/journal/signals.ts';
import { getCandles, upsertCandles } from '../../../src/engine/store/candles.ts';
import type { MarketKey, Signal } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { tempDb, type TempDb } from '../journal/fixtures.ts';
import { newPipeline, shippedSetups } from './rig.ts';

const MARKET: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
/** Two months of hourly candles keep the test fast; the detector needs no more to fire every shipped 1h setup. */
const sample = () => loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 1500);

describe('replay feed', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('replaying two months of candles through the pipeline journals exactly the signals detectSignals finds', async () => {
    const candles = sample();
    const csv = path.join(t.dir, 'btc.csv');
    writeFileSync(csv, ['ts,open,high,low,close,volume', ...candles.map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n'));
    const expected = detectSignals(candles, { market: MARKET, setups: shippedSetups() });
    expect(expected.length).toBeGreaterThan(3);

    const pipeline = newPipeline(t.store);
    const seen: Signal[] = [];
    pipeline.events.on((e) => e.type === 'signal' && seen.push(e.signal));
    const feed = new ReplayFeed({ pipeline, market: MARKET, candles: await replayCandles({ csv, market: MARKET }), speed: 'max' });
    const progress = await feed.play();

    expect(progress).toEqual({ played: candles.length, total: candles.length, signals: expected.length });
    expect(seen.map((s) => s.id)).toEqual(expected.map((s) => s.id));
    const journaled = await recentSignals(t.store.db, 10_000);
    const byId = (a: Signal, b: Signal) => a.id.localeCompare(b.id);
    expect([...journaled].sort(byId)).toEqual([...expected].sort(byId));
    // Every candle was stored on the way.
    expect(await getCandles(t.store.db, MARKET)).toEqual(candles);
  });

  it('pause holds the replay, resume continues it, and a stored-candle replay warms up on earlier history', async () => {
    const candles = sample();
    await upsertCandles(t.store, MARKET, candles);
    const split = 1000;
    const expected = detectSignals(candles, { market: MARKET, setups: shippedSetups(), from: candles[split].ts });

    expect(expected.length).toBeGreaterThan(0);
    const pipeline = newPipeline(t.store, { warmupCandles: 5_000 });
    const ticks: number[] = [];
    const feed = new ReplayFeed({
      pipeline,
      market: MARKET,
      candles: await replayCandles({ db: t.store.db, market: MARKET, from: candles[split].ts }),
      speed: 1000,
      sleep: async () => {
        ticks.push(feed.progress.played);
        if (feed.progress.played === 10) {
          feed.pause();
          setTimeout(() => feed.resume(), 20);
        }
      },
    });
    const progress = await feed.play();
    expect(ticks.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(progress.played).toBe(candles.length - split);
    const journaled = await recentSignals(t.store.db, 10_000);
    expect(journaled.map((s) => s.id).sort()).toEqual(expected.map((s) => s.id).sort());
  });

  it('refuses a nonsense speed', () => {
    expect(() => new ReplayFeed({ pipeline: newPipeline(t.store), market: MARKET, candles: [], speed: 0 })).toThrow(/positive number of candles per second/);
  });
});
