/**
 * One position's broker trouble never stops the executor: a broker whose every candle step is refused (as the old
 * "stop would trigger immediately" loop did) still leaves the equity marks, the daily loss lock and the kill switch
 * running on every candle. Fees 0, equity 10 000: entry 100, stop 98, 40 units (see executor.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeRejectedError } from '../../../../src/engine/errors.ts';
import type { Broker } from '../../../../src/engine/exec/broker.ts';
import { candle, openHarness, signal, warmUp, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('executor: a failing broker step', () => {
  it('does not make later candles fail; the loss on the books still trips the daily lock and the kill switch', async () => {
    let refuse = false;
    const refused = () => new ExchangeRejectedError('binance createOrder BTC/USDT: the exchange rejected the request (Stop price would trigger immediately.)');
    // Every order-sending step is refused once `refuse` is set; reading the books still works.
    const wrap = (paper: Broker): Broker => Object.assign(Object.create(paper) as Broker, {
      onCandle: async (symbol: string, c: Parameters<Broker['onCandle']>[1]) => {
        if (refuse) throw refused();
        return paper.onCandle(symbol, c);
      },
      closePosition: async (id: string, reason: string) => {
        if (refuse) throw refused();
        return paper.closePosition(id, reason);
      },
      moveStop: async (id: string, stop: number) => {
        if (refuse) throw refused();
        return paper.moveStop(id, stop);
      },
    });
    h = await openHarness(undefined, { wrapBroker: wrap });
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    expect((await h.executor.approve(signal(0), 'trader')).status).toBe('accepted');

    refuse = true;
    // The broker never sees these candles (so its stop at 98 cannot fill): the position is marked at 90, −400,
    // 4 % of the account: beyond both the daily loss limit and the kill switch's drawdown.
    await h.feed(candle(1, 100, 100.2, 94, 95));
    await h.feed(candle(2, 95, 95.5, 89.5, 90));
    expect(h.executor.equity()).toBeCloseTo(9600, 6);
    const kinds = h.events.map((e) => e.type);
    expect(kinds).toContain('daily-lock');
    expect(kinds).toContain('kill-switch');
    expect((await h.executor.approve(signal(2, { id: 'sig-later' }), 'trader')).status).toBe('refused');
  });
});
