/** What the setup DSL can ask a PatternEngine about the market right now (a frozen snapshot). */
import type { Direction, PatternEvent } from './causal/events.ts';
import type { LiquidityPoolState } from './causal/liquidity.ts';
import type { PreviousRangeState } from './causal/previous-high-low.ts';
import type { RetracementState } from './causal/retracement.ts';
import type { SessionState } from './causal/sessions.ts';

export interface PatternState {
  candles: number;
  lastSwingHigh: PatternEvent | undefined;
  lastSwingLow: PatternEvent | undefined;
  /** Direction of the latest BOS/CHoCH. */
  trend: Direction | undefined;
  lastStructureBreak: PatternEvent | undefined;
  /** Unmitigated fair value gaps, oldest first. */
  activeFvgs: readonly PatternEvent[];
  /** Unmitigated order blocks, oldest first. */
  activeOrderBlocks: readonly PatternEvent[];
  liquidityPools: readonly LiquidityPoolState[];
  recentSweeps: readonly PatternEvent[];
  /** One entry per configured session; `active` says whether the last candle is inside it. */
  sessions: readonly SessionState[];
  /** Previous completed period per configured timeframe, with whether it was broken in the current period. */
  previousRanges: readonly PreviousRangeState[];
  retracement: RetracementState | undefined;
  /** Candle patterns of the last candle. */
  candlePatterns: readonly PatternEvent[];
  /** Wilder ATR used for the liquidity tolerance (NaN during warm-up). */
  atr: number;
}
