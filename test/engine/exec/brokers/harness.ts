/**
 * Two ways to run the broker contract on the same real candles (BTC/USDT 1h, July 2024 sample): the paper broker fed
 * candle by candle, and the live broker driving ccxt's real binance class against the local exchange fake whose
 * clock moves an hour per candle. `now` is always the open time of the candle that has not closed yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Candle } from '../../../../src/engine/types.ts';
import type { Fill } from '../../../../src/engine/exec/broker.ts';
import type { VenueBroker } from '../../../../src/engine/exec/core/venue-broker.ts';
import { createLiveBroker, type LiveBroker } from '../../../../src/engine/exec/live/index.ts';
import { createPaperBroker, type PaperBroker } from '../../../../src/engine/exec/paper/index.ts';
import { createGateway, type ExchangeGateway } from '../../../../src/engine/market/gateway.ts';
import { openDatabase, type OpenedDatabase } from '../../../../src/engine/store/database.ts';
import { NO_COSTS, type CostModel } from '../../../../src/engine/exec/sim/fill-model.ts';
import { loadSampleCandles } from '../../../helpers/candles.ts';
import { mountOrderEndpoints, startExchangeFake, type ExchangeFake, type FakeOrders } from '../../../helpers/exchange-fake.ts';

export const SYMBOL = 'BTC/USDT';
export const HOUR = 3_600_000;
export const CANDLES: Candle[] = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
/** Index of the first candle still open when a test starts. */
export const START = 200;
export const START_USDT = 10_000;
/** Binance's default commission; the paper cost model uses the same so both books agree. */
export const FEE = 0.001;
export const PAPER_COSTS: CostModel = { ...NO_COSTS, makerFee: FEE, takerFee: FEE };

export interface BrokerHarness {
  readonly name: 'paper' | 'live';
  broker: VenueBroker;
  /** Index of the candle now forming. */
  index: number;
  /** Lets the forming candle close and tells the broker; returns the fills it reported. */
  advance(): Promise<Fill[]>;
  /** The next order that fills does so only partly (`fraction` of it); the rest comes later. */
  partialNext(fraction: number, amount: number): void;
  /** A new broker instance on the same database (and the same exchange). */
  restart(): Promise<void>;
  /** Orders the venue has received, by clientOrderId (a duplicate would show up twice). */
  venueOrderIds(): Promise<string[]>;
  close(): Promise<void>;
}

function tempDb(): { file: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ita-brokers-'));
  return { dir, file: path.join(dir, 'ita.sqlite') };
}

export function paperHarness(): Promise<BrokerHarness & { broker: PaperBroker }> {
  return paperHarnessOf((db) => createPaperBroker({ db, costs: PAPER_COSTS, initialBalances: { USDT: START_USDT }, markets: { [SYMBOL]: RULES } }), 'paper_orders');
}

/** A paper broker of either account type, fed candle by candle; `ordersTable` is where its venue keeps orders. */
export async function paperHarnessOf<B extends VenueBroker & { venue: { setMaxVolumeShare(share: number | undefined): void } }>(
  create: (db: OpenedDatabase['db']) => Promise<B>, ordersTable: string,
): Promise<BrokerHarness & { broker: B }> {
  const { dir, file } = tempDb();
  let opened: OpenedDatabase = await openDatabase(file);
  const make = () => create(opened.db);
  const harness = {
    name: 'paper' as const,
    broker: await make(),
    index: START,
    async advance() {
      const fills = await harness.broker.onCandle(SYMBOL, CANDLES[harness.index]);
      harness.index += 1;
      harness.broker.venue.setMaxVolumeShare(undefined);
      return fills;
    },
    partialNext(fraction: number, amount: number) {
      // The paper venue's partial fills come from volume participation: cap the next candle at `fraction` of the order.
      harness.broker.venue.setMaxVolumeShare((fraction * amount) / CANDLES[harness.index].volume);
    },
    async restart() {
      await opened.close();
      opened = await openDatabase(file);
      harness.broker = await make();
    },
    async venueOrderIds() {
      const rows = await opened.db.selectFrom(ordersTable as never).select('client_order_id' as never).execute();
      return rows.map((r) => (r as { client_order_id: string }).client_order_id);
    },
    async close() {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // The candle before the start closed: the paper venue knows a price, like the exchange does.
  await harness.broker.onCandle(SYMBOL, CANDLES[START - 1]);
  return harness;
}

/** Binance BTCUSDT rules, as the fake serves them. */
export const RULES = { base: 'BTC', quote: 'USDT', amountStep: 0.00001, priceTick: 0.01, minAmount: 0.00001, minNotional: 5 };

export interface LiveHarness extends BrokerHarness {
  broker: LiveBroker;
  fake: ExchangeFake;
  orders: FakeOrders;
  gateway: ExchangeGateway;
  sleeps: number[];
}

export async function liveHarness(options: { timeoutMs?: number } = {}): Promise<LiveHarness> {
  const { dir, file } = tempDb();
  let opened: OpenedDatabase = await openDatabase(file);
  const fake = await startExchangeFake({ now: CANDLES[START].ts });
  const orders = mountOrderEndpoints(fake, { balances: { USDT: START_USDT }, commission: FEE, timeframe: '1h' });
  const sleeps: number[] = [];
  const makeGateway = () => createGateway({
    exchangeId: 'binance', urlsOverride: fake.url, apiKey: 'test-key', secret: 'test-secret', enableRateLimit: false,
    timeoutMs: options.timeoutMs ?? 2_000, now: () => fake.now(),
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
  let gateway = await makeGateway();
  const make = () => createLiveBroker({ gateway, db: opened.db, now: () => fake.now() });
  const harness: LiveHarness = {
    name: 'live',
    fake,
    orders,
    sleeps,
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
      orders.partialNext(fraction);
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
      return orders.orders.map((o) => o.clientOrderId);
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
