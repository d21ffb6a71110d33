/**
 * Setups with `management.exit_on_opposite: true` leave a position when the same setup signals the other side on
 * the same market (the backtester does the same, so paper/live and backtests agree).
 */
import type { Signal } from '../engine/types.ts';
import type { Setup } from '../engine/setups/loader.ts';
import type { PositionView } from '../engine/exec/executor/index.ts';

export function positionsToExitOnOpposite(signal: Signal, positions: readonly PositionView[], setups: readonly Setup[]): PositionView[] {
  const setup = setups.find((s) => s.id === signal.setupId);
  if (!setup?.management.exit_on_opposite) return [];
  return positions.filter(
    (p) => p.status === 'open' && p.setupId === signal.setupId && p.symbol === signal.symbol && p.timeframe === signal.timeframe && p.side !== signal.side,
  );
}
