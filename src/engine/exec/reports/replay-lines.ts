/** One line per verdict and per trade, for `ita replay` and logs. */
import type { ManagedPositionRow, VerdictRow } from '../executor/store.ts';
import { num } from '../executor/outcome.ts';

const time = (ts: number) => new Date(ts).toISOString().slice(0, 16).replace('T', ' ');
const signed = (x: number, digits = 2) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

export function formatVerdictLine(v: VerdictRow): string {
  const head = `${time(v.decided_at)} ${v.setup_id} ${v.side.padEnd(5)} ${v.symbol}`;
  const money = `equity ${v.equity.toFixed(2)}, day ${signed(v.day_pnl)}`;
  if (v.status === 'accepted') {
    return `${head} ACCEPTED ${num(v.units ?? 0)} units, risk ${(v.risk_pct ?? 0).toFixed(2)} % (${(v.risk_quote ?? 0).toFixed(2)}); ${money}`;
  }
  return `${head} ${v.status.toUpperCase()} [${v.rule}] ${v.reason}; ${money}`;
}

export function formatTradeLine(t: ManagedPositionRow): string {
  const head = `${time(t.opened_at)} ${t.setup_id} ${t.side} ${t.symbol} ${num(t.size)} @ ${num(t.entry_price)} stop ${num(t.initial_stop)}`;
  if (t.status !== 'closed') return `${head} — ${t.status}`;
  return `${head} → ${num(t.exit_price ?? NaN)} at ${time(t.closed_at!)} (${t.close_reason}): ${signed(t.pnl ?? 0)} ${signed(t.r_multiple ?? 0)}R`;
}
