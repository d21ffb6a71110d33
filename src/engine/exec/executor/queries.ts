/** Read-side of the executor for the bot: open positions with live PnL and R, period PnL, risk in words, reports. */
import { describeLocks, dayPnlPct, nextDayStart, openRisk, type Governance, type PortfolioState } from '../../risk/index.ts';
import { periodStart } from '../../market/timeframes.ts';
import type { BrokerPosition } from '../broker.ts';
import { journalCsv } from '../reports/journal-csv.ts';
import { renderPeriodReport } from '../reports/period-report.ts';
import { listManagedPositions, type ExecutorDb, type ManagedPositionRow } from './store.ts';
import type { ExecutorFlags, OpenView } from './core.ts';
import type { Period, PnlSummary, PositionView } from './types.ts';


export interface QueryDeps {
  db: ExecutorDb;
  governance: Governance;
  clock: () => number;
  openViews: () => Promise<OpenView[]>;
  portfolio: () => PortfolioState;
  flags: () => ExecutorFlags;
}

const DAY_MS = 86_400_000;

/** Start of the period containing `now`: the trader's day (governance time zone), the ISO week, the UTC month. */
export function periodFrom(period: Period, now: number, timezone: string): number {
  if (period === 'day') return nextDayStart(now - DAY_MS, timezone);
  if (period === 'week') return periodStart(now, '1w');
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function toView(v: OpenView): PositionView {
  const { row, bp, last } = v;
  const dir = row.side === 'long' ? 1 : -1;
  const filled = (bp?.filled ?? 0) > 0;
  const entry = filled ? bp!.entryPrice : row.entry_price;
  const remaining = filled ? bp!.remaining : 0;
  const realized = bp?.realizedPnl ?? 0;
  const unrealized = dir * remaining * (last - entry);
  const risk = row.risk_per_unit * row.size;
  return {
    id: row.id, account: (row.account.startsWith('live') ? 'live' : 'paper') as PositionView['account'], symbol: row.symbol, timeframe: row.timeframe as PositionView['timeframe'],
    side: row.side as PositionView['side'], setupId: row.setup_id, setupVersion: row.setup_version, status: filled ? 'open' : 'pending',
    entryPrice: entry, size: filled ? bp!.filled : row.size, remaining, stop: bp?.stop ?? row.stop, initialStop: row.initial_stop,
    lastPrice: last, realized, unrealized, r: risk > 0 ? (realized + unrealized) / risk : 0, openedAt: row.opened_at,
    ...(v.unmanaged ? { unmanaged: true } : {}),
  };
}

export function buildQueries(deps: QueryDeps) {
  const positions = async () => (await deps.openViews()).map(toView);

  const pnl = async (period: Period): Promise<PnlSummary> => {
    const now = deps.clock();
    const from = periodFrom(period, now, deps.governance.timezone);
    const closed = (await listManagedPositions(deps.db, { status: 'closed', closedSince: from })).filter((r) => r.closed_at! <= now);
    const open = await positions();
    const bySetup = new Map<string, PnlSummary['bySetup'][number]>();
    const entry = (id: string) => {
      let e = bySetup.get(id);
      if (!e) bySetup.set(id, (e = { setupId: id, trades: 0, realized: 0, realizedR: 0, unrealized: 0 }));
      return e;
    };
    let realized = 0;
    let realizedR = 0;
    let wins = 0;
    for (const t of closed) {
      realized += t.pnl ?? 0;
      realizedR += t.r_multiple ?? 0;
      if ((t.pnl ?? 0) > 0) wins++;
      const e = entry(t.setup_id);
      e.trades++;
      e.realized += t.pnl ?? 0;
      e.realizedR += t.r_multiple ?? 0;
    }
    let unrealized = 0;
    let unrealizedR = 0;
    for (const p of open) {
      // Partial exits of a still-open position count as open PnL until the position closes (one trade, one number).
      unrealized += p.realized + p.unrealized;
      unrealizedR += p.r;
      entry(p.setupId).unrealized += p.realized + p.unrealized;
    }
    return {
      period, from, to: now, realized, unrealized, total: realized + unrealized, realizedR, unrealizedR, trades: closed.length, wins,
      bySetup: [...bySetup.values()].sort((a, b) => a.setupId.localeCompare(b.setupId)),
    };
  };

  const risk = async (): Promise<string[]> => {
    const unmanaged = (await deps.openViews()).filter((v) => v.unmanaged);
    const g = deps.governance;
    const p = deps.portfolio();
    const f = deps.flags();
    const lines = [
      `Mode: ${f.mode}${f.paused ? ` — PAUSED${f.pausedBy ? ` by ${f.pausedBy}` : ''}` : ''}.`,
      `Equity ${p.equity.toFixed(2)}; day result for the loss limit ${dayPnlPct(p).toFixed(2)} % (open positions and fees included; limit −${g.dailyLossPct} %), realized ${p.todayRealizedPnl.toFixed(2)}.`,
      `Open risk ${((openRisk(p) / p.equity) * 100).toFixed(2)} % of equity (limit ${g.maxOpenRiskPct} %) over ${p.openPositions.length} position(s).`,
      `Risk per trade ${g.risk.basePct} % base, at most ${g.risk.maxPct} %; streak ${p.streaks.wins} win(s) / ${p.streaks.losses} loss(es) in a row.`,
      p.killSwitch.status === 'tripped'
        ? `Kill switch TRIPPED (${p.killSwitch.drawdownPct.toFixed(2)} % drawdown); /resume to lift it.`
        : `Kill switch armed: trips at −${g.killSwitch.drawdownPct} % over ${g.killSwitch.windowMs / 3_600_000} h.`,
      ...describeLocks(p, g).filter((l) => !l.startsWith('kill switch')),
    ];
    if (unmanaged.length > 0) {
      lines.push(`${unmanaged.length} position(s) on the broker that ITA did not open (${unmanaged.map((v) => `${v.row.symbol} ${v.row.id}`).join(', ')}): counted in the open risk, the equity, the daily lock and the kill switch; see /positions.`);
    }
    if (f.exchangeDown) lines.push(`Exchange unreachable since ${new Date(f.exchangeDown.since).toISOString()}: no new entries; open positions keep their exchange-side stops.`);
    return lines;
  };

  const report = async (period: Period) => renderPeriodReport(deps.db, await pnl(period), await risk());

  return { positions, pnl, risk, report, journalCsv: () => journalCsv(deps.db) };
}
