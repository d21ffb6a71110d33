import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLive, type LiveSystem } from '../../../src/engine/live/index.ts';
import { createSetupRegistry } from '../../../src/engine/journal/setup-registry.ts';
import { addWatched } from '../../../src/engine/journal/watchlist.ts';
import { enqueue, listOutbox } from '../../../src/engine/journal/outbox.ts';
import { saveSignals } from '../../../src/engine/journal/signals.ts';
import { upsertCandles } from '../../../src/engine/store/candles.ts';
import type { MarketKey } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { startRig, stopRig, type Rig } from '../market/gateway/setup.ts';
import { HOUR, makeSignal, tempDb, type TempDb } from '../journal/fixtures.ts';
import { OWNER, recordingDeliver, shippedSetups } from './rig.ts';

const BTC: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
const BTC_1H = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 300);

describe('startLive', () => {
  let t: TempDb;
  let rig: Rig | undefined;
  let live: LiveSystem | undefined;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => {
    await live?.stop();
    await stopRig(rig);
    await t.cleanup();
  });

  it('warms watched markets, schedules their timeframes, delivers what was pending before the restart, follows setup changes', async () => {
    rig = await startRig({ now: BTC_1H[250].ts + HOUR + 5_000 });
    await upsertCandles(t.store, BTC, BTC_1H.slice(0, 250));
    await addWatched(t.store.db, BTC, BTC_1H[0].ts);
    const leftover = makeSignal({ id: 'leftover', ts: BTC_1H[249].ts, validUntil: rig.fake.now() + HOUR });
    await saveSignals(t.store.db, [leftover], rig.fake.now());
    await enqueue(t.store.db, leftover, OWNER, rig.fake.now(), rig.fake.now());

    const registry = await createSetupRegistry({ db: t.store.db, setups: shippedSetups() });
    const { deliver, delivered } = recordingDeliver();
    live = await startLive({
      db: t.store.db, sqlite: t.store.sqlite, registry, recipients: [{ userId: OWNER, chatId: OWNER }], settings: { minScore: 0, timezone: 'UTC' },
      sourceFor: () => rig!.gateway, deliver, now: () => rig!.fake.now(),
    });
    expect(live.feed.timeframes).toEqual(['1h']);
    expect(live.pipeline.lastTs(BTC)).toBe(BTC_1H[249].ts);
    for (let i = 0; i < 100 && delivered.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(delivered.map((d) => d.signalId)).toEqual(['leftover']);
    expect((await listOutbox(t.store.db)).map((r) => r.status)).toEqual(['sent']);

    await live.feed.tick('1h');
    expect(live.pipeline.lastTs(BTC)).toBe(BTC_1H[250].ts);
    expect(live.runtime.paused()).toBe(false);

    // A new setup version restarts the detectors from stored history, including the candle just processed.
    await registry.setParam('ema_cross', 'fast', 10);
    await new Promise((r) => setTimeout(r, 50));
    expect(live.pipeline.lastTs(BTC)).toBe(BTC_1H[250].ts);
  });
});
