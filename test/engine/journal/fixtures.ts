/** Shared test fixtures for the journal, services and live pipeline: temp stores (SQLite files or PostgreSQL databases) and hand-made signals. */
import { openDatabase, type OpenedDatabase } from '../../../src/engine/store/database.ts';
import type { Signal } from '../../../src/engine/types.ts';
import { sqliteBackend, type StoreBackend } from '../../helpers/backends.ts';

export const HOUR = 3_600_000;
/** 2024-07-10 00:00 UTC. */
export const T0 = Date.UTC(2024, 6, 10);

export interface TempDb {
  dir: string;
  /** The SQLite file, or the PostgreSQL URL. */
  file: string;
  store: OpenedDatabase;
  reopen(): Promise<OpenedDatabase>;
  cleanup(): Promise<void>;
}

/** A fresh store on `backend` (a temp SQLite file by default); `reopen` opens the same store again, like a restart. */
export async function tempDb(backend: StoreBackend = sqliteBackend): Promise<TempDb> {
  const location = await backend.create();
  const opened: OpenedDatabase[] = [];
  const open = async () => {
    const store = await openDatabase(location.target);
    opened.push(store);
    return store;
  };
  const store = await open();
  return {
    dir: location.dir,
    file: location.target,
    store,
    reopen: open,
    async cleanup() {
      for (const s of opened) await s.close().catch(() => undefined);
      await location.drop();
    },
  };
}

export function makeSignal(overrides: Partial<Signal> & { n?: number } = {}): Signal {
  const { n = 0, ...rest } = overrides;
  const ts = rest.ts ?? T0 + n * HOUR;
  return {
    id: `ema_cross@abc:binance:BTC/USDT:1h:${ts}:long`,
    setupId: 'ema_cross',
    setupVersion: 'abc',
    setupName: 'EMA cross',
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1h',
    side: 'long',
    ts,
    entryType: 'market',
    entry: 100,
    stop: 95,
    targets: [{ price: 110, r: 2, closeFraction: 1 }],
    rr: 2,
    score: 8,
    rank: 1,
    reasons: { strengths: ['trend'], weaknesses: [] },
    context: { close: 100, rsi: 55, structure: 'bullish' },
    validUntil: ts + 3 * HOUR,
    ...rest,
  };
}
