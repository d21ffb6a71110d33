/**
 * The simulation terms of a backtest: what the trader needs to compare two verdicts (the lab's, /backtest's). Both
 * services report them from the settings they actually run with, so a difference between them shows.
 */
import type { SimulationSettings } from './run-setup.ts';

export interface SimulationTerms {
  account: string;
  leverage: number;
  equity: number;
  /** Percent of notional per fill. */
  makerFeePct: number;
  takerFeePct: number;
  slippageBps: number;
  /** Risk per trade in % of equity (the governor's base risk when it sizes), or the sizing kind when not risk-based. */
  risk: number | string;
  minScore?: number;
  maxCostR?: number;
  governor: boolean;
}

const round = (v: number) => +v.toFixed(6);

export function simulationTerms(s: SimulationSettings): SimulationTerms {
  return {
    account: s.account ?? 'spot',
    leverage: s.leverage ?? 1,
    equity: s.initialCash,
    makerFeePct: round(s.fees.maker * 100),
    takerFeePct: round(s.fees.taker * 100),
    slippageBps: s.slippageBps,
    risk: s.sizing.kind !== 'risk' ? s.sizing.kind : s.governance ? s.governance.risk.basePct : round(s.sizing.riskFraction * 100),
    minScore: s.policy?.minScore,
    maxCostR: s.policy?.maxCostR,
    governor: s.governance !== undefined,
  };
}

/** The fee as one figure when maker and taker are equal, else "maker/taker". */
export function feeText(t: SimulationTerms): string {
  return t.makerFeePct === t.takerFeePct ? `${t.takerFeePct}` : `${t.makerFeePct}/${t.takerFeePct}`;
}

/** One line in the backtest summary's words. */
export function describeTerms(t: SimulationTerms): string {
  const risk = typeof t.risk === 'number' ? `risk ${t.risk} % per trade` : `sizing ${t.risk}`;
  const policy = t.minScore === undefined ? 'no signal policy' : `min score ${t.minScore}, max cost ${t.maxCostR} R`;
  return `Simulated as: ${t.account} ×${t.leverage}, equity ${t.equity.toLocaleString('en-US')}, fees ${feeText(t)} % per fill, slippage ${t.slippageBps} bps, ${risk}, ${policy}, risk governor ${t.governor ? 'on' : 'off'}`;
}
