/**
 * REFERENCE mode: batch, whole-series ports of the smart-money-concepts functions (v0.0.27). They may look ahead
 * exactly as the library does; use them for parity checks and research, never for live decisions.
 */
export { toSeries, type OhlcSeries } from './series.ts';
export { referenceFvg, type FvgColumns } from './fvg.ts';
export { referenceSwings, type SwingColumns } from './swings.ts';
export { referenceBosChoch, type BosChochColumns } from './bos-choch.ts';
export { referenceOrderBlocks, type OrderBlockColumns } from './order-blocks.ts';
export { referenceLiquidity, type LiquidityColumns } from './liquidity.ts';
export { referencePreviousHighLow, type PreviousHighLowColumns, type ReferenceBin } from './previous-high-low.ts';
export { referenceSessions, REFERENCE_SESSIONS, type SessionColumns } from './sessions.ts';
export { referenceRetracements, type RetracementColumns } from './retracements.ts';
