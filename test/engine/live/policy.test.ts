/**
 * The live pipeline pushes what the trading session would take (signals/policy.ts, the rules of
 * trading/decision.ts): on real BTC/USDT 15m candles through the shipped setups on a spot account,
 * a cost-dominated signal and any short are journaled with the rule and the reason but not pushed; the others are
 * queued. The shipped setups keep their stops ≥ ~1.5 % away (≈ 0.13 R at 0.1 %), so the account here pays 0.2 % per
 * side with a 0.3 R limit, which splits the real signals. The cost is recomputed by hand: (entry + stop) × 0.2 % /
 * |entry − stop| (both fills pay 0.2 %, no slippage).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplayFeed, replayCandles } from '../../../src/engine/live/replay-feed.ts';
import { getSignalRecord } from '../../../src/engine/journal/signals.ts';
import { listOutbox } from '../../../src/engine/journal/outbox.ts';
import type { LiveEvent } from '../../../src/engine/live/events.ts';
import type { MarketKey, Signal } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { tempDb, type TempDb } from '../journal/fixtures.ts';
import { newPipeline } from './rig.ts';

const MARKET: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '15m' };

describe('live pipeline: the signal policy before anything is pushed', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('a cost-dominated signal and a short on spot are journaled with their rule, not pushed; a good long is pushed', { timeout: 60_000 }, async () => {
    const candles = loadSampleCandles('binance_BTCUSDT_15m_2023-04');
    const csv = path.join(t.dir, 'btc.csv');
    writeFileSync(csv, ['ts,open,high,low,close,volume', ...candles.map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n'));
    const pipeline = newPipeline(t.store, { policy: { maxCostR: 0.3, accountOf: () => 'spot' }, costs: { makerFee: 0.002, takerFee: 0.002, slippage: 0 } });
    const events: Extract<LiveEvent, { type: 'signal' }>[] = [];
    pipeline.events.on((e) => e.type === 'signal' && events.push(e));
    await new ReplayFeed({ pipeline, market: MARKET, candles: await replayCandles({ csv, market: MARKET }), speed: 'max' }).play();

    const costR = (s: Signal) => ((s.entry + s.stop) * 0.002) / Math.abs(s.entry - s.stop);
    const shorts = events.filter((e) => e.signal.side === 'short');
    const costly = events.filter((e) => e.signal.side === 'long' && costR(e.signal) > 0.3);
    const good = events.filter((e) => e.signal.side === 'long' && costR(e.signal) <= 0.3);
    expect(shorts.length, 'shorts').toBeGreaterThan(0);
    expect(costly.length, 'cost-dominated longs').toBeGreaterThan(0);
    expect(good.length, 'good longs').toBeGreaterThan(0);

    const pushed = new Set((await listOutbox(t.store.db)).map((r) => r.signalId));
    for (const e of shorts) {
      expect(pushed.has(e.signal.id)).toBe(false);
      expect(e).toMatchObject({ queued: false, held: 'side: a spot account cannot sell short' });
      expect((await getSignalRecord(t.store.db, e.signal.id))?.filtered).toEqual({ rule: 'side', reason: 'a spot account cannot sell short' });
    }
    for (const e of costly) {
      expect(pushed.has(e.signal.id)).toBe(false);
      expect(e.queued).toBe(false);
      expect(e.held).toMatch(/^cost: a stopped trade would cost \d+\.\d\d R in fees and slippage \(limit 0\.3 R\)$/);
      expect((await getSignalRecord(t.store.db, e.signal.id))?.filtered?.rule).toBe('cost');
    }
    for (const e of good) {
      expect(pushed.has(e.signal.id), `${e.signal.id} ${e.held}`).toBe(true);
      expect(e.queued).toBe(true);
      expect((await getSignalRecord(t.store.db, e.signal.id))?.filtered).toBeUndefined();
    }
  });
});
