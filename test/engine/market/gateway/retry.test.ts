import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleCandles } from '../../../helpers/candles.ts';
import {
  AuthenticationError, ExchangeRejectedError, ExchangeUnavailableError, NotFoundError, RateLimitError,
} from '../../../../src/engine/errors.ts';
import { HOUR, MINUTE, startRig, stopRig, type Rig } from './setup.ts';

const BTC_1H = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
const NOW = BTC_1H[0].ts + 30 * HOUR + 5 * MINUTE;
const EXPECTED = BTC_1H.slice(25, 30);
const KLINES = '/api/v3/klines';
// With random() = 0.5 and the default policy (base 500 ms, doubling): 375, 750, 1500 ms.
const BACKOFF = [375, 750, 1500];

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('gateway retries and error mapping against the exchange fake', () => {
  let rig: Rig;
  const klines = () => rig.fake.requests.filter((r) => r.path === KLINES);
  beforeAll(async () => {
    rig = await startRig({ now: NOW });
    await rig.gateway.loadMarkets();
  });
  afterEach(() => {
    expect(rig.fake.pendingFaults()).toBe(0);
    rig.fake.resetLog();
    rig.sleeps.length = 0;
  });
  afterAll(() => stopRig(rig));

  it('429 with Retry-After is retried after at least the time the exchange asked for', async () => {
    rig.fake.fault({ kind: 'status', status: 429, retryAfterSec: 3, count: 2, path: KLINES });
    expect(await rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5)).toEqual(EXPECTED);
    expect(klines().map((r) => r.status)).toEqual([429, 429, 200]);
    expect(rig.sleeps).toEqual([3000, 3000]);
  });

  it('418 (IP ban warning) without Retry-After backs off exponentially', async () => {
    rig.fake.fault({ kind: 'status', status: 418, path: KLINES });
    expect(await rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5)).toEqual(EXPECTED);
    expect(rig.sleeps).toEqual([375]);
  });

  it('5xx answers are retried and the call succeeds', async () => {
    rig.fake.fault({ kind: 'status', status: 503, path: KLINES });
    rig.fake.fault({ kind: 'status', status: 500, path: KLINES });
    expect(await rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5)).toEqual(EXPECTED);
    expect(klines().map((r) => r.status)).toEqual([503, 500, 200]);
    expect(rig.sleeps).toEqual(BACKOFF.slice(0, 2));
  });

  it('a malformed (truncated) JSON answer is retried', async () => {
    rig.fake.fault({ kind: 'malformed', path: KLINES });
    expect(await rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5)).toEqual(EXPECTED);
    expect(klines()).toHaveLength(2);
  });

  it('a persistent 503 ends in ExchangeUnavailableError after 4 attempts, naming exchange, method and symbol', async () => {
    rig.fake.fault({ kind: 'status', status: 503, count: 4, path: KLINES });
    const error = await rejection(rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5));
    expect(error).toBeInstanceOf(ExchangeUnavailableError);
    expect(error.message).toMatch(/^binance fetchClosedCandles BTC\/USDT 1h: /);
    expect(error.message).toContain('gave up after 4 attempts');
    expect(klines()).toHaveLength(4);
    expect(rig.sleeps).toEqual(BACKOFF);
  });

  it('a persistent 429 ends in RateLimitError carrying the Retry-After and the ccxt error as cause', async () => {
    rig.fake.fault({ kind: 'status', status: 429, retryAfterSec: 1, count: 4, path: KLINES });
    const error = await rejection(rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(1000);
    expect((error.cause as Error).constructor.name).toBe('DDoSProtection');
    expect(klines()).toHaveLength(4);
  });

  it('a Retry-After longer than the policy allows is handed to the caller at once', async () => {
    rig.fake.fault({ kind: 'status', status: 429, retryAfterSec: 120, path: KLINES });
    const error = await rejection(rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(klines()).toHaveLength(1);
    expect(rig.sleeps).toEqual([]);
  });

  it('a symbol the exchange does not list is NotFoundError, without retries', async () => {
    const error = await rejection(rig.gateway.fetchClosedCandles('XRP/USDT', '1h', 5));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('XRP/USDT');
    expect(klines()).toHaveLength(0);
  });

  it("the exchange's own Invalid symbol (-1121) is NotFoundError too", async () => {
    rig.fake.fault({ kind: 'status', status: 400, body: { code: -1121, msg: 'Invalid symbol.' }, path: KLINES });
    const error = await rejection(rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(klines()).toHaveLength(1);
  });

  it('a refused request (filter failure) is ExchangeRejectedError, never retried', async () => {
    rig.fake.fault({ kind: 'status', status: 400, body: { code: -1013, msg: 'Filter failure: LOT_SIZE' }, path: KLINES });
    const error = await rejection(rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5));
    expect(error).toBeInstanceOf(ExchangeRejectedError);
    expect(klines()).toHaveLength(1);
    expect(rig.sleeps).toEqual([]);
  });
});

describe('gateway timeouts and credentials', () => {
  it('a request that hangs times out and is retried', async () => {
    const rig = await startRig({ now: NOW }, { timeoutMs: 250 });
    try {
      await rig.gateway.loadMarkets();
      rig.fake.fault({ kind: 'hang', path: KLINES });
      expect(await rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5)).toEqual(EXPECTED);
      expect(rig.fake.requests.filter((r) => r.path === KLINES).map((r) => r.status)).toEqual(['hang', 200]);
      expect(rig.sleeps).toEqual([375]);
    } finally {
      await stopRig(rig);
    }
  });

  it('an authentication failure is AuthenticationError and its message never shows the key or secret', async () => {
    const apiKey = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
    const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
    const rig = await startRig({ now: NOW }, { apiKey, secret });
    try {
      rig.fake.fault({ kind: 'status', status: 401, body: { code: -2015, msg: `Invalid API-key ${apiKey}, IP, or permissions for action.` } });
      const error = await rejection(rig.gateway.loadMarkets());
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toContain('binance loadMarkets');
      expect(error.message).not.toContain(apiKey);
      expect(error.message).not.toContain(secret);
      expect(rig.fake.requests).toHaveLength(1);
      // The failed load is not cached: the next call asks again and succeeds.
      expect((await rig.gateway.loadMarkets()).length).toBe(2);
      expect(rig.fake.unrouted).toEqual([]);
    } finally {
      await stopRig(rig);
    }
  });
});

describe('gateway market loading', () => {
  it('a failed market load is retried with a fresh request (ccxt would otherwise replay the cached failure)', async () => {
    const rig = await startRig({ now: NOW });
    try {
      rig.fake.fault({ kind: 'status', status: 502, path: '/api/v3/exchangeInfo' });
      expect(await rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5)).toEqual(EXPECTED);
      expect(rig.fake.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
        '/api/v3/exchangeInfo 502', '/api/v3/exchangeInfo 200', '/api/v3/time 200', '/api/v3/klines 200',
      ]);
    } finally {
      await stopRig(rig);
    }
  });
});
