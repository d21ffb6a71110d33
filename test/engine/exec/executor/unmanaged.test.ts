/**
 * The money views read the broker's books: a position the broker holds that the executor never opened (placed by
 * hand, or left by a lost verdict) is listed and flagged in positions(), counted in /risk's open risk, in the
 * equity marks, and so in the daily loss lock and the kill switch. Fees 0, equity 10 000.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { candle, openHarness, warmUp, type Harness } from './harness.ts';
import { positionLines } from '../../../../src/bot/execution/format.ts';
import { translator } from '../../../../src/bot/i18n/index.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('executor: a broker position the executor did not open', () => {
  it('is shown and flagged, counted in the open risk and the equity, and trips the daily lock and the kill switch', async () => {
    h = await openHarness();
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    // 40 units at 100 with a stop at 90: 400 at risk (4 % of the account), opened behind the executor's back.
    await h.broker.placeEntry({ id: 'manual-1', symbol: 'BTC/USDT', side: 'long', type: 'market', amount: 40, stop: 90 });

    const [view] = await h.executor.positions();
    expect(view).toMatchObject({ id: 'manual-1', unmanaged: true, status: 'open', entryPrice: 100, remaining: 40, stop: 90 });
    const risk = (await h.executor.risk()).join('\n');
    expect(risk).toMatch(/Open risk 4\.00 % of equity \(limit 1\.5 %\) over 1 position\(s\)/);
    expect(risk).toMatch(/1 position\(s\) on the broker that ITA did not open \(BTC\/USDT manual-1\)/);
    expect(positionLines(view, 1, translator('en')).join('\n')).toContain('not opened by ITA');

    await h.feed(candle(1, 100, 100, 95.5, 96)); // −160 unrealized
    expect(h.executor.equity()).toBeCloseTo(9840, 6);
    expect((await h.executor.pnl('day')).unrealized).toBeCloseTo(-160, 6);
    await h.feed(candle(2, 96, 96, 90.5, 91)); // −360: beyond the 1.8 % daily limit and the 3.5 % drawdown
    const kinds = h.events.map((e) => e.type);
    expect(kinds).toContain('daily-lock');
    expect(kinds).toContain('kill-switch');

    // The trader can exit it from the chat; then it no longer counts.
    expect(await h.executor.close('manual-1', 'trader')).toMatch(/^BTC\/USDT long closed: −?-?\d/);
    expect(await h.executor.positions()).toEqual([]);
    expect((await h.executor.risk()).join('\n')).toMatch(/Open risk 0\.00 % of equity/);
  });
});
