/** The regime enable map holds in the live pipeline and in the backtester's signal source alike (one trading path). */
import { describe, expect, it } from 'vitest';
import { recentSignals } from '../../../src/engine/journal/signals.ts';
import { detectorSource } from '../../../src/engine/backtest/detector-source.ts';
import type { MarketKey, Signal } from '../../../src/engine/types.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { tempDb } from '../journal/fixtures.ts';
import { newPipeline, shippedSetups } from '../live/rig.ts';

const MARKET: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };

describe('regime gate on the live path', () => {
  it('a setup restricted to trend_up fires only in trend_up, live and in backtests, and the regime is in every signal', async () => {
    const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 1500);
    const plain = shippedSetups().find((s) => s.id === 'ema_cross')!;
    const gated = { ...plain, regimes: ['trend_up' as const] };
    const run = async (setup: typeof plain) => {
      const db = await tempDb();
      try {
        const pipeline = newPipeline(db.store, { setups: () => [setup] });
        for (const candle of candles) await pipeline.processCloses([{ market: MARKET, candle }], { now: candle.ts + 3_600_000 });
        // Signals the map refused are journaled too (filtered by `regime`, with an outcome); the pushable ones are the rest.
        const refused = new Set((await db.store.db.selectFrom('signals').select('id').where('policy_rule', '=', 'regime').execute()).map((r) => r.id));
        return (await recentSignals(db.store.db, 10_000)).filter((s) => !refused.has(s.id));
      } finally {
        await db.cleanup();
      }
    };
    const all = await run(plain);
    const live = await run(gated);
    expect(all.every((s) => typeof s.context.regime === 'string')).toBe(true);
    expect(live.length).toBeGreaterThan(0);
    expect(live.length).toBeLessThan(all.length);
    expect(live.every((s) => s.context.regime === 'trend_up')).toBe(true);
    // Exactly the ungated signals whose regime was trend_up.
    expect(live.map((s) => s.id).sort()).toEqual(all.filter((s) => s.context.regime === 'trend_up').map((s) => s.id).sort());

    const emitted: Signal[] = [];
    const source = detectorSource([{ key: MARKET }], [gated], { onSignal: (s) => emitted.push(s) });
    candles.forEach((c, i) => source.onCandle(0, i, c));
    expect(emitted.map((s) => s.id).sort()).toEqual(live.map((s) => s.id).sort());
  });
});
