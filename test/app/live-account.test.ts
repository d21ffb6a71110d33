/** What /mode live says when the configuration cannot trade live: the exact environment variables to set. */
import { describe, expect, it } from 'vitest';
import { liveUnavailableReason, openLiveAccount } from '../../src/app/live-account.ts';
import { createGateway } from '../../src/engine/market/gateway.ts';
import { openDatabase } from '../../src/engine/store/database.ts';
import { silentLogger } from '../../src/logger.ts';
import { createServer } from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { localizeEngineText } from '../../src/bot/i18n/index.ts';

const config = (env: Record<string, string>) => loadConfig({ env, file: undefined, cwd: '/nonexistent' });

describe('live account availability', () => {
  it('names the missing key, secret or both; nothing is missing with both set', () => {
    expect(liveUnavailableReason(config({ ITA_MODE: 'live' }), false))
      .toBe('live trading needs the exchange API key and secret from the environment; missing: ITA_EXCHANGE_API_KEY, ITA_EXCHANGE_SECRET. Set them and restart');
    expect(liveUnavailableReason(config({ ITA_MODE: 'live', ITA_EXCHANGE_SECRET: 's' }), false)).toMatch(/missing: ITA_EXCHANGE_API_KEY\. /);
    expect(liveUnavailableReason(config({ ITA_MODE: 'live', ITA_EXCHANGE_API_KEY: 'k', ITA_EXCHANGE_SECRET: 's' }), false)).toBeUndefined();
  });

  it('refuses the bundled sample replay as a market; a perp account trades live through the futures class; paper mode has the executor\'s own refusal', () => {
    const keys = { ITA_MODE: 'live', ITA_EXCHANGE_API_KEY: 'k', ITA_EXCHANGE_SECRET: 's' };
    expect(liveUnavailableReason(config(keys), true)).toMatch(/set ITA_MARKET=exchange/);
    expect(liveUnavailableReason(config({ ...keys, ITA_EXCHANGE_ACCOUNT: 'perp' }), false)).toBeUndefined();
    expect(liveUnavailableReason(config({}), false)).toBeUndefined();
  });

  it('every reason has its Russian line in the catalog', () => {
    const reasons = [
      liveUnavailableReason(config({ ITA_MODE: 'live' }), false)!,
      liveUnavailableReason(config({ ITA_MODE: 'live', ITA_EXCHANGE_API_KEY: 'k', ITA_EXCHANGE_SECRET: 's' }), true)!,
    ];
    expect(reasons.map((r) => localizeEngineText(r, 'ru'))).toEqual([
      'для реальной торговли нужны API-ключ и секрет биржи из переменных окружения; не заданы: ITA_EXCHANGE_API_KEY, ITA_EXCHANGE_SECRET. Задайте их и перезапустите',
      'для реальной торговли рынком должна быть биржа, а не воспроизведение встроенных свечей: задайте ITA_MARKET=exchange и перезапустите',
    ]);
  });

  it('an exchange that refuses connections at start-up: the live broker opens unreconciled and says why, it does not throw', async () => {
    // A port that was free a moment ago: nothing listens there, every connection is refused.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const gateway = await createGateway({
      exchangeId: 'binance', apiKey: 'k', secret: 's', urlsOverride: `http://127.0.0.1:${port}`, enableRateLimit: false, timeoutMs: 2_000,
      retry: { sleep: async () => undefined },
    });
    const store = await openDatabase(':memory:');
    try {
      const live = await openLiveAccount({
        config: config({ ITA_MODE: 'live', ITA_EXCHANGE_API_KEY: 'k', ITA_EXCHANGE_SECRET: 's' }), sampleMarket: false, gateway, db: store.db, now: Date.now, logger: silentLogger,
      });
      expect(live.broker).toBeDefined();
      expect(live.broker!.startupDifferences).toEqual([]);
      expect(live.broker!.startupUnreachable).toMatch(/binance loadMarkets: exchange unavailable/);
    } finally {
      await gateway.close();
      await store.close();
    }
  });
});
