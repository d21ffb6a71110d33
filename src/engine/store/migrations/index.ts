import type { Migration } from 'kysely';
import * as m20261121_0001_candles from './20261121_0001_candles.ts';
import * as m20261121_0002_journal from './20261121_0002_journal.ts';
import * as m20261201_0003_signal_costs from './20261201_0003_signal_costs.ts';
import * as m20261201_0100_watchlist_account from './20261201_0100_watchlist_account.ts';
import * as m20261202_0300_signal_policy from './20261202_0300_signal_policy.ts';

/** Every engine migration, in order. Never edit a migration once it has landed; add a new one. */
export const engineMigrations: Record<string, Migration> = {
  '20261121_0001_candles': m20261121_0001_candles,
  '20261121_0002_journal': m20261121_0002_journal,
  '20261201_0003_signal_costs': m20261201_0003_signal_costs,
  '20261201_0100_watchlist_account': m20261201_0100_watchlist_account,
  '20261202_0300_signal_policy': m20261202_0300_signal_policy,
};
