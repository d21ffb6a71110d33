/** Shared test fixtures for the journal, services and live pipeline: temp SQLite files and hand-made signals. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenedDatabase } from '../../../src/engine/store/database.ts';
import type { Signal } from '../../../src/engine/types.ts';

export const HOUR = 3_600_000;
/** 2024-07-10 00:00 UTC. */
export const T0 = Date.UTC(2024, 6, 10);

export interface TempDb {
  dir: string;
  file: string;
  store: OpenedDatabase;
  reopen(): Promise<OpenedDatabase>;
  cleanup(): Promise<void>;
}

export async function tempDb(): Promise<TempDb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ita-journal-'));
  const file = path.join(dir, 'ita.sqlite');
  const opened: OpenedDatabase[] = [];
  const open = async () => {
    const store = await openDatabase(file);
    opened.push(store);
    return store;
  };
  const store = await open();
  return {
    dir,
    file,
    store,
    reopen: open,
    async cleanup() {
      for (const s of opened) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
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
