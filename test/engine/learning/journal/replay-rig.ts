/**
 * An offline replay with the trader's decisions, for the learning tests: two months of real hourly BTC candles
 * through the live pipeline (the 1h shipped setups), the outcome tracker run as candles close, and of the signals in
 * turn: not pushed, pushed and rejected / approved / left unanswered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenedDatabase } from '../../../../src/engine/store/database.ts';
import { learningMigrations, LEARNING_MIGRATION_TABLE } from '../../../../src/engine/learning/store/migrations.ts';
import { OutcomeTracker } from '../../../../src/engine/learning/journal/outcome-tracker.ts';
import { recordDecision } from '../../../../src/engine/journal/decisions.ts';
import { recentSignals } from '../../../../src/engine/journal/signals.ts';
import type { Setup } from '../../../../src/engine/setups/index.ts';
import type { Candle, MarketKey, Signal } from '../../../../src/engine/types.ts';
import { loadSampleCandles } from '../../../helpers/candles.ts';
import { newPipeline, shippedSetups } from '../../live/rig.ts';
import { storeArea } from '../../../helpers/store-area.ts';

export const MARKET: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
export const FEES = { maker: 0.001, taker: 0.001 };
const HOUR = 3_600_000;

export interface ReplayedJournal {
  dir: string;
  store: OpenedDatabase;
  candles: Candle[];
  setups: Setup[];
  signals: Signal[];
  rejected: Set<string>;
  approved: Set<string>;
  pushed: Set<string>;
  /** Tracker runs during the replay. */
  runs: { examined: number; decided: number }[];
  tracker: (now: number) => OutcomeTracker;
  cleanup(): Promise<void>;
}

export async function replayWithDecisions(): Promise<ReplayedJournal> {
  const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 1500);
  const setups = shippedSetups().filter((s) => s.timeframe === '1h');
  const dir = mkdtempSync(path.join(tmpdir(), 'ita-outcomes-'));
  const store = await openDatabase(path.join(dir, 'ita.sqlite'), { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations } });
  const pipeline = newPipeline(store, { setups: () => setups });
  let now = 0;
  const tracker = (at: number) => {
    now = at;
    return new OutcomeTracker({ db: storeArea(store.db), settings: { fees: FEES }, setupFor: (id) => setups.find((s) => s.id === id), now: () => now });
  };
  const live = tracker(0);
  const rejected = new Set<string>();
  const approved = new Set<string>();
  const pushed = new Set<string>();
  let k = 0;
  pipeline.events.on((e) => {
    if (e.type !== 'signal') return;
    const i = k++;
    if (i % 3 === 2) return;
    pushed.add(e.signal.id);
    if (i % 3 === 0) (i % 2 === 0 ? rejected : approved).add(e.signal.id);
  });
  const runs: { examined: number; decided: number }[] = [];
  // Candle by candle, as the live app does: the tracker runs when a candle has closed (every 10th, to keep it quick).
  for (let i = 0; i < candles.length; i++) {
    now = candles[i].ts + HOUR;
    await pipeline.processCloses([{ market: MARKET, candle: candles[i] }], { now });
    if (i % 10 === 0) runs.push(await live.update(MARKET));
  }
  const signals = await recentSignals(store.db, 100_000);
  for (const id of pushed) await store.db.updateTable('signals').set({ pushed: 1, pushed_at: 0 }).where('id', '=', id).execute();
  for (const id of rejected) await recordDecision(store.db, { signalId: id, kind: 'reject', byUser: 1, decidedAt: 0, latencyMs: 0 });
  for (const id of approved) await recordDecision(store.db, { signalId: id, kind: 'approve', byUser: 1, decidedAt: 0, latencyMs: 0 });
  return {
    dir, store, candles, setups, signals, rejected, approved, pushed, runs, tracker,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
