/**
 * A resting limit entry lives until its signal's validity, exactly as in the trading session (trading/decision.ts
 * validityEnded): a candle that OPENS at or after validUntil no longer fills it, so before the broker sees such a candle
 * the entry is cancelled (rule "expired before fill"). Kept in executor_state, so a restart keeps the deadline.
 */
import { validityEnded } from '../../trading/decision.ts';
import type { Candle, MarketKey } from '../../types.ts';
import type { ExecutorCore } from './core.ts';
import { readState, writeState, type ExecutorDb } from './store.ts';

const key = (positionId: string) => `entry-valid-until:${positionId}`;

export async function saveEntryExpiry(db: ExecutorDb, positionId: string, validUntil: number): Promise<void> {
  if (Number.isFinite(validUntil) && validUntil > 0) await writeState(db, key(positionId), { validUntil });
}

/** Cancels the pending entries of this market whose validity ended before `candle` opened. */
export async function expireEntries(core: ExecutorCore, market: MarketKey, candle: Candle): Promise<void> {
  for (const row of await core.openRows()) {
    if (row.status !== 'pending' || row.symbol !== market.symbol || row.timeframe !== market.timeframe) continue;
    const deadline = await readState<{ validUntil: number }>(core.db, key(row.id));
    if (!deadline || !validityEnded(deadline.validUntil, candle.ts)) continue;
    try {
      const bp = await core.brokerFor(row.account).closePosition(row.id, 'expired before fill');
      await core.syncPosition(row, bp, core.stats.lastPrice(row.symbol) ?? row.entry_price);
    } catch (error) {
      if (!(await core.exchangeFailed(error))) throw error;
    }
  }
}
