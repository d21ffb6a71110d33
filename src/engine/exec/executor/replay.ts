/**
 * The replay: drives the live path (candles → detector → risk governor → paper broker → journal) over stored
 * candles as fast as it goes, approving every signal. Resumable: each candle's effects and the "last processed
 * candle" mark are committed in ONE SQLite transaction, so a run killed at any moment and started again ends in
 * exactly the journal of an uninterrupted run. On restart the detector and the market statistics are rebuilt by
 * re-reading the already processed candles (both are deterministic functions of the candles).
 */
import { InputError } from '../../errors.ts';
import type { Candle, MarketKey, Signal } from '../../types.ts';
import type { Setup } from '../../setups/index.ts';
import type { Governance } from '../../risk/index.ts';
import { openDatabase } from '../../store/database.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import { MarketDetector } from '../../signals/detector.ts';
import { rankSignals } from '../../signals/scoring.ts';
import { createPaperBroker } from '../paper/index.ts';
import { execMigrations, EXEC_MIGRATION_TABLE } from '../store/migrations.ts';
import { NO_COSTS } from '../sim/fill-model.ts';
import { createExecutor } from './executor.ts';
import { DEFAULT_INSTRUMENT, type InstrumentSpec } from './market-stats.ts';
import { EXECUTOR_MIGRATION_TABLE, executorMigrations } from './schema.ts';
import { executorDb, listManagedPositions, listVerdicts, readState, writeState, type ManagedPositionRow, type VerdictRow } from './store.ts';
import type { ApprovalResult } from './types.ts';

export interface ReplayRunOptions {
  dbFile: string;
  market: MarketKey;
  candles: readonly Candle[];
  setups: Setup[];
  governance: Governance;
  equity0: number;
  /** Candles opening before this only warm up the detector and the market statistics (never traded). */
  from?: number;
  /** Lot rules of the market (default: Binance-like BTC/USDT). */
  instrument?: InstrumentSpec;
  /** Fee per fill as a fraction of notional (maker and taker alike); default 0.001 (0.1 %). */
  feeRate?: number;
  onVerdict?: (signal: Signal, result: ApprovalResult, equity: number) => void;
  /** Called after each committed candle with the number of candles done (this run and earlier ones) and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ReplayRunResult {
  processed: number;
  /** Candles skipped because an earlier (interrupted) run had already processed them. */
  resumedAfter: number;
  verdicts: VerdictRow[];
  trades: ManagedPositionRow[];
  equity: number;
}

export async function runReplay(o: ReplayRunOptions): Promise<ReplayRunResult> {
  if (!/^[A-Z0-9]+\/[A-Z0-9]+$/.test(o.market.symbol)) {
    throw new InputError(`symbol must be BASE/QUOTE like BTC/USDT, got "${o.market.symbol}"`, { field: 'symbol', value: o.market.symbol });
  }
  const { db, sqlite, close } = await openDatabase(o.dbFile, {
    extraMigrations: { [EXEC_MIGRATION_TABLE]: execMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations },
  });
  try {
    const tfMs = timeframeMs(o.market.timeframe);
    let now = o.candles.length ? o.candles[0].ts : 0;
    const clock = () => now;
    const fee = o.feeRate ?? 0.001;
    const [base, quote] = o.market.symbol.split('/');
    const spec = o.instrument ?? DEFAULT_INSTRUMENT;
    // Broker and governor must agree on the lot rules, or a sized order could be rounded again (or refused) downstream.
    const broker = await createPaperBroker({
      db, costs: { ...NO_COSTS, makerFee: fee, takerFee: fee }, initialBalances: { [quote]: o.equity0 }, now: clock,
      markets: { [o.market.symbol]: { base, quote, amountStep: spec.amountStep, minAmount: spec.minAmount, minNotional: spec.minNotional } },
    });
    const executor = await createExecutor({ db, broker, governance: o.governance, clock, equity0: o.equity0, instrument: () => spec });
    const xdb = executorDb(db);
    const progressKey = `replay:${o.market.exchange}:${o.market.symbol}:${o.market.timeframe}:${o.setups.map((s) => `${s.id}@${s.version}`).join('+')}`;
    const lastTs = (await readState<{ lastTs: number }>(xdb, progressKey))?.lastTs ?? -Infinity;
    const detector = new MarketDetector({ market: o.market, setups: o.setups });

    let processed = 0;
    let resumedAfter = 0;
    const warmupOnly = o.from === undefined ? 0 : o.candles.filter((c) => c.ts < o.from!).length;
    for (const candle of o.candles) {
      if (candle.ts <= lastTs || candle.ts < (o.from ?? -Infinity)) {
        detector.update(candle);
        executor.observe(o.market, candle);
        if (candle.ts <= lastTs && candle.ts >= (o.from ?? -Infinity)) resumedAfter++;
        continue;
      }
      now = candle.ts + tfMs;
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        await executor.onCandle(o.market, candle);
        for (const signal of rankSignals(detector.update(candle))) {
          const result = await executor.approve(signal, 'replay');
          o.onVerdict?.(signal, result, executor.equity());
        }
        await writeState(xdb, progressKey, { lastTs: candle.ts });
        sqlite.exec('COMMIT');
      } catch (error) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        throw error;
      }
      processed++;
      o.onProgress?.(processed + resumedAfter, o.candles.length - warmupOnly);
    }
    return { processed, resumedAfter, verdicts: await listVerdicts(xdb), trades: await listManagedPositions(xdb), equity: executor.equity() };
  } finally {
    await close();
  }
}
