/**
 * Position ids are signal ids (setup@version:exchange:symbol:tf:ts:side), too long for the 64-byte callback data and
 * for typing. Buttons and /close use a short hex reference derived from the id; it is resolved against the executor's
 * CURRENT open positions, so a reference to a position that has closed resolves to nothing (stale buttons refused).
 */
import { createHash } from 'node:crypto';
import type { PositionView } from '../../engine/exec/executor/types.ts';

export const POSITION_REF = '[0-9a-f]{8}';

export function positionRef(positionId: string): string {
  return createHash('sha256').update(positionId).digest('hex').slice(0, 8);
}

/** A fingerprint of exactly which positions a /closeall question listed. */
export function positionSetRef(positions: readonly PositionView[]): string {
  return positionRef(positions.map((p) => p.id).sort().join('\n'));
}

export function findByRef(positions: readonly PositionView[], ref: string): PositionView | undefined {
  return positions.find((p) => positionRef(p.id) === ref);
}

/** "/close X": the short ID, the full id, or a symbol when exactly one position is open on it. */
export function matchPositions(positions: readonly PositionView[], query: string): PositionView[] {
  const lower = query.toLowerCase();
  const exact = positions.filter((p) => positionRef(p.id) === lower || p.id === query);
  if (exact.length) return exact;
  return positions.filter((p) => p.symbol.toUpperCase() === query.toUpperCase());
}
