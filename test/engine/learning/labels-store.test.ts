/** The trader's labelled examples (learning_labels), on SQLite and PostgreSQL alike. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/engine/store/database.ts';
import { learningMigrations, LEARNING_MIGRATION_TABLE } from '../../../src/engine/learning/store/migrations.ts';
import { listLabels, removeLabel, saveLabel } from '../../../src/engine/learning/labels/store.ts';
import type { LabelInput } from '../../../src/engine/learning/labels/parse.ts';
import { describeBackends, storePerTest } from '../../helpers/backends.ts';
import { storeArea } from '../../helpers/store-area.ts';
import type { LearningDatabase } from '../../../src/engine/learning/store/schema.ts';
import { createTestDatabase, hasPostgres, skipWithoutPostgres } from '../../helpers/postgres.ts';

const T0 = Date.UTC(2024, 6, 12, 14, 30);
const label = (extra: Partial<LabelInput> = {}): LabelInput => ({ setupId: 'fvg_retrace', symbol: 'BTC/USDT', timeframe: '15m', ts: T0, side: 'long', ...extra });

describeBackends('labelled examples store', (backend) => {
  const current = storePerTest(backend, { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations } });
  const db = () => storeArea<LearningDatabase>(current.store.db);

  it('saves a label with its epoch-ms time, and the same label twice is one label (the newest source wins)', async () => {
    const first = await saveLabel(db(), label(), 'cli', { now: T0 + 1 });
    expect(first).toEqual({ ...label(), id: expect.any(Number), source: 'cli', createdAt: T0 + 1 });
    const again = await saveLabel(db(), label(), 'chat', { screenshot: 'labels/1.png', now: T0 + 2 });
    // The row is kept (same id and creation time); its source and screenshot are the newest.
    expect(again).toEqual({ ...first, source: 'chat', screenshot: 'labels/1.png' });
    // A later source without a screenshot keeps the one already stored.
    expect(await saveLabel(db(), label(), 'import', { now: T0 + 3 })).toEqual({ ...first, source: 'import', screenshot: 'labels/1.png' });
    expect(await listLabels(db())).toEqual([{ ...first, source: 'import', screenshot: 'labels/1.png' }]);
  });

  it('lists labels by setup and symbol in time order, and removes one by id', async () => {
    const short = await saveLabel(db(), label({ side: 'short' }), 'cli', { now: 1 });
    const earlier = await saveLabel(db(), label({ ts: T0 - 15 * 60_000 }), 'cli', { now: 2 });
    const eth = await saveLabel(db(), label({ symbol: 'ETH/USDT' }), 'cli', { now: 3 });
    const other = await saveLabel(db(), label({ setupId: 'ob_retest' }), 'cli', { now: 4 });
    expect((await listLabels(db())).map((l) => l.id)).toEqual([earlier.id, short.id, eth.id, other.id]);
    expect((await listLabels(db(), { setupId: 'fvg_retrace', symbol: 'BTC/USDT' })).map((l) => l.id)).toEqual([earlier.id, short.id]);
    expect((await listLabels(db(), { symbol: 'ETH/USDT' })).map((l) => l.id)).toEqual([eth.id]);
    expect(await removeLabel(db(), short.id)).toBe(true);
    expect(await removeLabel(db(), short.id)).toBe(false);
    expect((await listLabels(db(), { setupId: 'fvg_retrace', symbol: 'BTC/USDT' })).map((l) => l.id)).toEqual([earlier.id]);
  });
});

describe.skipIf(!hasPostgres)(`labelled examples on a PostgreSQL database with an ICU "en" collation${skipWithoutPostgres}`, () => {
  it('come back in byte order, as on SQLite (a before B and / ignored would reorder the training set)', async () => {
    const database = await createTestDatabase('ita_labels_icu', { icuLocale: 'en' });
    const store = await openDatabase(database.url, { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations } });
    try {
      for (const [setupId, symbol] of [['a_setup', 'BTCUSD'], ['B_setup', 'BTCUSD'], ['_setup', 'BTC/USDT'], ['B_setup', 'BTC/USDT']]) await saveLabel(storeArea(store.db), label({ setupId, symbol }), 'cli');
      // Byte order: upper case, then _, then lower case; '/' (0x2F) before 'U' (0x55).
      expect((await listLabels(storeArea(store.db))).map((l) => `${l.setupId} ${l.symbol}`)).toEqual(['B_setup BTC/USDT', 'B_setup BTCUSD', '_setup BTC/USDT', 'a_setup BTCUSD']);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
