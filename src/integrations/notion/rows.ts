/**
 * What ITA exports to Notion, read from its own books: backtest runs (per setup version and market) and closed
 * journal trades. Each row carries a stable key, so an export run again updates the same Notion page.
 */
import type { Kysely } from 'kysely';
import { tableExists } from '../../engine/store/dialect.ts';

/** The two tables read here, as the export needs them (the backtest and executor areas own them). */
interface NotionSourceTables {
  backtest_runs: RunRecord;
  executor_positions: PositionRecord & { status: string };
}

export interface BacktestRow {
  key: string;
  setup: string;
  version: string;
  market: string;
  from: number;
  to: number;
  trades: number;
  winRatePct: number | null;
  avgR: number | null;
  /** Mean R per trade: the expectancy in R (net of the run's costs). */
  expectancyR: number | null;
  maxDrawdownPct: number | null;
  profitFactor: number | null;
  returnPct: number | null;
}

export interface TradeRow {
  key: string;
  setup: string;
  version: string;
  symbol: string;
  side: string;
  account: string;
  openedAt: number;
  closedAt: number;
  entry: number;
  exit: number | null;
  r: number | null;
  pnl: number | null;
  fees: number | null;
  reason: string | null;
}

interface RunRecord {
  id: number; setup_id: string; setup_version: string; exchange: string; symbol: string; timeframe: string;
  from_ts: number; to_ts: number; trades: number; wins: number; avg_r: number | null; return_pct: number | null; summary: string;
}

export async function backtestRows(anyDb: Kysely<any>): Promise<BacktestRow[]> {
  if (!(await tableExists(anyDb, 'backtest_runs'))) return [];
  const db = anyDb as Kysely<NotionSourceTables>;
  const runs = await db.selectFrom('backtest_runs').selectAll().orderBy('id').execute();
  return runs.map((r) => {
    const summary = parseSummary(r.summary);
    return {
      key: `backtest:${r.id}`,
      setup: r.setup_id,
      version: r.setup_version,
      market: `${r.exchange} ${r.symbol} ${r.timeframe}`,
      from: r.from_ts,
      to: r.to_ts,
      trades: r.trades,
      winRatePct: r.trades > 0 ? (100 * r.wins) / r.trades : null,
      avgR: r.avg_r,
      expectancyR: r.avg_r,
      maxDrawdownPct: summary.maxDrawdownPct ?? null,
      profitFactor: summary.profitFactor ?? null,
      returnPct: r.return_pct,
    };
  });
}

interface PositionRecord {
  id: string; account: string; setup_id: string; setup_version: string; symbol: string; side: string; opened_at: number;
  closed_at: number; entry_price: number; exit_price: number | null; r_multiple: number | null; pnl: number | null;
  fees: number | null; close_reason: string | null;
}

export async function tradeRows(anyDb: Kysely<any>): Promise<TradeRow[]> {
  if (!(await tableExists(anyDb, 'executor_positions'))) return [];
  const db = anyDb as Kysely<NotionSourceTables>;
  const rows: PositionRecord[] = await db.selectFrom('executor_positions').selectAll().where('status', '=', 'closed').orderBy('closed_at').orderBy('id').execute();
  return rows.map((p) => ({
    key: `trade:${p.id}`,
    setup: p.setup_id,
    version: p.setup_version,
    symbol: p.symbol,
    side: p.side,
    account: p.account,
    openedAt: p.opened_at,
    closedAt: p.closed_at,
    entry: p.entry_price,
    exit: p.exit_price,
    r: p.r_multiple,
    pnl: p.pnl,
    fees: p.fees,
    reason: p.close_reason,
  }));
}

function parseSummary(text: string): { maxDrawdownPct?: number; profitFactor?: number } {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    return { maxDrawdownPct: num(value.maxDrawdownPct), profitFactor: num(value.profitFactor) };
  } catch {
    return {};
  }
}
