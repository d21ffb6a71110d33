/** Similar finds past occurrences by replaying the setup through the backtester over the stored history before it. */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineServices } from '../../../src/engine/services/index.ts';
import { createSetupRegistry } from '../../../src/engine/journal/setup-registry.ts';
import { saveSignals } from '../../../src/engine/journal/signals.ts';
import { storeCandles } from '../../../src/engine/journal/candle-history.ts';
import { loadSetupsDir } from '../../../src/engine/setups/index.ts';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';
import { tempDb, type TempDb } from '../journal/fixtures.ts';
import type { Signal } from '../../../src/engine/types.ts';

let t: TempDb | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe('similar from backtests', () => {
  it('returns same-setup, same-side occurrences from before the signal, each with its simulated R', async () => {
    t = await tempDb();
    const candles = loadSampleCandles('binance_BTCUSDT_1h');
    const market = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };
    await storeCandles(t.store, market, candles);
    const setups = loadSetupsDir(path.join(ROOT, 'setups')).setups;
    const registry = await createSetupRegistry({ db: t.store.db, setups });
    const services = createEngineServices({ db: t.store.db, registry, settings: { minScore: 0, timezone: 'UTC' }, now: () => candles[candles.length - 1].ts });
    const setup = registry.get('ema_cross')!.setup;
    const last = candles[candles.length - 1];
    const target: Signal = {
      id: `ema_cross@${setup.version}:binance:BTC/USDT:1h:${last.ts}:long`, setupId: 'ema_cross', setupVersion: setup.version, setupName: setup.name,
      exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', side: 'long', ts: last.ts, entryType: 'market', entry: last.close, stop: last.close * 0.99,
      targets: [{ price: last.close * 1.02, r: 2, closeFraction: 1 }], rr: 2, score: 7, rank: 1, reasons: { strengths: [], weaknesses: [] },
      context: { close: last.close }, validUntil: last.ts + 3_600_000,
    };
    await saveSignals(t.store.db, [target], last.ts);
    const similar = await services.signals.similar(target.id, 5);
    expect(similar.length).toBeGreaterThan(0);
    for (const s of similar) {
      expect(s).toMatchObject({ source: 'backtest', signal: { setupId: 'ema_cross', side: 'long' } });
      expect(s.signal.ts).toBeLessThan(target.ts);
      expect(Number.isFinite(s.r)).toBe(true);
    }
    // Nearest first.
    expect(similar.map((s) => s.similarity)).toEqual([...similar.map((s) => s.similarity)].sort((a, b) => b - a));
  }, 60_000);
});
