/**
 * The live perp broker for the broker contracts: ccxt's real binanceusdm class (through the one gateway, account
 * 'perp') against the exchange fake's USDT-M futures venue, whose clock moves an hour per candle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLiveBroker, type LiveBroker } from '../../../../src/engine/exec/live/index.ts';
import { createGateway, type ExchangeGateway } from '../../../../src/engine/market/gateway.ts';
import { openDatabase, type OpenedDatabase } from '../../../../src/engine/store/database.ts';
import { mountFuturesVenue, startExchangeFake, type ExchangeFake, type FakeFutures } from '../../../helpers/exchange-fake.ts';
import { PERP_LEVERAGE, PERP_LEVERAGE_CAP, type PerpHarness } from './contract-perp.ts';
import { CANDLES, FEE, START, START_USDT, SYMBOL } from './harness.ts';

export interface LivePerpHarness extends PerpHarness {
  broker: LiveBroker;
  fake: ExchangeFake;
  futures: FakeFutures;
  gateway: ExchangeGateway;
}

export async function livePerpHarness(): Promise<LivePerpHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ita-perp-live-'));
  const file = path.join(dir, 'ita.sqlite');
  let opened: OpenedDatabase = await openDatabase(file);
  const fake = await startExchangeFake({ now: CANDLES[START].ts });
  const futures = mountFuturesVenue(fake, { balance: START_USDT, commission: FEE, timeframe: '1h' });
  const makeGateway = () => createGateway({
    exchangeId: 'binance', account: 'perp', urlsOverride: fake.url, apiKey: 'test-key', secret: 'test-secret', enableRateLimit: false,
    timeoutMs: 2_000, now: () => fake.now(), retry: { sleep: async () => undefined, random: () => 0.5 },
  });
  let gateway = await makeGateway();
  const make = () => createLiveBroker({ gateway, db: opened.db, now: () => fake.now(), leverage: PERP_LEVERAGE, leverageCap: PERP_LEVERAGE_CAP });
  const harness: LivePerpHarness = {
    name: 'live',
    fake,
    futures,
    gateway,
    broker: await make(),
    index: START,
    async advance() {
      const candle = CANDLES[harness.index];
      harness.index += 1;
      fake.setNow(CANDLES[harness.index].ts);
      return harness.broker.onCandle(SYMBOL, candle);
    },
    partialNext(fraction: number) {
      futures.partialNext(fraction);
    },
    async restart() {
      await gateway.close();
      await opened.close();
      opened = await openDatabase(file);
      gateway = await makeGateway();
      harness.gateway = gateway;
      harness.broker = await make();
    },
    async venueOrderIds() {
      // What ITA sent: the orders and conditional orders with ITA's ids (a triggered stop's own market order is the venue's).
      return futures.book.orders.filter((o) => !o.clientOrderId.startsWith('autoclose-')).map((o) => o.clientOrderId);
    },
    async reduceOnlyIds() {
      return futures.book.orders.filter((o) => o.reduceOnly && (o.algo ? o.algo.status === 'NEW' : o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'))
        .map((o) => o.clientOrderId);
    },
    async leverage() {
      return futures.book.positions.get('BTCUSDT')?.leverage;
    },
    async close() {
      await gateway.close();
      await fake.close();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
