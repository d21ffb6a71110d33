/** Pattern detectors: CAUSAL (live, streaming: PatternEngine) and REFERENCE (batch parity with smart-money-concepts). */
export { PatternEngine, DEFAULT_PATTERN_OPTIONS, type PatternEngineOptions, type PatternEngineOverrides } from './engine.ts';
export { PATTERN_FAMILIES, withDependencies, type PatternFamily } from './families.ts';
export type { PatternState } from './state.ts';
export type { PatternEvent, PatternKind, Direction, CandleRef } from './causal/events.ts';
export { BUILT_IN_SESSIONS, type SessionDefinition, type SessionState } from './causal/sessions.ts';
export { detectCandlePatterns, type CandlePatternName, type CandlePatternMatch } from './causal/candle-patterns.ts';
export type { LiquidityTolerance, LiquidityPoolState } from './causal/liquidity.ts';
export type { PreviousRangeState } from './causal/previous-high-low.ts';
export type { RetracementState } from './causal/retracement.ts';
export { zonesTouching } from './zones.ts';
