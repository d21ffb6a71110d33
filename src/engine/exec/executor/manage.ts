/**
 * A closed candle for the executor: the broker sees it first (paper fills, exchange-side stops and take-profits),
 * then every open position of that market gets the backtester's end-of-bar management, then equity is marked.
 */
import { ItaError } from '../../errors.ts';
import type { Candle, MarketKey } from '../../types.ts';
import { onEquity } from '../../risk/index.ts';
import type { BrokerPosition } from '../broker.ts';
import type { ExecutorCore } from './core.ts';
import { manageBar } from './management.ts';
import { expireEntries } from './expiry.ts';
import { num } from './outcome.ts';
import { markEquity, saveManagedPosition, type ManagedPositionRow } from './store.ts';

export async function handleCandle(core: ExecutorCore, market: MarketKey, candle: Candle): Promise<void> {
  core.stats.observe(market, candle);
  const now = core.now();
  await expireEntries(core, market, candle);
  const byAccount = new Map<string, BrokerPosition[]>();
  let unreachable = false;
  for (const account of core.accounts()) {
    const broker = core.brokerFor(account);
    try {
      await broker.onCandle(market.symbol, candle);
    } catch (error) {
      // One refused or broken broker step must not stop the rest of the candle: the equity mark, the daily loss
      // lock and the kill switch below have to run on EVERY candle, whatever one position's orders are doing.
      if (await core.exchangeFailed(error)) unreachable = true;
      else brokerStepFailed(core, 'candle', account, error);
    }
    try {
      byAccount.set(account, await broker.positions());
    } catch (error) {
      if (await core.exchangeFailed(error)) unreachable = true;
      else brokerStepFailed(core, 'positions', account, error);
    }
  }
  // Recovered only when every account answered: the paper broker always does, and must not end a live outage
  // before the live broker has caught up (the reconnect reconciliation reads its books then).
  if (!unreachable) await core.exchangeOk();
  for (const row of await core.openRows()) {
    const bp = byAccount.get(row.account)?.find((p) => p.id === row.id);
    if (!bp || row.symbol !== market.symbol) continue;
    try {
      const synced = await core.syncPosition(row, bp, candle.close);
      if (synced.status !== 'open' || synced.timeframe !== market.timeframe || candle.ts <= synced.last_bar_ts) continue;
      await manageOne(core, synced, bp, candle);
    } catch (error) {
      brokerStepFailed(core, 'management', row.account, error, row.id);
    }
  }
  await core.countBrokerBooks();
  const equity = await core.markToMarket();
  await core.setPortfolio(onEquity(core.portfolio, equity, now, core.g));
  await markEquity(core.db, now, equity);
}

/** Logged (never thrown): the position keeps its last exchange-side stop and the next candle tries again. */
function brokerStepFailed(core: ExecutorCore, step: string, account: string, error: unknown, positionId?: string): void {
  core.logger.error('broker step failed; the candle goes on (equity, daily lock, kill switch)', {
    step, account, ...(positionId ? { positionId } : {}), error: error instanceof Error ? error.message : String(error),
  });
}

async function manageOne(core: ExecutorCore, row: ManagedPositionRow, bp: BrokerPosition, candle: Candle): Promise<void> {
  const broker = core.brokerFor(row.account);
  const dir = row.side === 'long' ? 1 : -1;
  let next = row;
  try {
    if (dir * (candle.close - bp.stop) <= 0) {
      // The candle CLOSED beyond the stop and the position still holds units: some part was not covered by the
      // exchange stop (e.g. a resting take-profit held it). Never leave it naked: exit the rest at market.
      await core.syncPosition(next, await broker.closePosition(row.id, 'stop (closed beyond the stop; remainder exited at market)'), candle.close);
      return;
    }
    const step = manageBar(row, bp.stop, candle);
    next = step.row;
    // A stop tightened beyond the close cannot rest on the exchange (it would trigger at once); the simulator would
    // fill it at the next open, so exit now at market, the closest a live account can do.
    const crossed = step.newStop !== undefined && dir * (candle.close - step.newStop.price) <= 0;
    if (step.timeStop || crossed) {
      await saveManagedPosition(core.db, next);
      const reason = step.timeStop ? 'time-stop' : `${step.newStop!.reason} (price already beyond the new stop ${num(step.newStop!.price)})`;
      await core.syncPosition(next, await broker.closePosition(row.id, reason), candle.close);
      return;
    }
    if (step.newStop) {
      const moved = await broker.moveStop(row.id, step.newStop.price);
      core.emit({ type: 'stop-moved', positionId: row.id, from: bp.stop, to: moved.stop, reason: step.newStop.reason });
      next = { ...next, stop: moved.stop };
    }
    await saveManagedPosition(core.db, next);
    await core.syncPosition(next, (await core.brokerPosition(next)) ?? bp, candle.close);
  } catch (error) {
    if (!(await core.exchangeFailed(error))) {
      if (!(error instanceof ItaError)) throw error;
      // A refused step leaves the previous (wider, still protective) stop in place; log it and go on.
      core.logger.warn('position management step refused by the broker', { positionId: row.id, error: error.message });
    }
    await saveManagedPosition(core.db, { ...next, stop: bp.stop });
  }
}
