/**
 * Position sizing at fill time (the fill price is known only then). Returns units, possibly 0 — the caller
 * turns 0 into a skipped signal with the rule that refused it.
 */
import type { SizingOptions } from './types.ts';
import { floorToStep } from '../trading/lots.ts';

/** backtesting.py sizes its default order at (1 − machine epsilon) of the available margin. */
const ALL_IN_FRACTION = 1 - Number.EPSILON;

export interface SizingContext {
  equity: number;
  /** Equity not tied up as margin by other open positions (leverage 1). */
  freeMargin: number;
  fillPrice: number;
  /** Reference price the fee is charged on (the fill price, or the unadjusted price in backtesting.py's model). */
  feeRate: number;
  stop: number;
  /** Loss per unit at the stop with fees and slippage (1R net); when given, risk sizing divides by it. */
  netRiskPerUnit?: number;
}

export function sizeUnits(sizing: SizingOptions, ctx: SizingContext): number {
  const perUnitCost = ctx.fillPrice * (1 + ctx.feeRate);
  const affordable = Math.max(0, ctx.freeMargin) / perUnitCost;
  let units: number;
  switch (sizing.kind) {
    case 'risk': {
      const net = ctx.netRiskPerUnit;
      const risk = net !== undefined && net > 0 ? net : Math.abs(ctx.fillPrice - ctx.stop);
      units = risk > 0 ? (ctx.equity * sizing.riskFraction) / risk : 0;
      break;
    }
    case 'fixed-fraction':
      units = (ctx.equity * sizing.fraction) / ctx.fillPrice;
      break;
    case 'fixed-amount':
      units = sizing.amount / ctx.fillPrice;
      break;
    case 'all-in':
    {
      // Exact floor (no tolerance) to match backtesting.py's `//` unit for unit.
      const lot = sizing.lotStep ?? 1;
      return Math.floor((Math.max(0, ctx.freeMargin) * ALL_IN_FRACTION) / perUnitCost / lot) * lot;
    }
  }
  return floorToStep(Math.min(units, affordable), sizing.lotStep ?? 0);
}

export function describeSizing(sizing: SizingOptions): string {
  const lot = sizing.lotStep ? `, rounded down to lots of ${sizing.lotStep}` : '';
  switch (sizing.kind) {
    case 'risk':
      return `risk ${(sizing.riskFraction * 100).toFixed(3)} % of equity per trade / (|entry fill − stop fill| + entry and stop fees): a stopped trade loses about 1R NET; capped by free margin${lot}`;
    case 'fixed-fraction':
      return `notional = ${(sizing.fraction * 100).toFixed(3)} % of equity, capped by free margin${lot}`;
    case 'fixed-amount':
      return `notional = ${sizing.amount} quote per trade, capped by free margin${lot}`;
    case 'all-in':
      return `all-in: floor((1 − ε) × free margin / (fill price × (1 + fee))) whole units (backtesting.py default)${lot}`;
  }
}
