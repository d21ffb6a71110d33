/** The words the trader reads after pressing Approve: what was placed and at what risk, or which rule said no and why. */
import type { RiskVerdict } from '../../risk/index.ts';
import type { BrokerPosition } from '../broker.ts';
import { isStopRefused } from '../core/close-reasons.ts';
import type { VerdictRow } from './store.ts';
import type { ApprovableSignal, ApprovalResult, VerdictStatus } from './types.ts';

export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(7)).toString();
}

export function refusedOutcome(signal: ApprovableSignal, rule: string, reason: string): string {
  return `Not placed: ${signal.symbol} ${signal.side} (${signal.setupId}) — ${rule}: ${reason}`;
}

export function acceptedOutcome(
  signal: ApprovableSignal,
  verdict: Extract<RiskVerdict, { status: 'accepted' }>,
  mode: 'paper' | 'live',
  position: BrokerPosition,
): string {
  const s = verdict.size;
  const notes = verdict.adjustments.map((a) => a.reason);
  const exited = position.status === 'closed' && isStopRefused(position.closeReason);
  const filled = position.filled > 0
    ? (exited ? `filled at ${num(position.entryPrice)}, then ${position.closeReason}` : `filled at ${num(position.entryPrice)}`)
    : 'entry order placed';
  return (
    `Placed (${mode}): ${signal.symbol} ${signal.side} ${num(s.units)} units (${num(s.notional)} notional), stop ${num(position.stop)}, ` +
    `risk ${s.riskPct.toFixed(2)} % (${s.riskQuote.toFixed(2)}); ${filled}` +
    (position.takeProfits.length ? `; take-profits ${position.takeProfits.map((t) => `${num(t.amount)} @ ${num(t.price)}`).join(', ')}` : '') +
    (notes.length ? `. Notes: ${notes.join('; ')}` : '')
  );
}

/** A stored verdict read back (a double tap on Approve gets the first answer again). */
export function verdictResult(row: VerdictRow): ApprovalResult {
  return {
    status: row.status as VerdictStatus,
    ...(row.rule !== null ? { rule: row.rule } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    outcome: row.outcome,
    duplicate: false,
  };
}

export function adoptedOutcome(signal: ApprovableSignal, position: BrokerPosition): string {
  return `Placed before a restart and taken back under management: ${signal.symbol} ${signal.side} ${num(position.requested)} units, stop ${num(position.stop)}`;
}
