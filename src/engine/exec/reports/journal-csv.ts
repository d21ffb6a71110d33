/**
 * The trade journal as CSV: one row per decided signal, signal → decision → verdict → orders → fills → outcome,
 * so the trader can open it in a spreadsheet and see, for every approval, what the governor said and what happened.
 */
import type { Kysely } from 'kysely';
import type { ExecDatabase } from '../store/schema.ts';
import { listManagedPositions, listVerdicts, type ExecutorDb } from '../executor/store.ts';

export const JOURNAL_COLUMNS = [
  'signal_id', 'signal_time', 'setup_id', 'setup_version', 'symbol', 'timeframe', 'side', 'signal_entry', 'signal_stop',
  'decided_by', 'decided_at', 'verdict', 'rule', 'reason', 'units', 'risk_pct', 'risk_quote', 'equity_at_decision', 'account',
  'orders', 'fills', 'position_status', 'entry_price', 'exit_price', 'closed_at', 'pnl', 'r_multiple', 'fees', 'close_reason',
] as const;

export async function journalCsv(db: ExecutorDb): Promise<string> {
  const verdicts = await listVerdicts(db);
  const positions = new Map((await listManagedPositions(db)).map((p) => [p.id, p]));
  const { orders, fills } = await brokerRows(db as unknown as Kysely<ExecDatabase>);
  const lines = [JOURNAL_COLUMNS.join(',')];
  for (const v of verdicts) {
    const p = positions.get(v.signal_id);
    const o = orders.get(v.signal_id) ?? [];
    const f = fills.get(v.signal_id) ?? [];
    lines.push(
      [
        v.signal_id, iso(v.signal_ts), v.setup_id, v.setup_version, v.symbol, v.timeframe, v.side, v.entry, v.stop,
        v.decided_by, iso(v.decided_at), v.status, v.rule, v.reason, v.units, fixed(v.risk_pct, 4), fixed(v.risk_quote, 2), fixed(v.equity, 2), v.account,
        o.map((x) => `${x.role}:${x.type}:${x.status}:${x.filled}/${x.amount}${x.price !== null ? '@' + x.price : ''}${x.stop_price !== null ? ' stop ' + x.stop_price : ''}`).join(' | '),
        f.map((x) => `${x.role} ${x.side} ${x.amount}@${x.price} fee ${fixed(x.fee, 4)} ${iso(x.ts)}`).join(' | '),
        p?.status, p ? p.entry_price : null, p?.exit_price, p?.closed_at !== null && p?.closed_at !== undefined ? iso(p.closed_at) : null,
        fixed(p?.pnl, 2), fixed(p?.r_multiple, 3), fixed(p?.fees, 4), p?.close_reason,
      ].map(csvCell).join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** The broker's orders and fills per position; empty when its tables are absent (a database without a broker). */
async function brokerRows(db: Kysely<ExecDatabase>) {
  const orders = new Map<string, Awaited<ReturnType<typeof listOrders>>>();
  const fills = new Map<string, Awaited<ReturnType<typeof listFills>>>();
  try {
    for (const o of await listOrders(db)) orders.set(o.position_id, [...(orders.get(o.position_id) ?? []), o]);
    for (const f of await listFills(db)) fills.set(f.position_id, [...(fills.get(f.position_id) ?? []), f]);
  } catch {
    // No broker tables in this database: the journal still lists every verdict.
  }
  return { orders, fills };
}

const listOrders = (db: Kysely<ExecDatabase>) => db.selectFrom('exec_orders').selectAll().orderBy('created_at').orderBy('id').execute();
const listFills = (db: Kysely<ExecDatabase>) => db.selectFrom('exec_fills').selectAll().orderBy('seq').execute();

function iso(ts: number): string {
  return new Date(ts).toISOString();
}

function fixed(x: number | null | undefined, digits: number): string | null {
  return x === null || x === undefined ? null : x.toFixed(digits);
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
