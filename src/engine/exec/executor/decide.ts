/**
 * The executor's side of the one decision module (trading/decision.ts): the signal's market as the executor's books
 * hold it, and the rules of its account — so paper and live refuse, exit and size exactly as the trading session.
 */
import type { AccountType } from '../../types.ts';
import { sameMarket, type MarketBook, type SignalRules } from '../../trading/decision.ts';
import type { ExecutorCore } from './core.ts';
import type { ManagedPositionRow } from './store.ts';
import { decideSignal, type SignalDecision } from '../../trading/decision.ts';
import { ItaError } from '../../errors.ts';
import type { ApprovableSignal } from './types.ts';

export interface ExecutorMarket {
  book: MarketBook;
  /** Filled positions of the other side on this market (what an opposite signal exits). */
  opposite: ManagedPositionRow[];
  account: AccountType;
}

/** The signal's market (symbol + timeframe, as the session's books) in the books account it trades in (e.g. paper-perp). */
export async function executorMarket(core: ExecutorCore, signal: ApprovableSignal): Promise<ExecutorMarket> {
  const books = (await core.entryAccount(signal.symbol, signal.timeframe)) ?? core.flags.mode;
  const rows = (await core.openRows()).filter((r) => r.account === books && sameMarket(r, signal));
  const open = rows.filter((r) => r.status === 'open');
  const opposite = open.filter((r) => r.side !== signal.side);
  return {
    book: { opposite: opposite.length > 0, sameSide: open.some((r) => r.side === signal.side), pendingEntry: rows.some((r) => r.status === 'pending') },
    opposite,
    account: (await core.options.accountOf?.({ symbol: signal.symbol, timeframe: signal.timeframe })) ?? 'spot',
  };
}

/** `minScore`: the approving trader's own minimum (what their pushes were filtered by); else the configured policy's. */
export function executorRules(core: ExecutorCore, signal: ApprovableSignal, account: AccountType, minScore?: number): SignalRules {
  const policy = core.options.policy;
  const c = core.costs;
  return {
    policy: { account, minScore: minScore ?? policy?.minScore ?? -Infinity, maxCostR: policy?.maxCostR ?? Infinity },
    oppositeSignal: core.options.oppositeSignal?.(signal.setupId) ?? 'ignore',
    pyramiding: false,
    riskSizing: true,
    costs: policy ? { makerFee: c.makerFee, takerFee: c.takerFee, slippage: c.slippageFraction } : null,
  };
}

/**
 * The session's rules for this signal on this market. A copy is judged (costs are filled in on it); a signal without
 * a score (not from the detector) cannot be judged on it, as one without a stop cannot be judged on cost.
 */
export function decideForExecutor(core: ExecutorCore, signal: ApprovableSignal, market: ExecutorMarket, minScore?: number): SignalDecision {
  return decideSignal({ ...signal, score: signal.score ?? Infinity }, market.book, executorRules(core, signal, market.account, minScore));
}

/** Closes the opposite positions at market, as the session exits them at the next open; returns what happened, in words. */
export async function exitOpposite(core: ExecutorCore, rows: readonly ManagedPositionRow[], signal: ApprovableSignal): Promise<string[]> {
  const out: string[] = [];
  for (const row of rows) {
    core.logger.info('closing on an opposite signal', { position: row.id, signal: signal.id });
    try {
      const bp = await core.brokerFor(row.account).closePosition(row.id, `opposite signal ${signal.setupId} ${signal.side}`);
      const after = await core.syncPosition(row, bp, core.stats.lastPrice(row.symbol) ?? row.entry_price);
      out.push(`${row.symbol} ${row.side} closed on an opposite signal: ${(after.pnl ?? 0).toFixed(2)}`);
    } catch (error) {
      if (await core.exchangeFailed(error)) continue;
      if (!(error instanceof ItaError)) throw error;
      core.logger.warn('opposite-signal exit refused by the broker', { positionId: row.id, error: error.message });
    }
  }
  return out;
}

/** Executor.onSignal: the opposite-signal exit of a detected signal, before (and whether or not) it is approved. */
export async function onSignal(core: ExecutorCore, signal: ApprovableSignal): Promise<string[]> {
  const market = await executorMarket(core, signal);
  if (!market.book.opposite) return [];
  return decideForExecutor(core, signal, market).exitOpposite ? exitOpposite(core, market.opposite, signal) : [];
}
