import { describe, expect, it } from 'vitest';
import { ConfigError, ExchangeUnavailableError, RateLimitError } from '../../../../src/engine/errors.ts';
import { backoffDelay, withRetry, type RetryPolicy } from '../../../../src/engine/market/gateway/retry.ts';
import { parseRetryAfter, scrub } from '../../../../src/engine/market/gateway/errors.ts';
import { overrideUrls, rewriteHosts } from '../../../../src/engine/market/gateway/urls.ts';
import { backfillPages } from '../../../../src/engine/market/gateway/backfill.ts';
import { closedOnly, sortUnique, toCandles } from '../../../../src/engine/market/gateway/candles.ts';
import type { Candle } from '../../../../src/engine/types.ts';

const HOUR = 3_600_000;
const candle = (ts: number, close = 100): Candle => ({ ts, open: 100, high: 110, low: 90, close, volume: 1 });

describe('backoff', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 4_000 };
  it('doubles per retry, keeps half of it fixed and jitters the other half, capped', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...policy, random: () => 0 }))).toEqual([250, 500, 1000, 2000, 2000]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...policy, random: () => 0.999999 }))).toEqual([500, 1000, 2000, 4000, 4000]);
  });

  it('stops at the attempt bound and rethrows the classified error', async () => {
    const sleeps: number[] = [];
    const policy: RetryPolicy = {
      attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000, random: () => 0,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    };
    let calls = 0;
    const failing = withRetry(async () => {
      calls += 1;
      throw new Error('socket hang up');
    }, (raw) => new ExchangeUnavailableError(`x: ${(raw as Error).message}`), policy);
    await expect(failing).rejects.toThrow(/x: socket hang up \[gave up after 3 attempts\]/);
    expect(calls).toBe(3);
    expect(sleeps).toEqual([50, 100]);

    calls = 0;
    const limited = withRetry(async () => {
      calls += 1;
      if (calls === 1) throw new Error('429');
      return 'ok';
    }, () => new RateLimitError('slow down', 2_500), policy);
    expect(await limited).toBe('ok');
    expect(sleeps.at(-1)).toBe(2_500);
  });
});

describe('Retry-After and secrets', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(30_000);
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });

  it('scrubs keys, secrets and request signatures', () => {
    const text = 'GET https://x/api/v3/account?timestamp=1&signature=abc123def KEY-1234567 failed';
    expect(scrub(text, ['KEY-1234567'])).toBe('GET https://x/api/v3/account?timestamp=1&signature=*** *** failed');
  });
});

describe('URL override', () => {
  it('moves every REST base to the override host and keeps paths (placeholders too)', () => {
    const tree = {
      public: 'https://api.binance.com/api/v3',
      sapi: 'https://api.binance.com/sapi/v1',
      fapiPublic: 'https://fapi.binance.com/fapi/v1',
      nested: { rest: 'https://api.{hostname}/v5' },
    };
    expect(rewriteHosts(tree, 'http://127.0.0.1:9000/')).toEqual({
      public: 'http://127.0.0.1:9000/api/v3',
      sapi: 'http://127.0.0.1:9000/sapi/v1',
      fapiPublic: 'http://127.0.0.1:9000/fapi/v1',
      nested: { rest: 'http://127.0.0.1:9000/v5' },
    });
  });

  it('refuses any request that would still leave for another host', async () => {
    const seen: string[] = [];
    const exchange = {
      id: 'binance',
      urls: { api: { public: 'https://api.binance.com/api/v3' } as unknown },
      fetch: async (url: string) => {
        seen.push(url);
        return {};
      },
    };
    overrideUrls(exchange, 'http://127.0.0.1:9000');
    await exchange.fetch('http://127.0.0.1:9000/api/v3/time');
    await expect(exchange.fetch('https://api.binance.com/api/v3/time')).rejects.toBeInstanceOf(ConfigError);
    await expect(exchange.fetch('http://127.0.0.1:9001/api/v3/time')).rejects.toThrow(/refusing a request to http:\/\/127.0.0.1:9001/);
    expect(seen).toEqual(['http://127.0.0.1:9000/api/v3/time']);
  });
});

describe('candle hygiene', () => {
  it('rejects rows that are not six finite numbers (what ccxt makes of truncated JSON)', () => {
    expect(() => toCandles([[undefined, undefined, undefined, undefined, undefined, undefined]])).toThrow(/candle #0/);
    expect(() => toCandles('[[1720569600000,"58050.0')).toThrow(/expected a list/);
    expect(toCandles([[0, 1, 2, 0.5, 1.5, 10]])).toEqual([{ ts: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }]);
  });

  it('sorts, de-duplicates and keeps only candles whose period has ended', () => {
    const sorted = sortUnique([candle(2 * HOUR), candle(0), candle(HOUR, 1), candle(HOUR, 2)]);
    expect(sorted).toEqual([candle(0), candle(HOUR, 2), candle(2 * HOUR)]);
    expect(closedOnly(sorted, '1h', 2 * HOUR)).toEqual([candle(0), candle(HOUR, 2)]);
    expect(closedOnly(sorted, '1h', 3 * HOUR - 1)).toEqual([candle(0), candle(HOUR, 2)]);
  });
});

describe('backfill paging', () => {
  const history = Array.from({ length: 10 }, (_, i) => candle(i * HOUR, 100 + i));
  const plan = { since: 0, until: 100 * HOUR, tf: '1h' as const, pageLimit: 3, now: () => 100 * HOUR };

  it('removes overlaps when the exchange starts each page one candle early', async () => {
    const cursors: number[] = [];
    const result = await backfillPages({
      ...plan,
      fetchPage: async (cursor) => {
        cursors.push(cursor);
        const from = history.findIndex((c) => c.ts >= cursor - HOUR);
        return from < 0 ? [] : history.slice(from, from + 3);
      },
    });
    expect(result).toEqual(history);
    expect(cursors).toEqual([0, 3, 5, 7, 9, 10].map((h) => h * HOUR));
  });

  it('stops when an exchange ignores since and repeats the same page', async () => {
    let calls = 0;
    const result = await backfillPages({
      ...plan,
      since: 5 * HOUR,
      fetchPage: async () => {
        calls += 1;
        return history.slice(0, 3);
      },
    });
    expect(result).toEqual([]);
    expect(calls).toBe(1);
  });
});
