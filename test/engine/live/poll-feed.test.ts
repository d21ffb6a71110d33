import cron from 'node-cron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeExpression, PollingFeed } from '../../../src/engine/live/poll-feed.ts';
import type { LiveEvent } from '../../../src/engine/live/events.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import { recentSignals } from '../../../src/engine/journal/signals.ts';
import { getCandles, upsertCandles } from '../../../src/engine/store/candles.ts';
import type { MarketKey } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { startRig, stopRig, type Rig } from '../market/gateway/setup.ts';
import { HOUR, tempDb, type TempDb } from '../journal/fixtures.ts';
import { newPipeline, shippedSetups } from './rig.ts';

const BTC: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
const ETH: MarketKey = { exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h' };
const BTC_1H = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 400);
const closeOf = (i: number) => BTC_1H[i].ts + HOUR;

describe('polling feed against the exchange fake', () => {
  let t: TempDb;
  let rig: Rig | undefined;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => {
    await stopRig(rig);
    rig = undefined;
    await t.cleanup();
  });

  it('a tick after the close stores and processes the closed candle; a missed candle is backfilled', async () => {
    rig = await startRig({ now: closeOf(199) + 5_000 });
    await upsertCandles(t.store, BTC, BTC_1H.slice(0, 199));
    const pipeline = newPipeline(t.store, { warmupCandles: 1_000, sourceFor: () => rig!.gateway, now: () => rig!.fake.now() });
    const events: LiveEvent[] = [];
    pipeline.events.on((e) => events.push(e));
    const feed = new PollingFeed({ pipeline, sourceFor: () => rig!.gateway, markets: async () => [BTC], now: () => rig!.fake.now() });

    const first = await feed.tick('1h');
    // The closed candle from the exchange, not the forming one the fake also serves.
    expect(first).toEqual([{ market: BTC, candle: BTC_1H[199] }]);
    expect(pipeline.lastTs(BTC)).toBe(BTC_1H[199].ts);
    expect(await getCandles(t.store.db, BTC)).toEqual(BTC_1H.slice(0, 200));

    // Two closes are missed (the process was down); the next tick finds 202 and fills 200 and 201 from the exchange.
    rig.fake.setNow(closeOf(202) + 5_000);
    const second = await feed.tick('1h');
    expect(second.map((c) => c.candle)).toEqual([BTC_1H[202]]);
    expect(events).toContainEqual({ type: 'backfill', market: BTC, missing: 2, filled: 2 });
    expect(events.filter((e) => e.type === 'candle').map((e) => e.type === 'candle' && [e.candle.ts, e.backfilled])).toEqual([
      [BTC_1H[199].ts, false],
      [BTC_1H[200].ts, true],
      [BTC_1H[201].ts, true],
      [BTC_1H[202].ts, false],
    ]);
    expect(await getCandles(t.store.db, BTC)).toEqual(BTC_1H.slice(0, 203));

    // Same detector state as a batch run over the same candles: the live signals are the batch's signals.
    const expected = detectSignals(BTC_1H.slice(0, 203), { market: BTC, setups: shippedSetups(), from: BTC_1H[199].ts });
    expect((await recentSignals(t.store.db, 100)).map((s) => s.id).sort()).toEqual(expected.map((s) => s.id).sort());

    // A tick with nothing new is a no-op.
    expect(await feed.tick('1h')).toEqual([]);
  });

  it('reports a stale feed when the exchange has no candle for the last close', async () => {
    rig = await startRig({ now: closeOf(10) + 5_000 });
    const pipeline = newPipeline(t.store, { sourceFor: () => rig!.gateway, now: () => rig!.fake.now() });
    const events: LiveEvent[] = [];
    pipeline.events.on((e) => events.push(e));
    // The fake's ETH series is from 2023-04: at a 2024 clock its newest candle is a year old.
    const feed = new PollingFeed({ pipeline, sourceFor: () => rig!.gateway, markets: async () => [ETH], now: () => rig!.fake.now() });
    await feed.tick('1h');
    const stale = events.find((e) => e.type === 'feed-stale');
    expect(stale).toMatchObject({ type: 'feed-stale', market: ETH, expectedTs: BTC_1H[10].ts });
    expect(stale!.type === 'feed-stale' && stale!.lastTs! < BTC_1H[0].ts).toBe(true);
  });
});

describe('cron schedule', () => {
  it('fires a few seconds after every close of each timeframe (checked with node-cron itself)', () => {
    const cases = { '1m': '5 * * * * *', '15m': '5 */15 * * * *', '1h': '5 0 * * * *', '4h': '5 0 */4 * * *', '1d': '5 0 0 * * *', '1w': '5 0 0 * * 1' } as const;
    for (const [tf, expression] of Object.entries(cases)) expect(closeExpression(tf as keyof typeof cases)).toBe(expression);
    const task = cron.createTask(closeExpression('4h'), () => undefined, { timezone: 'UTC' });
    const runs = task.getNextRuns(3);
    for (const run of runs) {
      expect(run.getUTCSeconds()).toBe(5);
      expect(run.getUTCMinutes()).toBe(0);
      expect(run.getUTCHours() % 4).toBe(0);
    }
    expect(runs[1].getTime() - runs[0].getTime()).toBe(4 * HOUR);
    void task.destroy();
  });

  it('start() creates one task per watched timeframe and stop() removes them', async () => {
    const t = await tempDb();
    try {
      const pipeline = newPipeline(t.store);
      const feed = new PollingFeed({ pipeline, sourceFor: () => undefined, markets: async () => [BTC, ETH, { ...BTC, timeframe: '4h' }] });
      await feed.start();
      expect(feed.timeframes.sort()).toEqual(['1h', '4h']);
      await feed.stop();
      expect(feed.timeframes).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });
});
