/** /signals' source: each journaled signal with what became of it, from the journal and the executor's own tables. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../../src/engine/store/database.ts';
import { executorMigrations, EXECUTOR_MIGRATION_TABLE } from '../../../src/engine/exec/executor/index.ts';
import { saveManagedPosition, saveVerdict } from '../../../src/engine/exec/executor/store.ts';
import { recordDecision } from '../../../src/engine/journal/decisions.ts';
import { saveSignals } from '../../../src/engine/journal/signals.ts';
import { createSignalsService } from '../../../src/engine/services/signals.ts';
import { HOUR, makeSignal, T0 } from '../journal/fixtures.ts';

let store: OpenedDatabase | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  store = dir = undefined;
});

describe('signal history', () => {
  it('pages newest first and says waiting, expired, rejected, refused, resting, closed with R', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-history-'));
    store = await openDatabase(path.join(dir, 'ita.sqlite'), { extraMigrations: { [EXECUTOR_MIGRATION_TABLE]: executorMigrations } });
    const db = store.db;
    const signals = [0, 1, 2, 3, 4, 5].map((n) => makeSignal({ n, validUntil: T0 + (n + 2) * HOUR }));
    await saveSignals(db, signals, T0);
    const decide = (n: number, kind: 'approve' | 'reject', reason?: string) =>
      recordDecision(db, { signalId: signals[n].id, kind, byUser: 1, reason, decidedAt: T0 + n * HOUR, latencyMs: 0 });
    await decide(1, 'reject', 'late');
    await decide(2, 'approve');
    await decide(3, 'approve');
    await decide(4, 'approve');
    const s = signals[2];
    const verdict = {
      signal_id: s.id, setup_id: s.setupId, setup_version: s.setupVersion, symbol: s.symbol, timeframe: s.timeframe, side: s.side, signal_ts: s.ts,
      entry: s.entry, stop: s.stop, decided_by: 'telegram:1', decided_at: T0, status: 'refused', rule: 'daily-loss', reason: 'daily loss limit', units: null,
      risk_pct: null, risk_quote: null, effective_risk_pct: null, equity: 10_000, day_pnl: -300, adjustments: '[]', outcome: 'Not placed', account: 'paper',
    };
    await saveVerdict(db as never, verdict);
    const position = (n: number, status: string, r: number | null) => ({
      id: signals[n].id, account: 'paper', signal_id: signals[n].id, setup_id: 'ema_cross', setup_version: 'abc', symbol: 'BTC/USDT', timeframe: '1h',
      side: 'long', status, opened_at: T0, entry_price: 100, initial_stop: 99, stop: 99, size: 1, risk_per_unit: 1, take_profit_count: 0,
      targets_taken: 0, best: 100, bars_held: 0, atr: 1, break_even_at_r: 1, trail_atr: 0, time_stop_bars: 0, last_bar_ts: T0,
      closed_at: status === 'closed' ? T0 + HOUR : null, pnl: r, r_multiple: r, fees: null, exit_price: null, close_reason: status === 'closed' ? 'take-profit' : null,
    });
    await saveManagedPosition(db as never, position(3, 'pending', null));
    await saveManagedPosition(db as never, position(4, 'closed', 1.37));
    const service = createSignalsService({ db, now: () => T0 + 3 * HOUR });

    const first = await service.history(0, 4);
    expect(first.total).toBe(6);
    expect(first.items.map((i) => [i.signal.id, i.status, i.r])).toEqual([
      [signals[5].id, 'waiting', undefined],
      [signals[4].id, 'closed', 1.37],
      [signals[3].id, 'order', undefined],
      [signals[2].id, 'not-placed', undefined],
    ]);
    expect(first.items[3].reason).toBe('daily-loss');
    const second = await service.history(4, 4);
    expect(second.items.map((i) => [i.status, i.reason])).toEqual([['rejected', 'late'], ['expired', undefined]]);
  });
});
