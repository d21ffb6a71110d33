/** Test harness: an executor over the real paper broker on a fresh SQLite file, a settable clock, hand-built candles. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../../../src/engine/store/database.ts';
import type { StoreBackend } from '../../../helpers/backends.ts';
import { createPaperBroker } from '../../../../src/engine/exec/paper/index.ts';
import { execMigrations, EXEC_MIGRATION_TABLE } from '../../../../src/engine/exec/store/migrations.ts';
import { NO_COSTS, type CostModel } from '../../../../src/engine/exec/sim/fill-model.ts';
import { createExecutor } from '../../../../src/engine/exec/executor/index.ts';
import { EXECUTOR_MIGRATION_TABLE, executorMigrations } from '../../../../src/engine/exec/executor/schema.ts';
import type { Broker } from '../../../../src/engine/exec/broker.ts';
import type { ApprovableSignal, ExecutorEvent, ExecutorOptions } from '../../../../src/engine/exec/executor/types.ts';
import { loadGovernance } from '../../../../src/engine/risk/index.ts';
import type { Candle, MarketKey } from '../../../../src/engine/types.ts';

export const HOUR = 3_600_000;
/** 2024-07-01 00:00 UTC. */
export const T0 = Date.UTC(2024, 6, 1);
export const MARKET: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };

export function tempDbFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'ita-exec-')), 'ita.sqlite');
}

/** Volume 1e6 at ~100: 24 h quote volume far above the governance minimum (5e7), so liquidity never refuses. */
export function candle(i: number, open: number, high: number, low: number, close: number): Candle {
  return { ts: T0 + i * HOUR, open, high, low, close, volume: 1_000_000 };
}

export function signal(i: number, over: Partial<ApprovableSignal> = {}): ApprovableSignal {
  return {
    id: `sig-${i}`, setupId: 'test_setup', setupVersion: 'v1', symbol: 'BTC/USDT', timeframe: '1h', side: 'long', ts: T0 + i * HOUR,
    entryType: 'market', entry: 100, stop: 98, targets: [], context: { atr: 1 }, validUntil: T0 + (i + 3) * HOUR, ...over,
  };
}

export interface Harness {
  file: string;
  now: { value: number };
  executor: Awaited<ReturnType<typeof createExecutor>>;
  events: ExecutorEvent[];
  broker: Broker;
  /** The perp paper broker, when the harness was given `makePerp`. */
  perpBroker?: Broker;
  /** Feeds candle i: the clock moves to its close first. */
  feed(c: Candle): Promise<void>;
  close(): Promise<void>;
}

export async function openHarness(
  file = tempDbFile(),
  over: Partial<ExecutorOptions> & {
    wrapBroker?: (b: Broker) => Broker;
    startAt?: number;
    paperCosts?: CostModel;
    /** Builds the perp paper broker on the harness's database (perp markets go there). */
    makePerp?: (db: Kysely<any>, clock: () => number) => Promise<Broker>;
    /** More brokers built on the harness's database (e.g. a live perp broker over the exchange fake). */
    makeBrokers?: (db: Kysely<any>, clock: () => number) => Promise<Partial<ExecutorOptions>>;
  } = {},
): Promise<Harness> {
  const { db, close } = await openDatabase(file, {
    extraMigrations: { [EXEC_MIGRATION_TABLE]: execMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations },
  });
  const now = { value: over.startAt ?? T0 - 24 * HOUR };
  const clock = () => now.value;
  const paper = await createPaperBroker({
    db, costs: over.paperCosts ?? NO_COSTS, initialBalances: { USDT: 10_000 }, now: clock,
    markets: { 'BTC/USDT': { base: 'BTC', quote: 'USDT', amountStep: 0.00001, minAmount: 0.00001, minNotional: 5 } },
  });
  const broker = over.wrapBroker ? over.wrapBroker(paper) : paper;
  const perpBroker = over.makePerp ? await over.makePerp(db, clock) : undefined;
  const extra = over.makeBrokers ? await over.makeBrokers(db, clock) : {};
  const executor = await createExecutor({ db, broker, governance: loadGovernance(), clock, equity0: 10_000, ...(perpBroker ? { perpBroker } : {}), ...extra, ...over });
  const events: ExecutorEvent[] = [];
  executor.on((e) => events.push(e));
  return {
    file, now, executor, events, broker, perpBroker,
    async feed(c) {
      now.value = c.ts + HOUR;
      await executor.onCandle(MARKET, c);
    },
    close,
  };
}

/** The harness on a fresh store of `backend` (SQLite file or PostgreSQL database), dropped on close. */
export async function openHarnessOn(backend: StoreBackend, over: Parameters<typeof openHarness>[1] = {}): Promise<Harness> {
  const location = await backend.create();
  const h = await openHarness(location.target, over);
  return { ...h, close: async () => { await h.close(); await location.drop(); } };
}

/** 20 quiet candles around 100 on the day BEFORE T0 (hours −20 … −1), so ATR and market statistics exist. */
export async function warmUp(h: Harness, count = 20): Promise<void> {
  for (let i = -count; i < 0; i++) await h.feed(candle(i, 100, 100.5, 99.5, 100));
}
