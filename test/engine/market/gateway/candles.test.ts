import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleCandles } from '../../../helpers/candles.ts';
import { HOUR, MINUTE, startRig, stopRig, type Rig } from './setup.ts';

const BTC_1H = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
const ETH_1H = loadSampleCandles('binance_ETHUSDT_1h_2023-04');
const START = BTC_1H[0].ts; // 2024-07-10T00:00Z
const PUBLIC_PATHS = ['/api/v3/exchangeInfo', '/api/v3/time', '/api/v3/klines', '/api/v3/ticker/24hr'];

describe('gateway over ccxt binance: markets, closed candles, ticker', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ now: START + 50 * HOUR + 20 * MINUTE });
  });
  afterAll(() => stopRig(rig));

  it('loads the spot markets once, compactly, with precision and limits from exchangeInfo', async () => {
    const first = await rig.gateway.loadMarkets();
    const second = await rig.gateway.loadMarkets();
    expect(second).toBe(first);
    expect(first.map((m) => m.symbol).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(first.find((m) => m.symbol === 'BTC/USDT')).toEqual({
      symbol: 'BTC/USDT', id: 'BTCUSDT', base: 'BTC', quote: 'USDT', type: 'spot', active: true,
      precision: { price: 0.01, amount: 0.00001 },
      limits: { amount: { min: 0.00001, max: 9000 }, price: { min: 0.01, max: 1_000_000 }, cost: { min: 5, max: 9_000_000 } },
    });
    expect(rig.fake.requests.filter((r) => r.path === '/api/v3/exchangeInfo')).toHaveLength(1);
  });

  it('the fake serves the candle containing now as a partial one that differs from the file row', () => {
    const served = rig.fake.visible('BTCUSDT', '1h');
    expect(served).toHaveLength(51);
    expect(served[50].ts).toBe(BTC_1H[50].ts);
    expect(served[50]).not.toEqual(BTC_1H[50]);
    expect(served.slice(0, 50)).toEqual(BTC_1H.slice(0, 50));
  });

  it('fetchClosedCandles drops the forming candle and equals the sample rows exactly', async () => {
    const candles = await rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 10);
    expect(candles).toEqual(BTC_1H.slice(40, 50));
  });

  it('a candle closing exactly at now is closed; the one opening at now is not', async () => {
    rig.fake.setNow(START + 50 * HOUR);
    const candles = await rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 3);
    expect(candles).toEqual(BTC_1H.slice(47, 50));
    rig.fake.setNow(START + 50 * HOUR + 20 * MINUTE);
  });

  it('serves other symbols from their own files (ETH/USDT 1h, April 2023)', async () => {
    rig.fake.setNow(ETH_1H[100].ts + 59 * MINUTE);
    const candles = await rig.gateway.fetchClosedCandles('ETH/USDT', '1h', 24);
    expect(candles).toEqual(ETH_1H.slice(76, 100));
    rig.fake.setNow(START + 50 * HOUR + 20 * MINUTE);
  });

  it('fetchTicker returns bid < last < ask from the live (forming) price', async () => {
    const ticker = await rig.gateway.fetchTicker('BTC/USDT');
    const livePrice = rig.fake.visible('BTCUSDT', '15m').at(-1)!.close;
    expect(ticker.symbol).toBe('BTC/USDT');
    expect(ticker.last).toBe(livePrice);
    expect(ticker.bid).toBeCloseTo(livePrice - 0.01, 8);
    expect(ticker.ask).toBeCloseTo(livePrice + 0.01, 8);
  });

  it('every request went to a known route of the fake', () => {
    expect(rig.fake.unrouted).toEqual([]);
    expect(rig.fake.requests.length).toBeGreaterThan(0);
    expect(rig.fake.requests.every((r) => PUBLIC_PATHS.includes(r.path))).toBe(true);
  });
});
