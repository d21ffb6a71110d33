/** Setups from the chat: a drafted change is validated and shown as a diff; applying it writes the file, a new version. */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSetupRegistry } from '../../../src/engine/journal/setup-registry.ts';
import { listSetupVersions } from '../../../src/engine/journal/setup-versions.ts';
import { createSetupsService } from '../../../src/engine/services/setups.ts';
import { loadSetupsDir } from '../../../src/engine/setups/index.ts';
import { InputError } from '../../../src/engine/errors.ts';
import { ROOT } from '../../helpers/candles.ts';
import { tempDb, type TempDb } from '../journal/fixtures.ts';

let t: TempDb | undefined;
let dir: string | undefined;
afterEach(async () => {
  await t?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
  t = dir = undefined;
});

async function start() {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ita-setups-'));
  cpSync(path.join(ROOT, 'setups'), dir, { recursive: true });
  t = await tempDb();
  const registry = await createSetupRegistry({ db: t.store.db, setups: loadSetupsDir(dir).setups });
  return { registry, service: createSetupsService({ registry }), db: t.store.db };
}

describe('setup edits from the chat', () => {
  it('edits the stop: a draft with its diff first, then a new version written to the file', async () => {
    const { registry, service, db } = await start();
    const before = registry.get('ema_cross')!.setup.version;
    const draft = await service.draft('ema_cross', { kind: 'set', path: 'stop.mult', value: '2.5' });
    expect(draft.diff.some((l) => l.startsWith('+') && l.includes('2.5'))).toBe(true);
    expect(draft.version).not.toBe(before);
    expect(registry.get('ema_cross')!.setup.version).toBe(before); // nothing applied yet
    const applied = await service.apply(draft);
    expect(applied.version).toBe(draft.version);
    expect(registry.get('ema_cross')!.setup.stop).toMatchObject({ mult: 2.5 });
    expect(readFileSync(path.join(dir!, 'ema_cross.yaml'), 'utf8')).toContain('2.5');
    expect((await listSetupVersions(db, 'ema_cross')).map((v) => v.version)).toEqual(expect.arrayContaining([before, draft.version]));
    // A restart reads the edited file: the same version.
    const reloaded = loadSetupsDir(dir!).setups.find((s) => s.id === 'ema_cross')!;
    expect(reloaded.version).toBe(draft.version);
  });

  it('limits a setup to some markets and clones one under a new id', async () => {
    const { registry, service } = await start();
    await service.apply(await service.draft('ema_cross', { kind: 'set', path: 'markets', value: '[BTC/USDT, ETH/USDT]' }));
    expect(registry.get('ema_cross')!.setup.markets).toEqual(['BTC/USDT', 'ETH/USDT']);
    const clone = await service.draft('ema_cross', { kind: 'clone', newId: 'ema_cross_eth' });
    await service.apply(clone);
    expect(registry.get('ema_cross_eth')!.setup.name).toMatch(/\(copy\)$/);
    expect(existsSync(path.join(dir!, 'ema_cross_eth.yaml'))).toBe(true);
  });

  it('refuses what would not load, naming the field, and what may not be edited', async () => {
    const { service } = await start();
    await expect(service.draft('ema_cross', { kind: 'set', path: 'stop.type', value: 'nonsense' })).rejects.toThrow(/stop/);
    await expect(service.draft('ema_cross', { kind: 'set', path: 'id', value: 'x' })).rejects.toBeInstanceOf(InputError);
    await expect(service.draft('ema_cross', { kind: 'clone', newId: 'sma_cross' })).rejects.toThrow(/already exists/);
  });
});
