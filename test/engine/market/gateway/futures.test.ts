/**
 * The gateway on a perp account: ccxt's real binanceusdm class against the exchange fake's USDT-M futures venue.
 * Markets are the linear perpetuals, candles come from the fapi klines, and Binance futures' refusals arrive as
 * ExchangeRejectedError with the exchange's own words.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeRejectedError } from '../../../../src/engine/errors.ts';
import { createGateway, type ExchangeGateway } from '../../../../src/engine/market/gateway.ts';
import { loadSampleCandles } from '../../../helpers/candles.ts';
import { mountFuturesVenue, startExchangeFake, type ExchangeFake } from '../../../helpers/exchange-fake.ts';

const CANDLES = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
const NOW = CANDLES[300].ts + 1_800_000; // half-way through candle 300
const OPEN = CANDLES[300].open;

let fake: ExchangeFake | undefined;
let gateway: ExchangeGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  await fake?.close();
  fake = gateway = undefined;
});

async function rig(): Promise<{ fake: ExchangeFake; gateway: ExchangeGateway }> {
  fake = await startExchangeFake({ now: NOW });
  mountFuturesVenue(fake, { balance: 1_000 });
  gateway = await createGateway({
    exchangeId: 'binance', account: 'perp', urlsOverride: fake.url, apiKey: 'k', secret: 's', enableRateLimit: false, now: () => fake!.now(),
    retry: { sleep: async () => undefined, random: () => 0.5 },
  });
  return { fake, gateway };
}

describe('gateway on a perp (USDT-M futures) account', () => {
  it('loads the linear perpetuals and serves closed candles from the futures klines', async () => {
    const { fake, gateway } = await rig();
    expect(gateway.exchangeId).toBe('binanceusdm');
    const btc = (await gateway.loadMarkets()).find((m) => m.id === 'BTCUSDT');
    expect(btc).toMatchObject({ symbol: 'BTC/USDT:USDT', type: 'swap', precision: { amount: 0.001, price: 0.01 }, limits: { cost: { min: 100 } } });
    const candles = await gateway.fetchClosedCandles('BTC/USDT:USDT', '1h', 3);
    expect(candles).toEqual(CANDLES.slice(297, 300));
    expect(fake.requests.every((r) => r.path.startsWith('/fapi/'))).toBe(true);
    expect(fake.unrouted).toEqual([]);
  });

  it('refusals carry Binance futures\' words: immediate trigger, reduce-only, margin, minimum notional', async () => {
    const { gateway } = await rig();
    const refused = (request: Parameters<ExchangeGateway['createOrder']>[0]) => gateway.createOrder(request).catch((e: unknown) => e);
    const stopAbove = await refused({ clientOrderId: 'r1', symbol: 'BTC/USDT', side: 'sell', type: 'stop-market', amount: 0.01, stopPrice: Math.round(OPEN * 1.01), reduceOnly: true });
    expect(stopAbove).toBeInstanceOf(ExchangeRejectedError);
    // No position yet: the reduce-only check answers before the trigger check.
    expect((stopAbove as Error).message).toMatch(/ReduceOnly Order is rejected\./);
    expect((await refused({ clientOrderId: 'r2', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.01, reduceOnly: true }) as Error).message)
      .toMatch(/ReduceOnly Order is rejected\./);
    // 20x (Binance's default) on 1,000 USDT: about 20,000 of notional at most; 1 BTC is ~64,000.
    expect((await refused({ clientOrderId: 'r3', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 1 }) as Error).message).toMatch(/Margin is insufficient\./);
    expect((await refused({ clientOrderId: 'r4', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.001 }) as Error).message)
      .toMatch(/Order's notional must be no smaller than 100 \(unless you choose reduce only\)\./);
    await gateway.createOrder({ clientOrderId: 'ok1', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.01 });
    const trigger = await refused({ clientOrderId: 'r5', symbol: 'BTC/USDT', side: 'sell', type: 'stop-market', amount: 0.01, stopPrice: Math.round(OPEN * 1.01), reduceOnly: true });
    expect((trigger as Error).message).toMatch(/Order would immediately trigger\./);
    expect(await gateway.fetchPositions()).toEqual([{ symbol: 'BTC/USDT:USDT', side: 'long', amount: 0.01, entryPrice: expect.closeTo(OPEN + 0.01, 6) }]);
  });

  it('a conditional order sent to the plain order endpoint is refused as Binance does since the algo-service move (-4120)', async () => {
    const { fake } = await rig();
    const answer = await fetch(`${fake.url}/fapi/v1/order?symbol=BTCUSDT&side=SELL&type=STOP_MARKET&quantity=0.01&stopPrice=60000&timestamp=1&signature=x`,
      { method: 'POST', headers: { 'X-MBX-APIKEY': 'k' } });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ code: -4120, msg: 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.' });
  });
});
