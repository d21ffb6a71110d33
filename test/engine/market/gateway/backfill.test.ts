import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleCandles } from '../../../helpers/candles.ts';
import type { BackfillProgress } from '../../../../src/engine/market/gateway.ts';
import { HOUR, MINUTE, startRig, stopRig, type Rig } from './setup.ts';

const BTC_15M = loadSampleCandles('binance_BTCUSDT_15m'); // 2024-07-10 .. 2025-07-10, no gaps
const Q = 15 * MINUTE;
const DAY = 24 * HOUR;
const START = BTC_15M[0].ts;
const NOW = START + 53 * DAY + 7 * MINUTE; // 5088 closed 15m candles, the 5089th is forming

describe('gateway backfill over ccxt binance (page limit 1000)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ now: NOW });
  });
  afterAll(() => stopRig(rig));

  it('downloads 5088 candles over 6 pages, equal to the file rows, without the forming candle', async () => {
    rig.fake.resetLog();
    const progress: BackfillProgress[] = [];
    const candles = await rig.gateway.backfill('BTC/USDT', '15m', START, undefined, (p) => progress.push(p));

    expect(candles).toHaveLength(5088);
    expect(candles[0]).toEqual(BTC_15M[0]);
    expect(candles.at(-1)).toEqual(BTC_15M[5087]);
    expect(candles).toEqual(BTC_15M.slice(0, 5088));

    const klines = rig.fake.requests.filter((r) => r.path === '/api/v3/klines');
    expect(klines.map((r) => Number(r.query.startTime))).toEqual([0, 1, 2, 3, 4, 5].map((k) => START + k * 1000 * Q));
    expect(klines.every((r) => r.query.limit === '1000' && r.query.symbol === 'BTCUSDT' && r.query.interval === '15m')).toBe(true);

    expect(progress.map((p) => p.page)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.map((p) => p.candles)).toEqual([1000, 2000, 3000, 4000, 5000, 5088]);
    expect(progress.at(-1)!.lastTs).toBe(BTC_15M[5087].ts);
    const fractions = progress.map((p) => p.fraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(fractions.at(-1)).toBeCloseTo((5088 * Q) / (53 * DAY + 7 * MINUTE), 10);
  });

  it('honours until (exclusive) and stops paging once it is reached', async () => {
    rig.fake.resetLog();
    const candles = await rig.gateway.backfill('BTC/USDT', '15m', START + 100 * Q, START + 2600 * Q);
    expect(candles).toEqual(BTC_15M.slice(100, 2600));
    expect(rig.fake.requests.filter((r) => r.path === '/api/v3/klines')).toHaveLength(3);
  });

  it('fetchClosedCandles beyond one page walks pages and keeps the newest closed ones', async () => {
    const small = await startRig({ now: NOW }, { pageLimit: 100 });
    try {
      const candles = await small.gateway.fetchClosedCandles('BTC/USDT', '15m', 250);
      expect(candles).toEqual(BTC_15M.slice(5088 - 250, 5088));
      expect(small.fake.requests.every((r) => r.path !== '/api/v3/klines' || r.query.limit === '100')).toBe(true);
    } finally {
      await stopRig(small);
    }
  });
});

describe('gateway backfill across exchange gaps and the end of history', () => {
  const BTC_1H_FULL = loadSampleCandles('binance_BTCUSDT_1h'); // 2017-08 .. 2022-10, 27 gaps
  const ETH_1H = loadSampleCandles('binance_ETHUSDT_1h_2023-04');
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({
      now: Date.UTC(2023, 6, 1),
      series: { BTCUSDT: { '1h': 'binance_BTCUSDT_1h' }, ETHUSDT: { '1h': 'binance_ETHUSDT_1h_2023-04' } },
    });
  });
  afterAll(() => stopRig(rig));

  it('skips the maintenance gaps of 2018 and still equals the file rows exactly', async () => {
    const since = Date.UTC(2018, 0, 1);
    const until = Date.UTC(2018, 6, 1);
    const expected = BTC_1H_FULL.filter((c) => c.ts >= since && c.ts < until);
    // The sample really has holes here (Binance maintenance 2018-02-08 and 2018-06-26).
    expect(expected.length).toBeLessThan((until - since) / HOUR);
    const candles = await rig.gateway.backfill('BTC/USDT', '1h', since, until);
    expect(candles).toEqual(expected);
  });

  it('starting before the listing returns the whole history and stops on the empty page after it', async () => {
    rig.fake.resetLog();
    const candles = await rig.gateway.backfill('ETH/USDT', '1h', Date.UTC(2023, 0, 1));
    expect(candles).toEqual(ETH_1H);
    const klines = rig.fake.requests.filter((r) => r.path === '/api/v3/klines');
    expect(klines).toHaveLength(2);
    expect(Number(klines[1].query.startTime)).toBe(ETH_1H.at(-1)!.ts + HOUR);
  });
});
