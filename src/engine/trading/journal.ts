/**
 * The trading session's SQLite adapter: turns one step's events into journal rows (verdicts, fills, managed
 * positions, the equity mark). The session never waits for it; a caller that persists writes a step's rows and its
 * progress mark in ONE transaction, so a kill at any moment leaves the journal at a step boundary.
 */
import type { Kysely } from 'kysely';
import type { SessionEvent, TradeRecord } from '../backtest/types.ts';
import type { SimPosition } from '../exec/sim/position.ts';
import type { ExecDatabase } from '../exec/store/schema.ts';
import { executorDb, getManagedPosition, markEquity, saveManagedPosition, saveVerdict, type ManagedPositionRow, type VerdictRow } from '../exec/executor/store.ts';
import { dayPnl } from '../risk/metrics.ts';
import type { PortfolioState } from '../risk/index.ts';

export interface JournalContext {
  account: string;
  decidedBy: string;
  /** The governor's state after the step (day PnL in the verdict rows), when the governor runs. */
  portfolio?: PortfolioState;
}

const positionId = (signalId: string) => signalId;

export async function writeStepEvents(db: Kysely<any>, events: readonly SessionEvent[], equity: { ts: number; equity: number }, ctx: JournalContext): Promise<void> {
  const xdb = executorDb(db);
  const edb = db as Kysely<ExecDatabase>;
  const decided = new Set<string>();
  for (const e of events) {
    switch (e.type) {
      case 'decision': {
        decided.add(e.signal.id);
        const v = e.verdict;
        const size = v?.status === 'accepted' ? v.size : undefined;
        const row: VerdictRow = {
          signal_id: e.signal.id, setup_id: e.signal.setupId, setup_version: e.signal.setupVersion, symbol: e.signal.symbol,
          timeframe: e.signal.timeframe, side: e.signal.side, signal_ts: e.signal.ts, entry: e.signal.entry, stop: e.signal.stop,
          decided_by: ctx.decidedBy, decided_at: e.ts, status: e.accepted ? 'accepted' : 'refused', rule: e.rule ?? null, reason: e.reason ?? null,
          units: size?.units ?? null, risk_pct: size?.riskPct ?? null, risk_quote: size?.riskQuote ?? null,
          effective_risk_pct: v?.status === 'accepted' ? v.effectiveRiskPct : null, equity: e.equity,
          day_pnl: ctx.portfolio ? dayPnl(ctx.portfolio) : 0, adjustments: JSON.stringify(v?.adjustments ?? []),
          outcome: e.accepted ? 'queued for the next candle' : `refused: ${e.reason ?? e.rule}`, account: ctx.account,
        };
        await saveVerdict(xdb, row);
        break;
      }
      case 'skipped':
        // Accepted earlier, then not filled (expired, beyond the stop, too small): the verdict says so.
        if (!decided.has(e.signal.id)) {
          await xdb.updateTable('executor_verdicts').set({ status: 'failed', rule: e.rule, reason: e.reason, outcome: `not filled: ${e.reason}` })
            .where('signal_id', '=', e.signal.id).execute();
        }
        break;
      case 'position-opened':
        await saveManagedPosition(xdb, openRow(e.position, ctx.account));
        await insertFill(edb, ctx.account, e.position.signal.id, e.position.signal.symbol, e.position.side === 'long' ? 'buy' : 'sell', 'entry', e.position.entryPrice, e.position.size, e.position.entryFee, e.ts);
        break;
      case 'trade-closed': {
        const t = e.trade;
        const before = await getManagedPosition(xdb, positionId(t.signalId));
        if (before) await saveManagedPosition(xdb, closedRow(before, t));
        for (const x of t.exits) await insertFill(edb, ctx.account, t.signalId, t.symbol, t.side === 'long' ? 'sell' : 'buy', x.reason, x.price, x.size, x.fee, x.ts);
        break;
      }
    }
  }
  await markEquity(xdb, equity.ts, equity.equity);
}

async function insertFill(db: Kysely<ExecDatabase>, account: string, position: string, symbol: string, side: string, role: string, price: number, amount: number, fee: number, ts: number) {
  await db.insertInto('exec_fills').values({ account, order_id: `${position}:${role}:${ts}`, position_id: position, symbol, side, role, price, amount, fee, ts }).execute();
}

function openRow(p: SimPosition, account: string): ManagedPositionRow {
  const s = p.signal;
  return {
    id: positionId(s.id), account, signal_id: s.id, setup_id: s.setupId, setup_version: s.setupVersion, symbol: s.symbol, timeframe: s.timeframe,
    side: p.side, status: 'open', opened_at: p.entryTs, entry_price: p.entryPrice, initial_stop: p.initialStop, stop: p.stop, size: p.size,
    risk_per_unit: p.netRiskPerUnit > 0 ? p.netRiskPerUnit : p.riskPerUnit, take_profit_count: p.targets.length, targets_taken: 0, best: p.best, bars_held: 0,
    atr: Number.isFinite(p.atr) ? p.atr : 0, break_even_at_r: Number.isFinite(p.breakEvenAtR) ? p.breakEvenAtR : -1, trail_atr: p.trailAtrMultiple,
    time_stop_bars: p.timeStopBars, last_bar_ts: p.entryTs, closed_at: null, pnl: null, r_multiple: null, fees: null, exit_price: null, close_reason: null,
  };
}

function closedRow(row: ManagedPositionRow, t: TradeRecord): ManagedPositionRow {
  return {
    ...row, status: 'closed', closed_at: t.exitTs, pnl: t.pnl, r_multiple: Number.isFinite(t.rMultiple) ? t.rMultiple : null, fees: t.fees,
    exit_price: t.exitPrice, close_reason: t.exitReason, targets_taken: t.exits.filter((x) => x.reason === 'target').length, last_bar_ts: t.exitTs,
  };
}
