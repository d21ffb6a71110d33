import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/engine/store/database.ts';
import { learningMigrations, LEARNING_MIGRATION_TABLE } from '../../../src/engine/learning/store/migrations.ts';
import { LabelService } from '../../../src/engine/learning/labels/service.ts';
import { storeArea } from '../../helpers/store-area.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-label-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('label service (chat)', () => {
  it('saves a screenshot label under the data directory, answers in the engine\'s words (the bot translates), ignores other captions', async () => {
    const opened = await openDatabase(path.join(dir, 'ita.sqlite'), { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations } });
    const service = new LabelService(storeArea(opened.db), dir);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const reply = await service.fromCaption('label fvg_retrace BTC/USDT 15m 2024-07-12 14:30 long', { bytes: png, extension: 'png' });
    expect(reply).toMatchObject({ ok: true, text: 'Label saved: fvg_retrace BTC/USDT 15m 2024-07-12 14:30 UTC long' });
    const file = path.join(dir, reply!.saved[0].screenshot!);
    expect(existsSync(file)).toBe(true);
    expect([...readFileSync(file)]).toEqual([...png]);
    expect(await service.fromCaption('look at this', { bytes: png, extension: 'png' })).toBeUndefined();
    const bad = await service.fromCaption('label fvg_retrace BTC/USDT 15m 2024-07-12 14:30 up');
    expect(bad).toMatchObject({ ok: false, text: 'Label not saved: side "up" must be long or short' });
    const csv = await service.importCsv('fvg_retrace,BTC/USDT,15m,2024-07-13 10:00,short\nnonsense\n', 'chat');
    expect(csv.text).toBe('Labels saved: 1\nline 2: expected 5 fields (setup, symbol, timeframe, time, side), got 1');
    expect(await service.list()).toHaveLength(2);
    await opened.close();
  });
});
