/**
 * What one reconciliation found, for the trader: the differences between ITA's books and the exchange (each left
 * for the human to judge) and the books as they stand afterwards, so the report also says whether every open
 * position has its stop resting on the exchange.
 */
import type { BrokerOrder, Difference } from '../broker.ts';
import type { VenueBroker } from '../core/venue-broker.ts';

export interface BookPosition {
  id: string;
  symbol: string;
  remaining: number;
  stop: number;
  /** ITA's open stop order for it, if any. */
  stopOrder?: Pick<BrokerOrder, 'id' | 'stopPrice' | 'amount'>;
}

export interface ReconciliationReport {
  trigger: 'start-up' | 'reconnect';
  at: number;
  differences: Difference[];
  positions: BookPosition[];
  openOrders: number;
  /** The exchange was unreachable from this time (epoch ms) when ITA started; this deferred start-up report ends it. */
  resumedAfter?: number;
}

export async function reconciliationReport(
  broker: VenueBroker, trigger: ReconciliationReport['trigger'], differences: Difference[], resumedAfter?: number,
): Promise<ReconciliationReport> {
  const open = await broker.openOrders();
  const positions = (await broker.positions({ status: ['open'] })).map((p): BookPosition => {
    const stop = open.find((o) => o.positionId === p.id && o.role === 'stop');
    return {
      id: p.id, symbol: p.symbol, remaining: p.remaining, stop: p.stop,
      ...(stop ? { stopOrder: { id: stop.id, stopPrice: stop.stopPrice, amount: stop.amount } } : {}),
    };
  });
  return { trigger, at: broker.now(), differences, positions, openOrders: open.length, ...(resumedAfter !== undefined ? { resumedAfter } : {}) };
}
