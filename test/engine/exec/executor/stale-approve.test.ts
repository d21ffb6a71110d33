/**
 * The stale Approve: an fvg_retrace-like limit long (entry 99, stop 98) approved while the market was still
 * above the stop, and the price falls through the stop between the approval's checks and the fill (the broker sees
 * a candle closing at 97 first). The limit fills at once at 97, the venue refuses the sell stop at 98 ("would trigger
 * immediately"), and the fill is sold at market at once: no position without a stop, the executor and its money views
 * agree with the broker, later candles run, and the trader is told in both languages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Broker, EntryIntent } from '../../../../src/engine/exec/broker.ts';
import { executorEventText } from '../../../../src/bot/execution/notify.ts';
import { candle, openHarness, signal, warmUp, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('executor: stale approval of a limit long', () => {
  it('exits the unprotectable fill at market at once, tells the trader, and keeps running', async () => {
    let paper!: Broker;
    const wrap = (inner: Broker): Broker => {
      paper = inner;
      return Object.assign(Object.create(inner) as Broker, {
        placeEntry: async (intent: EntryIntent) => {
          // The market moves between the executor's checks and the order: the broker's venue now trades at 97.
          await inner.onCandle(intent.symbol, candle(1, 99.5, 99.6, 96.5, 97));
          return inner.placeEntry(intent);
        },
      });
    };
    h = await openHarness(undefined, { wrapBroker: wrap });
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    const result = await h.executor.approve(signal(0, { entryType: 'limit', entry: 99, stop: 98, setupId: 'fvg_retrace' }), 'trader');

    expect(result.status).toBe('accepted');
    expect(result.outcome).toMatch(/filled at 97, then the venue refused the protective stop at 98 \(.*would trigger immediately.*\); the fill was sold at market at once/);
    const refused = h.events.find((e) => e.type === 'stop-refused');
    expect(refused).toMatchObject({ type: 'stop-refused', positionId: 'sig-0', symbol: 'BTC/USDT', pnl: 0 });
    expect(h.events.filter((e) => e.type === 'trade-closed')).toHaveLength(1);

    // Nothing is held: not on the broker, not in the executor's views, not in the open risk.
    expect(await paper.positions({ status: ['open', 'pending'] })).toEqual([]);
    expect(await paper.openOrders()).toEqual([]);
    expect((await paper.balances()).BTC?.total ?? 0).toBe(0);
    expect(await h.executor.positions()).toEqual([]);
    expect((await h.executor.risk()).join('\n')).toMatch(/Open risk 0\.00 % of equity .* over 0 position\(s\)/);

    // The executor keeps running on later candles.
    await h.feed(candle(2, 97, 97.5, 96, 97));
    await h.feed(candle(3, 97, 98, 96.5, 97.5));

    const en = executorEventText(refused!, 'en')!;
    expect(en).toMatch(/Stop refused — position exited.*BTC\/USDT/s);
    expect(en).toContain('the venue refused the protective stop at 98');
    const ru = executorEventText(refused!, 'ru')!;
    expect(ru).toMatch(/Стоп отклонён — позиция закрыта/);
    expect(ru).toContain('площадка отклонила защитный стоп 98');
  });
});
