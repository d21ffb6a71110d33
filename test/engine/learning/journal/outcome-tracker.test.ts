/** The tracker's rules on a hand-made journal: executor result for taken trades, counterfactual by hand, no look-ahead. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../../../src/engine/store/database.ts';
import { describeBackends, type StoreLocation } from '../../../helpers/backends.ts';
import { learningMigrations, LEARNING_MIGRATION_TABLE } from '../../../../src/engine/learning/store/migrations.ts';
import { executorMigrations, EXECUTOR_MIGRATION_TABLE } from '../../../../src/engine/exec/executor/schema.ts';
import { OutcomeTracker } from '../../../../src/engine/learning/journal/outcome-tracker.ts';
import { saveSignals } from '../../../../src/engine/journal/signals.ts';
import { recordDecision } from '../../../../src/engine/journal/decisions.ts';
import { upsertCandles } from '../../../../src/engine/store/candles.ts';
import type { Candle, MarketKey } from '../../../../src/engine/types.ts';
import { HOUR, makeSignal, T0 } from '../../journal/fixtures.ts';
import { storeArea } from '../../../helpers/store-area.ts';

const MARKET: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
const bar = (i: number, open: number, high: number, low: number, close: number): Candle => ({ ts: T0 + i * HOUR, open, high, low, close, volume: 1 });

type Row = { signal_id: string; status: string; taken: number; net_r: number | null; exit_reason: string | null; entry_price: number | null };

describeBackends('outcome tracker', (backend) => {
  let location: StoreLocation;
  let store: OpenedDatabase;
  let now: number;
  let tracker: OutcomeTracker;
  const rows = async () => (await store.db.selectFrom('learning_outcomes' as never).selectAll().orderBy('signal_ts' as never).execute()) as unknown as Row[];

  beforeEach(async () => {
    location = await backend.create();
    store = await openDatabase(location.target, { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations } });
    // Signal on candle 0 (entry 100, stop 95, one target 110 closing all). Candle 1 opens 101, candle 3 reaches 111.
    await upsertCandles(store, MARKET, [bar(0, 99, 100.5, 98, 100), bar(1, 101, 104, 100, 103), bar(2, 103, 106, 102, 105), bar(3, 105, 111, 104, 109), bar(4, 109, 110, 108, 109)]);
    now = T0 + 2 * HOUR; // candles 0 and 1 have closed
    tracker = new OutcomeTracker({ db: storeArea(store.db), settings: { fees: { maker: 0.001, taker: 0.001 } }, now: () => now });
  });
  afterEach(async () => {
    await store.close();
    await location.drop();
  });

  it('a rejected signal gets the counterfactual the session would give, only once later candles decide it', async () => {
    // Break-even far away, so the hand computation below is the stop/target barrier alone.
    const signal = makeSignal({ n: 0, context: { breakEvenAtR: 1000 } });
    await saveSignals(store.db, [signal], now);
    await recordDecision(store.db, { signalId: signal.id, kind: 'reject', byUser: 1, decidedAt: now, latencyMs: 0 });
    await tracker.update();
    // Stored candles 2–4 exist but have not closed by `now`: the outcome waits.
    expect((await rows())[0]).toMatchObject({ status: 'open', taken: 0, entry_price: 101 });
    now = T0 + 5 * HOUR;
    expect((await tracker.update()).decided).toBe(1);
    const row = (await rows())[0];
    // By hand: fill 101 (+0.101 fee), target 110 on candle 3 (−0.110 fee); risk = 101 − 95 + 0.101 + 95 × 0.001.
    const netR = (110 - 101 - 0.101 - 0.11) / (101 - 95 + 0.101 + 0.095);
    expect(row).toMatchObject({ status: 'closed', taken: 0, exit_reason: 'target' });
    expect(row.net_r!).toBeCloseTo(netR, 9);
  });

  it('an approved signal the executor placed takes the real trade, also when it was counterfactual before the approval', async () => {
    const signal = makeSignal({ n: 0 });
    await saveSignals(store.db, [signal], now);
    now = T0 + 5 * HOUR;
    await tracker.update();
    expect((await rows())[0].taken).toBe(0);
    await recordDecision(store.db, { signalId: signal.id, kind: 'approve', byUser: 1, decidedAt: now, latencyMs: 0 });
    await sql`INSERT INTO executor_positions (id, account, signal_id, setup_id, setup_version, symbol, timeframe, side, status, opened_at, entry_price, initial_stop, stop, size,
      risk_per_unit, take_profit_count, targets_taken, best, bars_held, atr, break_even_at_r, trail_atr, time_stop_bars, last_bar_ts, closed_at, pnl, r_multiple, fees, exit_price, close_reason)
      VALUES ('p1', 'paper', ${signal.id}, 'ema_cross', 'abc', 'BTC/USDT', '1h', 'long', 'open', ${T0 + HOUR}, 101.2, 95, 95, 1, 6.2, 1, 0, 101.2, 0, 1, -1, 0, 0, ${T0 + HOUR}, NULL, NULL, NULL, NULL, NULL, NULL)`.execute(store.db);
    await tracker.update();
    expect((await rows())[0]).toMatchObject({ status: 'open', taken: 1, entry_price: 101.2 });
    await sql`UPDATE executor_positions SET status = 'closed', closed_at = ${T0 + 3 * HOUR}, r_multiple = 1.37, close_reason = 'target' WHERE id = 'p1'`.execute(store.db);
    expect((await tracker.update()).decided).toBe(1);
    expect((await rows())[0]).toMatchObject({ status: 'closed', taken: 1, net_r: 1.37, exit_reason: 'target' });
    // Final: nothing left to do, however often it runs.
    expect(await tracker.update()).toEqual({ examined: 0, decided: 0 });
  });

  it('a limit that never fills before validUntil is not-filled and counts as 0 R', async () => {
    const signal = makeSignal({ n: 0, entryType: 'limit', entry: 97, stop: 94, validUntil: T0 + 3 * HOUR });
    await saveSignals(store.db, [signal], now);
    now = T0 + 5 * HOUR;
    await tracker.update();
    expect((await rows())[0]).toMatchObject({ status: 'not-filled', net_r: null });
  });
});
