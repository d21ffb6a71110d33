import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.ts';
import { loadSetupsDir, parseSetup } from '../../../src/engine/setups/index.ts';
import { createSetupRegistry } from '../../../src/engine/journal/setup-registry.ts';
import { listSetupVersions } from '../../../src/engine/journal/setup-versions.ts';
import { getSignal, recentSignals, saveSignals } from '../../../src/engine/journal/signals.ts';
import { getDecision, recordDecision } from '../../../src/engine/journal/decisions.ts';
import { addWatched, listWatched, removeWatched, setWatchedAccount } from '../../../src/engine/journal/watchlist.ts';
import { InputError } from '../../../src/engine/errors.ts';
import { ROOT } from '../../helpers/candles.ts';
import { HOUR, makeSignal, T0, tempDb, type TempDb } from './fixtures.ts';

const SETUPS_DIR = path.join(ROOT, 'setups');
const emaCross = () => loadSetupsDir(SETUPS_DIR).setups.filter((s) => s.id === 'ema_cross');

describeBackends('journal', (backend) => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb(backend);
  });
  afterEach(async () => t.cleanup());

  it('stores a signal with every field and reads it back unchanged; re-saving the same id is a no-op', async () => {
    const signal = makeSignal({ context: { close: 101.5, rsi: 61.25, structure: 'bearish', inZone: true } });
    expect(await saveSignals(t.store.db, [signal], T0)).toBe(1);
    expect(await saveSignals(t.store.db, [signal], T0 + 1)).toBe(0);
    expect(await getSignal(t.store.db, signal.id)).toEqual(signal);
    expect(await recentSignals(t.store.db, 10)).toHaveLength(1);
  });

  it('keeps one decision per signal: the second insert is refused by the UNIQUE constraint', async () => {
    const signal = makeSignal();
    await saveSignals(t.store.db, [signal], T0);
    const first = { signalId: signal.id, kind: 'approve' as const, byUser: 1, decidedAt: T0 + 10, latencyMs: 10 };
    expect(await recordDecision(t.store.db, first)).toBe(true);
    expect(await recordDecision(t.store.db, { ...first, kind: 'reject', decidedAt: T0 + 20 })).toBe(false);
    expect((await getDecision(t.store.db, signal.id))?.kind).toBe('approve');
    const rows = await t.store.db.selectFrom('decisions').selectAll().execute();
    expect(rows).toHaveLength(1);
  });

  it('watchlist: add once, list, remove', async () => {
    const m = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };
    expect(await addWatched(t.store.db, m, T0)).toBe(true);
    expect(await addWatched(t.store.db, m, T0 + HOUR)).toBe(false);
    expect(await listWatched(t.store.db)).toEqual([{ ...m, addedAt: T0 }]);
    expect(await removeWatched(t.store.db, m)).toBe(true);
    expect(await removeWatched(t.store.db, m)).toBe(false);
  });

  it('watchlist: each market has an account type (spot, perp, or the configured default)', async () => {
    const btc = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };
    const eth = { exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h' as const };
    await addWatched(t.store.db, btc, T0, 'perp');
    await addWatched(t.store.db, eth, T0 + 1);
    expect(await listWatched(t.store.db)).toEqual([{ ...btc, addedAt: T0, account: 'perp' }, { ...eth, addedAt: T0 + 1 }]);
    expect(await setWatchedAccount(t.store.db, eth, 'spot')).toBe(true);
    expect(await setWatchedAccount(t.store.db, btc, undefined)).toBe(true);
    expect((await listWatched(t.store.db)).map((w) => w.account)).toEqual([undefined, 'spot']);
    // The column refuses anything but the two account types.
    await expect(t.store.db.updateTable('watchlist').set({ account: 'margin' }).execute()).rejects.toThrow(/check constraint/i);
  });
});

describeBackends('setup registry', (backend) => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb(backend);
  });
  afterEach(async () => t.cleanup());

  it('a parameter change makes a new version equal to the edited YAML file, and the old version row stays', async () => {
    const [original] = emaCross();
    const registry = await createSetupRegistry({ db: t.store.db, setups: [original], now: () => T0 });
    const changed = await registry.setParam('ema_cross', 'fast', 12);

    // Reference: the same file edited by hand, parsed by the ordinary loader.
    const text = readFileSync(original.source!, 'utf8').replace('fast: { value: 9,', 'fast: { value: 12,');
    const expected = parseSetup(text, original.source!);
    expect(expected.params.fast.value).toBe(12);
    expect(changed.setup.version).toBe(expected.version);
    expect(changed.setup.version).not.toBe(original.version);
    expect(changed.yaml).toContain('value: 12');

    const versions = await listSetupVersions(t.store.db, 'ema_cross');
    expect(versions.map((v) => v.version).sort()).toEqual([original.version, expected.version].sort());
    expect(versions.find((v) => v.version === original.version)!.source).toContain('fast: { value: 9,');

    // The override survives a restart: a new registry over the same file starts on the new version.
    const again = await createSetupRegistry({ db: (await t.reopen()).db, setups: emaCross(), now: () => T0 + HOUR });
    expect(again.get('ema_cross')!.setup.version).toBe(expected.version);
    expect(await listSetupVersions(t.store.db, 'ema_cross')).toHaveLength(2);
  });

  it('switching a setup off keeps its version; bad parameters are refused with the field named', async () => {
    const [original] = emaCross();
    const registry = await createSetupRegistry({ db: t.store.db, setups: [original], now: () => T0 });
    const off = await registry.setEnabled('ema_cross', false);
    expect(off.setup.enabled).toBe(false);
    expect(off.setup.version).toBe(original.version);
    expect(registry.enabled()).toHaveLength(0);
    await expect(registry.setParam('ema_cross', 'fast', 99)).rejects.toThrow(/within \[5, 20\], got 99/);
    await expect(registry.setParam('ema_cross', 'nope', 1)).rejects.toThrow(InputError);
    await expect(registry.setParam('missing', 'fast', 10)).rejects.toThrow(/unknown setup "missing"/);
  });
});
