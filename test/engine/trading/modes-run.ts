/**
 * The same real candles and setup through (a) the trading session with every signal approved (`ita replay
 * --auto-approve`) and (b) the executor on the paper broker, fed the candles in order and approving every signal the
 * detector emits at its close (onSignal first, as main.ts does). Returns both modes' decisions and closed trades.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../../src/engine/store/database.ts';
import { createPaperBroker } from '../../../src/engine/exec/paper/index.ts';
import { execMigrations, EXEC_MIGRATION_TABLE } from '../../../src/engine/exec/store/migrations.ts';
import { NO_COSTS } from '../../../src/engine/exec/sim/fill-model.ts';
import { createExecutor, DEFAULT_INSTRUMENT } from '../../../src/engine/exec/executor/index.ts';
import { EXECUTOR_MIGRATION_TABLE, executorMigrations } from '../../../src/engine/exec/executor/schema.ts';
import { listManagedPositions, executorDb } from '../../../src/engine/exec/executor/store.ts';
import { loadGovernance } from '../../../src/engine/risk/index.ts';
import { DEFAULT_SIMULATION, seriesForSetup, setupSessionOptions } from '../../../src/engine/backtest/service/run-setup.ts';
import { oppositeSignalMode } from '../../../src/engine/backtest/detector-source.ts';
import { TradingSession } from '../../../src/engine/trading/session.ts';
import { timeframeMs } from '../../../src/engine/market/timeframes.ts';
import { loadSetupFile } from '../../../src/engine/setups/index.ts';
import type { SessionEvent } from '../../../src/engine/backtest/types.ts';
import type { Candle, Signal, Timeframe } from '../../../src/engine/types.ts';
import { ROOT } from '../../helpers/candles.ts';

export interface ModeDecision {
  signalId: string;
  accepted: boolean;
  rule?: string;
}

export interface ModeTrade {
  signalId: string;
  side: string;
  entryTs: number;
  entryPrice: number;
  exitTs: number;
  exitPrice: number;
}

export interface ModeRun {
  decisions: ModeDecision[];
  trades: ModeTrade[];
  /** The session's skipped entries after acceptance (expired, beyond the stop at the fill, size). */
  skippedAfterAccept: { signalId: string; rule: string }[];
}

const FEE = 0.001;
const EQUITY = 10_000;
const POLICY = { minScore: 0, maxCostR: 0.25 };

export function runSessionMode(setupId: string, candles: readonly Candle[], fileTf: Timeframe): ModeRun {
  const setup = loadSetupFile(path.join(ROOT, 'setups', `${setupId}.yaml`));
  const market = seriesForSetup(candles, fileTf, setup, { exchange: 'binance', symbol: 'BTC/USDT' });
  const events: SessionEvent[] = [];
  const options = setupSessionOptions({
    setup, market,
    settings: { ...DEFAULT_SIMULATION, initialCash: EQUITY, fees: { maker: FEE, taker: FEE }, slippageBps: 0, account: 'spot', governance: loadGovernance(), policy: POLICY },
  });
  const session = new TradingSession({ ...options, listener: (e) => events.push(e) });
  while (session.step());
  const decisions: ModeDecision[] = [];
  const trades: ModeTrade[] = [];
  const accepted = new Set<string>();
  const skippedAfterAccept: ModeRun['skippedAfterAccept'] = [];
  for (const e of events) {
    if (e.type === 'decision') {
      decisions.push({ signalId: e.signal.id, accepted: e.accepted, ...(e.accepted ? {} : { rule: e.rule }) });
      if (e.accepted) accepted.add(e.signal.id);
    } else if (e.type === 'skipped' && accepted.has(e.signal.id)) skippedAfterAccept.push({ signalId: e.signal.id, rule: e.rule });
    else if (e.type === 'trade-closed') {
      const t = e.trade;
      trades.push({ signalId: t.signalId, side: t.side, entryTs: t.entryTs, entryPrice: t.entryPrice, exitTs: t.exitTs, exitPrice: t.exitPrice });
    }
  }
  return { decisions, trades, skippedAfterAccept };
}

export async function runPaperMode(setupId: string, candles: readonly Candle[], fileTf: Timeframe): Promise<ModeRun> {
  const setup = loadSetupFile(path.join(ROOT, 'setups', `${setupId}.yaml`));
  const market = seriesForSetup(candles, fileTf, setup, { exchange: 'binance', symbol: 'BTC/USDT' });
  // The same detector source the session reads (fresh state): the same signals, ranked, with the setup's plan.
  const source = setupSessionOptions({
    setup, market,
    settings: { ...DEFAULT_SIMULATION, initialCash: EQUITY, fees: { maker: FEE, taker: FEE }, slippageBps: 0, account: 'spot', governance: loadGovernance(), policy: POLICY },
  }).signalSource;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ita-modes-')), 'paper.sqlite');
  const { db, close } = await openDatabase(file, { extraMigrations: { [EXEC_MIGRATION_TABLE]: execMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations } });
  try {
    const tf = timeframeMs(market.key.timeframe);
    const now = { value: (market.candles[0]?.ts ?? 0) };
    const costs = { ...NO_COSTS, makerFee: FEE, takerFee: FEE };
    const broker = await createPaperBroker({
      db, costs, initialBalances: { USDT: EQUITY }, now: () => now.value,
      markets: { 'BTC/USDT': { base: 'BTC', quote: 'USDT', ...DEFAULT_INSTRUMENT } },
    });
    const executor = await createExecutor({
      db, broker, governance: loadGovernance(), clock: () => now.value, equity0: EQUITY, costs, policy: POLICY,
      accountOf: () => 'spot', oppositeSignal: () => oppositeSignalMode([setup]),
    });
    for (const c of market.warmup) executor.observe(market.key, c);
    const decisions: ModeDecision[] = [];
    for (let i = 0; i < market.candles.length; i++) {
      const c = market.candles[i];
      now.value = c.ts + tf;
      await executor.onCandle(market.key, c);
      for (const signal of source.onCandle(0, i, c) as Signal[]) {
        await executor.onSignal(signal);
        const r = await executor.approve(signal, 'parity');
        decisions.push({ signalId: signal.id, accepted: r.status === 'accepted', ...(r.status === 'accepted' ? {} : { rule: r.rule }) });
      }
    }
    const rows = await listManagedPositions(executorDb(db), { status: 'closed' });
    const trades = rows
      .map((p) => ({ signalId: p.signal_id, side: p.side, entryTs: p.opened_at, entryPrice: p.entry_price, exitTs: p.closed_at!, exitPrice: p.exit_price! }))
      .sort((a, b) => a.exitTs - b.exitTs || a.entryTs - b.entryTs);
    return { decisions, trades, skippedAfterAccept: [] };
  } finally {
    await close();
  }
}
