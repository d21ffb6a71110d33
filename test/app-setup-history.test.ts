import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/engine/store/database.ts';
import { executorMigrations, EXECUTOR_MIGRATION_TABLE } from '../src/engine/exec/executor/index.ts';
import { loadSetupHistory } from '../src/app/setup-history.ts';

describe('setup history for scoring', () => {
  it('pools backtest trades with journaled trades of the same version, trade by trade', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ita-hist-')), 'ita.sqlite');
    const store = await openDatabase(file, { extraMigrations: { [EXECUTOR_MIGRATION_TABLE]: executorMigrations } });
    try {
      const base = { account: 'paper', symbol: 'BTC/USDT', timeframe: '1h', side: 'long', status: 'closed', opened_at: 1, entry_price: 100, initial_stop: 99, stop: 99, size: 1, risk_per_unit: 1, take_profit_count: 0, targets_taken: 0, best: 100, bars_held: 1, atr: 1, break_even_at_r: 0.6, trail_atr: 1.8, time_stop_bars: 0, last_bar_ts: 1, closed_at: 2 };
      for (const [id, version, r] of [['a', 'v1', 2], ['b', 'v1', -1], ['c', 'v2', 5]] as const) {
        await store.db.insertInto('executor_positions' as never).values({ ...base, id, signal_id: id, setup_id: 'ema_cross', setup_version: version, r_multiple: r } as never).execute();
      }
      // Backtests of v1: 8 trades, 50 % winners, +0.25R each on average.
      const book = await loadSetupHistory(store.db, (id, v) => (id === 'ema_cross' && v === 'v1' ? { trades: 8, winRate: 0.5, expectancyR: 0.25 } : undefined));
      // 8 + 2 trades; wins 4 + 1; R sum 2 + (2 - 1) = 3 → expectancy 0.3R.
      expect(book.history('ema_cross', 'v1')).toEqual({ trades: 10, winRate: 0.5, expectancyR: 0.3 });
      expect(book.history('ema_cross', 'v2')).toEqual({ trades: 1, winRate: 1, expectancyR: 5 });
      expect(book.history('breakout_4h', 'x')).toBeUndefined();
      book.recordTrade('ema_cross', 'v2', -1);
      expect(book.history('ema_cross', 'v2')).toEqual({ trades: 2, winRate: 0.5, expectancyR: 2 });
    } finally {
      await store.close();
    }
  });
});
