/** User mistakes that used to end in the generic error now name what was wrong and what is allowed (ru and en). */
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/engine/errors.ts';
import { startIta, plain, type ItaHarness } from '../harness.ts';
import { SETUP } from '../fake-services.ts';

let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('refusals a trader can act on', () => {
  it('/chart of a market without stored candles lists the markets that have data', async () => {
    h = await startIta();
    h.fakes.services.charts.market = async (m) => {
      throw new InputError(`not enough stored candles for ${m.symbol} ${m.timeframe} on ${m.exchange} (have 0); /watch it first`, { field: 'market' });
    };
    // The stored-data check answers before any chart is drawn (the same text the backtest dialog gives).
    const ru = plain(await h.say('/chart DOGE/USDT 1h'));
    expect(ru).toBe('Нет сохранённых свечей DOGE/USDT 1h на binance. Есть: BTC/USDT 1h (binance), BTC/USDT 4h (binance), ETH/USDT 1h (binance).');
    await h.say('/settings lang en');
    const en = plain(await h.say('/chart DOGE/USDT 1h'));
    expect(en).toContain('No stored 1h candles of DOGE/USDT on binance.');
    expect(en).toContain('BTC/USDT 1h (binance), BTC/USDT 4h (binance), ETH/USDT 1h (binance)');
  });

  it('/settings quiet 22:00-22:00 says the two times must differ', async () => {
    h = await startIta();
    expect(plain(await h.say('/settings quiet 22:00-22:00'))).toBe('Тихие часы должны начинаться и заканчиваться в разное время; получено «22:00-22:00». Пишите ЧЧ:ММ-ЧЧ:ММ с двумя разными временами, например 22:00-07:00, или «off».');
    expect(h.fakes.settings.get(h.ownerId)?.quietHours).toBeUndefined();
  });

  it('/setup … set fast 5.5 is refused before confirming, naming the step and the allowed values', async () => {
    h = await startIta();
    SETUP.params.fast = { value: 9, min: 5, max: 20, step: 1 };
    try {
      expect(plain(await h.say('/setup ob-retest set fast 5.5'))).toBe('fast меняется с шагом 1 от 5 до 20; получено 5.5. Допустимо: 5, 6, … 20.');
      await h.say('/settings lang en');
      expect(plain(await h.say('/setup ob-retest set fast 5.5'))).toBe('fast moves in steps of 1 from 5 to 20; got 5.5. Allowed: 5, 6, … 20.');
      expect(h.fakes.calls.filter((c) => c.startsWith('setParam'))).toEqual([]);
    } finally {
      delete SETUP.params.fast;
    }
  });

  it('a change the setup refuses after confirming says why, instead of the generic error', async () => {
    h = await startIta();
    h.fakes.services.setups.setParam = async () => {
      throw new InputError('indicators.ema_fast: EMA period must be an integer, got 45.5', { field: 'rsiMax' });
    };
    const confirm = await h.say('/setup ob-retest set rsiMax 45');
    h.emulator.userPressButton(confirm.message_id, 'su:ok');
    const edited = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === confirm.message_id && m.edit_date));
    expect(plain(edited)).toBe('Сетап не принял ob-retest.rsiMax = 45: indicators.ema_fast: EMA period must be an integer, got 45.5\nДопустимо: 20, 21, … 60. Ничего не изменено.');
  });

  it('any other InputError from a service reaches the trader as a refusal with its reason, not the generic error', async () => {
    h = await startIta();
    h.fakes.services.watchlist.add = async () => {
      throw new InputError('offline mode replays only the bundled markets: BTC/USDT 1h, BTC/USDT 4h', { field: 'market' });
    };
    expect(plain(await h.say('/watch SOL/USDT 1h'))).toBe('⚠️ Отказ: offline mode replays only the bundled markets: BTC/USDT 1h, BTC/USDT 4h');
  });
});
