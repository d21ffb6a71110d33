/**
 * `ita replay`: the trading session over stored candles with every signal approved, journaled in SQLite step by
 * step. It is the very session `ita backtest` runs (same options from setupSessionOptions), so both list the same
 * trades; only the journal is added. Resumable: each candle's rows and the "last processed candle" mark are
 * committed in ONE transaction (candles without events write nothing); on restart the session re-runs the already journaled candles without writing
 * (it is deterministic, so it arrives in exactly the state it had) and journals from the next candle on.
 */
import { InputError } from '../errors.ts';
import type { Candle, MarketKey } from '../types.ts';
import type { Setup } from '../setups/index.ts';
import type { Governance } from '../risk/index.ts';
import type { AccountType } from '../types.ts';
import { openSqliteDatabase } from '../store/database.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { execMigrations, EXEC_MIGRATION_TABLE } from '../exec/store/migrations.ts';
import { EXECUTOR_MIGRATION_TABLE, executorMigrations } from '../exec/executor/schema.ts';
import { executorDb, listManagedPositions, listVerdicts, readState, writeState, type ManagedPositionRow, type VerdictRow } from '../exec/executor/store.ts';
import { seriesForSetup, setupSessionOptions, DEFAULT_SIMULATION } from '../backtest/service/run-setup.ts';
import type { SessionEvent } from '../backtest/types.ts';
import { TradingSession } from './session.ts';
import { writeStepEvents } from './journal.ts';

export interface ReplayRunOptions {
  dbFile: string;
  market: MarketKey;
  candles: readonly Candle[];
  setups: Setup[];
  /** The governor's limits; undefined = research mode without the governor (as `ita backtest --no-governor`). */
  governance?: Governance;
  equity0: number;
  /** Trade from this candle on; the warm-up before it is warmupCandles(setups) candles closed before it. */
  from?: number;
  /** Fee per fill as a fraction of notional (maker and taker alike); default 0.001 (0.1 %). */
  feeRate?: number;
  account?: AccountType;
  leverage?: number;
  policy?: { minScore: number; maxCostR: number };
  /** Called after each committed candle with the number of candles done (this run and earlier ones) and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ReplayTrade {
  id: string;
  setupId: string;
  setupVersion: string;
  side: string;
  status: string;
  entryTs: number;
  entryPrice: number;
  size: number;
  exitTs: number | null;
  exitPrice: number | null;
  pnl: number | null;
  r: number | null;
  reason: string | null;
}

export interface ReplayRunResult {
  processed: number;
  /** Candles skipped because an earlier (interrupted) run had already processed them. */
  resumedAfter: number;
  verdicts: VerdictRow[];
  /** The journal's positions (open and closed). */
  positions: ManagedPositionRow[];
  trades: ReplayTrade[];
  equity: number;
  assumptions: Record<string, string>;
}

export async function runReplay(o: ReplayRunOptions): Promise<ReplayRunResult> {
  if (!/^[A-Z0-9]+\/[A-Z0-9]+$/.test(o.market.symbol)) {
    throw new InputError(`symbol must be BASE/QUOTE like BTC/USDT, got "${o.market.symbol}"`, { field: 'symbol', value: o.market.symbol });
  }
  if (o.setups.length !== 1) throw new InputError('replay runs one setup at a time', { field: 'setup' });
  const setup = o.setups[0];
  const fee = o.feeRate ?? 0.001;
  const market = seriesForSetup(o.candles, o.market.timeframe, setup, { exchange: o.market.exchange, symbol: o.market.symbol }, { from: o.from });
  const events: SessionEvent[] = [];
  const sessionOptions = setupSessionOptions({
    setup, market,
    settings: {
      ...DEFAULT_SIMULATION, initialCash: o.equity0, fees: { maker: fee, taker: fee }, slippageBps: 0,
      account: o.account, leverage: o.leverage, governance: o.governance, policy: o.policy,
    },
  });
  const session = new TradingSession({ ...sessionOptions, listener: (e) => events.push(e) });
  const { describeAssumptions } = await import('../backtest/settings.ts');

  // The replay journal is a SQLite file: its per-candle commits run on the raw connection (the hot path).
  const { db, sqlite, close } = await openSqliteDatabase(o.dbFile, {
    extraMigrations: { [EXEC_MIGRATION_TABLE]: execMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations },
  });
  try {
    const xdb = executorDb(db);
    const progressKey = `replay:${o.market.exchange}:${o.market.symbol}:${o.market.timeframe}:${setup.id}@${setup.version}`;
    const lastTs = (await readState<{ lastTs: number }>(xdb, progressKey))?.lastTs ?? -Infinity;
    const tfMs = timeframeMs(market.key.timeframe);
    const commit = async (ts: number, write: () => Promise<void>) => {
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        await write();
        await writeState(xdb, progressKey, { lastTs: ts });
        sqlite.exec('COMMIT');
      } catch (error) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        throw error;
      }
    };
    let processed = 0;
    let resumedAfter = 0;
    const total = market.candles.length;
    while (session.step()) {
      const ts = session.lastTs;
      if (ts <= lastTs) {
        events.length = 0;
        resumedAfter++;
        continue;
      }
      // A candle without events changes nothing in the journal: re-running it after a kill gives nothing again, so
      // only candles with decisions, fills or closes are committed (with their equity mark and the progress mark).
      if (events.length > 0) await commit(ts, () => writeStepEvents(db, events, { ts: ts + tfMs, equity: session.pf.equityNow() }, { account: 'replay', decidedBy: 'replay', portfolio: session.gate?.portfolio }));
      events.length = 0;
      processed++;
      o.onProgress?.(processed + resumedAfter, total);
    }
    if (session.lastTs > lastTs) await commit(session.lastTs, async () => {});
    const positions = await listManagedPositions(xdb);
    return {
      processed, resumedAfter, verdicts: await listVerdicts(xdb), positions, trades: positions.map(toTrade), equity: session.pf.equityNow(),
      assumptions: { ...describeAssumptions(session.s, false, sessionOptions), endOfData: 'positions open after the last candle stay open in the journal (not in trades)' },
    };
  } finally {
    await close();
  }
}

function toTrade(p: ManagedPositionRow): ReplayTrade {
  return {
    id: p.id, setupId: p.setup_id, setupVersion: p.setup_version, side: p.side, status: p.status, entryTs: p.opened_at, entryPrice: p.entry_price,
    size: p.size, exitTs: p.closed_at, exitPrice: p.exit_price, pnl: p.pnl, r: p.r_multiple, reason: p.close_reason,
  };
}
