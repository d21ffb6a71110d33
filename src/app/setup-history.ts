/**
 * A setup version's measured history for signal scoring: backtest runs and real (paper or live) trades from the
 * executor's journal, pooled trade by trade. Kept in memory because the detector scores synchronously on the hot
 * path; the journal part is loaded once and updated as trades close.
 */
import { sql, type Kysely } from 'kysely';
import type { SetupHistory } from '../engine/signals/scoring.ts';

interface Tally {
  trades: number;
  wins: number;
  sumR: number;
}

export interface SetupHistoryBook {
  history(setupId: string, version: string): SetupHistory | undefined;
  /** Call when the executor closes a trade. */
  recordTrade(setupId: string, version: string, r: number): void;
}

export async function loadSetupHistory(db: Kysely<any>, backtests: (setupId: string, version: string) => SetupHistory | undefined): Promise<SetupHistoryBook> {
  const journal = new Map<string, Tally>();
  const rows = await sql<{ setup_id: string; setup_version: string; r_multiple: number }>`
    SELECT setup_id, setup_version, r_multiple FROM executor_positions WHERE closed_at IS NOT NULL AND r_multiple IS NOT NULL
  `.execute(db);
  const record = (setupId: string, version: string, r: number) => {
    const key = `${setupId}@${version}`;
    const tally = journal.get(key) ?? { trades: 0, wins: 0, sumR: 0 };
    tally.trades++;
    if (r > 0) tally.wins++;
    tally.sumR += r;
    journal.set(key, tally);
  };
  for (const row of rows.rows) record(row.setup_id, row.setup_version, row.r_multiple);

  return {
    recordTrade: record,
    history(setupId, version) {
      const tested = backtests(setupId, version);
      const traded = journal.get(`${setupId}@${version}`);
      if (!traded) return tested;
      const trades = (tested?.trades ?? 0) + traded.trades;
      const wins = (tested ? tested.winRate * tested.trades : 0) + traded.wins;
      const sumR = (tested ? tested.expectancyR * tested.trades : 0) + traded.sumR;
      return { trades, winRate: wins / trades, expectancyR: sumR / trades };
    },
  };
}
