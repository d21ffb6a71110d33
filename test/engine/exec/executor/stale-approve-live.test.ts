/**
 * The stale Approve on the live broker: ccxt's real binance class against the exchange fake. The executor's
 * last price (the last closed candle) is still above the signal's stop, but by the time the order reaches the
 * exchange the market trades below it: the LIMIT BUY fills at once, Binance refuses the STOP_LOSS_LIMIT with -2010
 * "Stop price would trigger immediately.", and the fill is sold at market at once. Nothing is left without a stop
 * and the trader is told.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor } from '../../../../src/engine/exec/executor/index.ts';
import { EXECUTOR_MIGRATION_TABLE, executorMigrations } from '../../../../src/engine/exec/executor/schema.ts';
import type { ExecutorEvent } from '../../../../src/engine/exec/executor/types.ts';
import { execMigrations, EXEC_MIGRATION_TABLE } from '../../../../src/engine/exec/store/migrations.ts';
import { createLiveBroker } from '../../../../src/engine/exec/live/index.ts';
import { createGateway, type ExchangeGateway } from '../../../../src/engine/market/gateway.ts';
import { loadGovernance } from '../../../../src/engine/risk/index.ts';
import { openDatabase } from '../../../../src/engine/store/database.ts';
import { executorEventText } from '../../../../src/bot/execution/notify.ts';
import { mountOrderEndpoints, startExchangeFake, type ExchangeFake } from '../../../helpers/exchange-fake.ts';
import { CANDLES, HOUR, START } from '../brokers/harness.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('executor over the live broker: stale approval', () => {
  it('exits the fill at market when Binance refuses the stop, leaves no open order or position, and tells the trader', async () => {
    const last = CANDLES[START - 1];
    const stop = Math.round(last.close * 0.995 * 100) / 100;
    const entry = Math.round(last.close * 0.998 * 100) / 100;
    // A later candle that opens below the stop: where the exchange's market is when the order arrives.
    const later = CANDLES.findIndex((c, i) => i > START && c.open < stop - 5);
    expect(later).toBeGreaterThan(START);

    const fake: ExchangeFake = await startExchangeFake({ now: CANDLES[START].ts });
    cleanups.push(() => fake.close());
    const orders = mountOrderEndpoints(fake, { balances: { USDT: 10_000 }, commission: 0.001, timeframe: '1h' });
    const gateway: ExchangeGateway = await createGateway({
      exchangeId: 'binance', urlsOverride: fake.url, apiKey: 'test-key', secret: 'test-secret', enableRateLimit: false, timeoutMs: 2_000,
      now: () => fake.now(), retry: { sleep: async () => undefined, random: () => 0.5 },
    });
    cleanups.push(() => gateway.close());
    const opened = await openDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'ita-stale-live-')), 'ita.sqlite'), {
      extraMigrations: { [EXEC_MIGRATION_TABLE]: execMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations },
    });
    cleanups.push(() => opened.close());
    const broker = await createLiveBroker({ gateway, db: opened.db, now: () => fake.now() });
    const executor = await createExecutor({
      db: opened.db, broker, governance: loadGovernance(), clock: () => fake.now(), equity0: 10_000,
      instrument: () => ({ amountStep: 0.00001, minAmount: 0.00001, minNotional: 5 }),
    });
    const events: ExecutorEvent[] = [];
    executor.on((e) => events.push(e));
    const market = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };
    for (const c of CANDLES.slice(START - 48, START)) executor.observe(market, c);

    fake.setNow(CANDLES[later].ts + HOUR / 2);
    const result = await executor.approve({
      id: 'fvg-stale', setupId: 'fvg_retrace', setupVersion: 'v1', symbol: 'BTC/USDT', timeframe: '1h', side: 'long', ts: last.ts,
      entryType: 'limit', entry, stop, targets: [], context: { atr: 200 }, validUntil: fake.now() + HOUR,
    }, 'trader');

    expect(result.status).toBe('accepted');
    expect(result.outcome).toMatch(new RegExp(`then the venue refused the protective stop at ${stop} \\(.*Stop price would trigger immediately.*\\); the fill was sold at market at once`));
    const sides = orders.orders.map((o) => `${o.type} ${o.side} ${o.status}`);
    expect(sides).toEqual(['LIMIT BUY FILLED', 'MARKET SELL FILLED']);
    expect(await broker.openOrders()).toEqual([]);
    expect(await broker.positions({ status: ['open', 'pending'] })).toEqual([]);
    expect(await executor.positions()).toEqual([]);
    // Binance took the buyer's fee in BTC: what is left is less than one lot, nothing a stop could cover.
    expect((await broker.balances()).BTC?.total ?? 0).toBeLessThan(0.00001);
    const told = events.find((e) => e.type === 'stop-refused');
    expect(told).toBeDefined();
    expect(executorEventText(told!, 'en')).toMatch(/Stop refused — position exited/);
  });
});
