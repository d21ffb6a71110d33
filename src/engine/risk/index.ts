/** The risk governor: locked limits (governance.yaml), pure rules, sizing, and the state transitions the executor calls. */
export * from './types.ts';
export type { Governance } from './governance-schema.ts';
export { loadGovernance, parseGovernance, DEFAULT_GOVERNANCE_FILE } from './governance.ts';
export { evaluateIntent } from './governor.ts';
export { createPortfolioState, onEquity, onNewDay, onPositionOpened, onTradeClosed, resume, describeLocks, type ClosedTrade } from './state.ts';
export { pearson, rollingCorrelation, simpleReturns } from './correlation.ts';
export { atrPercentile, dayPnlPct, openRisk, openNotional, positionRisk, windowDrawdown } from './metrics.ts';
export { dayKey, nextDayStart, formatLocalTime } from './day.ts';
export { roundDownToStep } from './sizing.ts';
export { describeGovernance } from './describe.ts';
export { RULES } from './rules/index.ts';
