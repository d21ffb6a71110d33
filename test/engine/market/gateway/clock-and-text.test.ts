/**
 * Binance refuses signed requests with -1021 when this host's clock runs ahead of the exchange's; ITA must say so
 * (not "exchange unavailable"). A proxy's HTML 502 page must not become a 17k-character message in /status.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClockSkewError, ExchangeUnavailableError } from '../../../../src/engine/errors.ts';
import { MAX_EXCHANGE_TEXT, readableText } from '../../../../src/engine/market/gateway/errors.ts';
import { mountOrderEndpoints } from '../../../helpers/exchange-fake/orders.ts';
import { HOUR, startRig, stopRig, type Rig } from './setup.ts';

const NOW = Date.UTC(2024, 6, 11, 6, 5);
const ACCOUNT = '/api/v3/account';
const AHEAD = { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." };
const KEYS = { apiKey: 'k'.repeat(64), secret: 's'.repeat(64) };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** What nginx answers when the upstream is down, padded the way real error pages are. */
const NGINX_502 = `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n${'<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n'.repeat(260)}`;

describe('clock skew (-1021)', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await stopRig(rig);
    rig = undefined;
  });

  it('is a ClockSkewError that says how far ahead the clock is, after one re-measurement of the offset', async () => {
    rig = await startRig({ now: NOW }, KEYS);
    mountOrderEndpoints(rig.fake);
    await rig.gateway.loadMarkets();
    rig.fake.resetLog();
    rig.fake.fault({ kind: 'status', status: 400, body: AHEAD, count: 2, path: ACCOUNT });
    const error = await rejection(rig.gateway.fetchBalances());
    expect(error).toBeInstanceOf(ClockSkewError);
    expect(error).not.toBeInstanceOf(ExchangeUnavailableError);
    expect((error as ClockSkewError).aheadMs).toBe(1000);
    expect(error.message).toContain("this host's clock is 1000 ms ahead");
    expect(error.message).toContain('sync the clock');
    // Refused, the offset measured again from the exchange's clock, refused again: no blind retry loop.
    expect(rig.fake.requests.map((r) => `${r.path} ${r.status}`)).toEqual([`${ACCOUNT} 400`, '/api/v3/time 200', `${ACCOUNT} 400`]);
  });

  it('succeeds when the re-measured offset fixes it', async () => {
    rig = await startRig({ now: NOW }, KEYS);
    mountOrderEndpoints(rig.fake);
    await rig.gateway.loadMarkets();
    rig.fake.fault({ kind: 'status', status: 400, body: AHEAD, path: ACCOUNT });
    const balances = await rig.gateway.fetchBalances();
    expect(Object.keys(balances).length).toBeGreaterThan(0);
  });

  it('"outside of the recvWindow" is clock skew too, without a figure', async () => {
    rig = await startRig({ now: NOW }, KEYS);
    mountOrderEndpoints(rig.fake);
    await rig.gateway.loadMarkets();
    rig.fake.fault({ kind: 'status', status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' }, count: 2, path: ACCOUNT });
    const error = await rejection(rig.gateway.fetchBalances());
    expect(error).toBeInstanceOf(ClockSkewError);
    expect((error as ClockSkewError).aheadMs).toBeUndefined();
    expect(error.message).toContain('receive window');
  });

  it('market loading measures the exchange clock (ccxt adjustForTimeDifference is on)', async () => {
    rig = await startRig({ now: NOW + HOUR });
    await rig.gateway.loadMarkets();
    expect(rig.fake.requests.map((r) => r.path)).toContain('/api/v3/time');
  });
});

describe('long exchange error texts', () => {
  it("an HTML 502 page from a proxy becomes a short message naming the page's title", async () => {
    const rig = await startRig({ now: NOW }, { retry: { attempts: 1 } });
    try {
      await rig.gateway.loadMarkets();
      rig.fake.fault({ kind: 'raw', status: 502, body: NGINX_502, path: '/api/v3/klines' });
      const error = await rejection(rig.gateway.fetchClosedCandles('BTC/USDT', '1h', 5));
      expect(NGINX_502.length).toBeGreaterThan(17_000);
      expect(error).toBeInstanceOf(ExchangeUnavailableError);
      expect(error.message).toContain('502 Bad Gateway');
      expect(error.message).not.toContain('<');
      // The gateway's own prefix ("binance fetchClosedCandles BTC/USDT 1h: ...") plus at most the cut exchange text.
      expect(error.message.length).toBeLessThan(MAX_EXCHANGE_TEXT + 200);
    } finally {
      await stopRig(rig);
    }
  });

  it('plain long texts are cut with an ellipsis and whitespace collapsed', () => {
    const cut = readableText(`a   b\n\n${'x'.repeat(1000)}`, 50);
    expect(cut).toHaveLength(50);
    expect(cut.startsWith('a b x')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
  });
});
