import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotServices } from '../../../src/bot/services.ts';
import { createEngineServices } from '../../../src/engine/services/index.ts';
import { createSetupRegistry } from '../../../src/engine/journal/setup-registry.ts';
import { saveSignals } from '../../../src/engine/journal/signals.ts';
import { enqueue, headOfQueue, markSent } from '../../../src/engine/journal/outbox.ts';
import { loadSetupsDir } from '../../../src/engine/setups/index.ts';
import type { Signal } from '../../../src/engine/types.ts';
import { ROOT } from '../../helpers/candles.ts';
import { HOUR, makeSignal, T0, tempDb, type TempDb } from '../journal/fixtures.ts';

async function build(t: TempDb, clock: { now: number }, approved: Signal[] = []) {
  const registry = await createSetupRegistry({ db: t.store.db, setups: loadSetupsDir(path.join(ROOT, 'setups')).setups, now: () => clock.now });
  const services = createEngineServices({
    db: t.store.db,
    registry,
    settings: { minScore: 7, timezone: 'UTC' },
    now: () => clock.now,
    startedAt: T0,
    onApprove: async (signal) => {
      approved.push(signal);
      return 'paper order placed';
    },
  });
  // The bot consumes these: they must stay assignable to the bot's contract.
  const contract: Omit<BotServices, 'charts' | 'knowledge' | 'backtest'> = services;
  return { services: contract, registry };
}

describe('engine services', () => {
  let t: TempDb;
  const clock = { now: T0 };
  beforeEach(async () => {
    t = await tempDb();
    clock.now = T0;
  });
  afterEach(async () => t.cleanup());

  it('decide: exactly one decision however often the button is pressed, latency measured from the push', async () => {
    const approved: Signal[] = [];
    const { services } = await build(t, clock, approved);
    const signal = makeSignal();
    await saveSignals(t.store.db, [signal], T0 + HOUR);
    await enqueue(t.store.db, signal, 42, T0 + HOUR, T0 + HOUR);
    await markSent(t.store.db, (await headOfQueue(t.store.db))!, 7, T0 + HOUR + 500);

    clock.now = T0 + HOUR + 2_000;
    const taps = await Promise.all([1, 2, 3].map(() => services.signals.decide(signal.id, 'approve', 100001)));
    const ok = taps.filter((r) => r.ok);
    expect(ok).toEqual([{ ok: true, decision: 'approve', latencyMs: 1_500, outcome: 'paper order placed' }]);
    expect(taps.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['already-decided', 'already-decided']);
    expect(await services.signals.decide(signal.id, 'reject', 100001)).toMatchObject({ ok: false, reason: 'already-decided', message: 'already approved' });
    expect(approved.map((s) => s.id)).toEqual([signal.id]);
    expect(await t.store.db.selectFrom('decisions').selectAll().execute()).toHaveLength(1);
  });

  it('decide refuses an expired signal and an unknown id, and records nothing', async () => {
    const { services } = await build(t, clock);
    const signal = makeSignal({ validUntil: T0 + 3 * HOUR });
    await saveSignals(t.store.db, [signal], T0 + HOUR);
    clock.now = T0 + 3 * HOUR + 1;
    expect(await services.signals.decide(signal.id, 'approve', 1)).toMatchObject({ ok: false, reason: 'expired' });
    expect(await services.signals.decide('nope', 'approve', 1)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(await t.store.db.selectFrom('decisions').selectAll().execute()).toHaveLength(0);
    // Exactly at validUntil it is still actionable; the outcome without an executor hook for rejects is "recorded".
    const fresh = makeSignal({ n: 1, validUntil: clock.now });
    await saveSignals(t.store.db, [fresh], clock.now - 10);
    expect(await services.signals.decide(fresh.id, 'reject', 1, 'no')).toEqual({ ok: true, decision: 'reject', latencyMs: 10, outcome: 'recorded' });
  });

  it('similar: earlier signals of the same setup and side only, nearest context first', async () => {
    const { services } = await build(t, clock);
    const target = makeSignal({ n: 5, context: { close: 100, rsi: 50, structure: 'bullish' } });
    const near = makeSignal({ n: 1, context: { close: 101, rsi: 52, structure: 'bullish' } });
    const far = makeSignal({ n: 2, context: { close: 100, rsi: 80, structure: 'bearish' } });
    const otherSetup = makeSignal({ n: 3, setupId: 'sma_cross', id: 'other', context: { close: 100, rsi: 50, structure: 'bullish' } });
    const otherSide = makeSignal({ n: 4, side: 'short', id: 'short-one', context: { close: 100, rsi: 50, structure: 'bullish' } });
    const later = makeSignal({ n: 6, context: { close: 100, rsi: 50, structure: 'bullish' } });
    await saveSignals(t.store.db, [target, near, far, otherSetup, otherSide, later], T0);
    const result = await services.signals.similar(target.id, 5);
    expect(result.map((r) => r.signal.id)).toEqual([near.id, far.id]);
    // Hand computation for `near`: terms side 0, close (1/201)^2, rsi (2/102)^2, structure 0 over 4 features.
    const d = Math.sqrt(((1 / 201) ** 2 + (2 / 102) ** 2) / 4);
    expect(result[0].similarity).toBeCloseTo(1 / (1 + d), 12);
    expect(result[0].outcome).toBe('no trade');
  });

  it('settings: defaults from config, language en, validated updates, quiet hours can be cleared', async () => {
    const { services } = await build(t, clock);
    expect(await services.settings.get(5)).toEqual({ language: 'en', minScore: 7, timezone: 'UTC', askOnPlainText: true });
    const updated = await services.settings.update(5, { language: 'ru', minScore: 8.5, quietHours: '23:00-07:00', timezone: 'Europe/Moscow' });
    expect(updated).toEqual({ language: 'ru', minScore: 8.5, timezone: 'Europe/Moscow', quietHours: '23:00-07:00', askOnPlainText: true });
    expect((await services.settings.update(5, { quietHours: undefined })).quietHours).toBeUndefined();
    await expect(services.settings.update(5, { minScore: 11 })).rejects.toThrow(/minScore must be a number from 0 to 10, got 11/);
    await expect(services.settings.update(5, { timezone: 'Mars/Base' })).rejects.toThrow(/unknown time zone "Mars\/Base"/);
    await expect(services.settings.update(5, { quietHours: '25:00-07:00' })).rejects.toThrow(/quiet hours/);
    expect(await services.settings.get(6)).toMatchObject({ minScore: 7, language: 'en' });
  });

  it('watchlist, setups and status', async () => {
    const { services } = await build(t, clock);
    const m = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };
    expect(await services.watchlist.add(m)).toEqual({ added: true, message: 'watching BTC/USDT 1h on binance' });
    expect((await services.watchlist.add(m)).added).toBe(false);
    expect(await services.watchlist.list()).toEqual([{ ...m, addedAt: T0, lastCandleTs: undefined }]);

    const list = await services.setups.list();
    expect(list.map((s) => s.id)).toContain('ema_cross');
    expect(list.every((s) => s.stats === undefined)).toBe(true);
    const before = (await services.setups.get('ema_cross'))!;
    expect(before.params.fast).toEqual({ value: 9, min: 5, max: 20, step: 1 });
    const after = await services.setups.setParam('ema_cross', 'slow', 24);
    expect(after.version).not.toBe(before.version);
    expect((await services.setups.get('ema_cross'))!.yaml).toContain('slow: { value: 24,');
    expect((await services.setups.setEnabled('ema_cross', false)).enabled).toBe(false);

    await saveSignals(t.store.db, [makeSignal()], T0);
    clock.now = T0 + 5 * HOUR;
    const status = await services.status();
    expect(status).toMatchObject({ mode: 'paper', paused: false, startedAt: T0, signalsToday: 1, pendingDeliveries: 0, setupsEnabled: list.filter((s) => s.enabled).length - 1 });
    expect(status.feeds).toEqual([{ ...m, addedAt: T0, lastCandleTs: undefined, stale: true, health: 'no candles yet' }]);
    expect(await services.watchlist.remove(m)).toBe(true);
  });
});
