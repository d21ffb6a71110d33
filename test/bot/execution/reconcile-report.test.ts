/** The reconciliation report's words: every kind of difference in Russian and English, one message, within Telegram's limit. */
import { describe, expect, it } from 'vitest';
import { reconciliationText } from '../../../src/bot/execution/reconcile-report.ts';
import type { BrokerOrder, Difference } from '../../../src/engine/exec/broker.ts';
import type { ReconciliationReport } from '../../../src/engine/exec/live/report.ts';

const stopOrder: BrokerOrder = {
  id: 'itaAbC-s2', positionId: 'sig-1', symbol: 'BTC/USDT', side: 'sell', role: 'stop', type: 'stop-limit', amount: 0.09079,
  price: 57_500, stopPrice: 57_797.85, filled: 0, cost: 0, fees: { base: 0, quote: 0 }, status: 'open', createdAt: 1, updatedAt: 1,
};
const differences: Difference[] = [
  { kind: 'order-state', subject: stopOrder.id, message: 'x', local: stopOrder,
    venue: { venueId: '1', clientOrderId: stopOrder.id, symbol: 'BTC/USDT', filled: 0, cost: 0, fees: { base: 0, quote: 0 }, amount: 0.09079, status: 'canceled' } },
  { kind: 'order-unknown-locally', subject: 'by-hand-1', message: 'x',
    venue: { venueId: '2', clientOrderId: 'by-hand-1', symbol: 'BTC/USDT', filled: 0, cost: 0, fees: { base: 0, quote: 0 }, amount: 0.001, status: 'open' } },
  { kind: 'order-missing-on-venue', subject: 'itaAbC-t3', message: 'x', local: { ...stopOrder, id: 'itaAbC-t3', role: 'take-profit', type: 'limit' } },
  { kind: 'balance-short', subject: 'BTC', message: 'x', local: 0.09, venue: 0 },
  { kind: 'position-unprotected', subject: 'sig-1', message: 'x', local: { symbol: 'BTC/USDT', remaining: 0.0907991 } },
  { kind: 'sync-failed', subject: 'sync', message: 'bringing orders up to date failed: Account has insufficient balance for requested action.' },
];
const report = (over: Partial<ReconciliationReport> = {}): ReconciliationReport => ({
  trigger: 'start-up', at: 0, differences, openOrders: 1,
  positions: [{ id: 'sig-1', symbol: 'BTC/USDT', remaining: 0.0907991, stop: 57_797.85 }], ...over,
});

describe('reconciliation report', () => {
  it('a clean result is one line', () => {
    expect(reconciliationText(report({ differences: [], openOrders: 1 }), 'en'))
      .toBe('✅ <b>Books match the exchange</b> (start-up): 1 open positions, 1 open orders.');
    expect(reconciliationText(report({ differences: [], trigger: 'reconnect' }), 'ru')).toMatch(/^✅ <b>Учёт совпадает с биржей<\/b> \(после восстановления связи\)/);
  });

  it('names each difference with ITA’s and the exchange’s side, then the positions and whether a stop rests', () => {
    const lines = reconciliationText(report(), 'en').split('\n');
    expect(lines[0]).toMatch(/^⚠️ <b>Books and exchange differ<\/b> \(start-up\): 6 differences\./);
    expect(lines.slice(1, 7)).toEqual([
      '• stop order <code>itaAbC-s2</code> (BTC/USDT): ITA’s books say open, 0/0.09079 filled; the exchange says canceled, 0/0.09079 filled',
      '• the exchange has an open order <code>by-hand-1</code> on BTC/USDT (0.001) that ITA did not place; ITA leaves it alone',
      '• take-profit order <code>itaAbC-t3</code> (sell 0.09079 BTC/USDT) is open in ITA’s books, but the exchange does not know it',
      '• open positions hold 0.09 BTC, but the account has 0 BTC',
      '• position BTC/USDT (0.0907991) had no stop open on the exchange',
      '• bringing orders up to date failed: Account has insufficient balance for requested action.',
    ]);
    expect(lines.at(-1)).toBe('• BTC/USDT: 0.0907991 held, <b>NO stop on the exchange</b>: /positions, then move the stop or close');
  });

  it('speaks Russian, and stays one message under Telegram’s 4096 characters however many differences there are', () => {
    const ru = reconciliationText(report({ positions: [{ id: 'sig-1', symbol: 'BTC/USDT', remaining: 0.09, stop: 1, stopOrder: { id: 'itaAbC-s3', stopPrice: 57_797.85, amount: 0.09 } }] }), 'ru');
    expect(ru).toContain('• ордер (стоп) <code>itaAbC-s2</code> (BTC/USDT): в учёте ITA открыт, исполнено 0/0.09079; на бирже отменён, исполнено 0/0.09079');
    expect(ru).toContain('стоп 57797.85 стоит на бирже (<code>itaAbC-s3</code>)');
    const many = reconciliationText(report({ differences: Array.from({ length: 300 }, () => differences[0]) }), 'en');
    expect(many.length).toBeLessThan(4096);
    expect(many).toContain('… and 288 more (all of them are in the log)');
  });
});
