/**
 * Adds only into profit (the spec: "at +1R you may add 0.3R moving the combined stop no lower than break-even").
 * An intent on a symbol with an open position on the same side is an add whether or not it says so; an opposite
 * position must be closed first (no hedging inside one account).
 */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';
import { num } from '../format.ts';

export function checkPyramiding({ intent, existing, market, riskPerUnit, governance: g }: RuleContext): RuleOutcome {
  if (!existing) {
    if (intent.addToPosition) return { ok: false, reason: `pyramiding: there is no open ${intent.side} ${intent.symbol} position to add to` };
    return { ok: true };
  }
  if (existing.side !== intent.side) {
    return { ok: false, reason: `an opposite ${existing.side} ${intent.symbol} position is open; close it before opening a ${intent.side}` };
  }
  const long = existing.side === 'long';
  const rPerUnit = Math.abs(existing.entry - existing.initialStop);
  if (!(rPerUnit > 0)) return { ok: false, reason: `pyramiding: the open position has no initial risk (entry = initial stop ${num(existing.entry)}), so +R is undefined` };
  const profitR = (long ? market.lastPrice - existing.entry : existing.entry - market.lastPrice) / rPerUnit;
  const { minProfitR, maxAddR } = g.pyramiding;
  if (profitR < minProfitR) {
    return { ok: false, reason: `pyramiding: the open position is at ${profitR >= 0 ? '+' : '−'}${Math.abs(profitR).toFixed(2)}R < +${minProfitR}R; add only into profit` };
  }
  // The intent's stop becomes the stop of the whole position; it must protect the combined average entry.
  const beyondEntry = long ? intent.stop >= existing.entry : intent.stop <= existing.entry;
  const maxUnitsBreakEven = beyondEntry ? (existing.size * Math.abs(intent.stop - existing.entry)) / Math.abs(intent.entry - intent.stop) : 0;
  if (!(maxUnitsBreakEven > 0)) {
    return {
      ok: false,
      reason: `pyramiding: the combined stop ${num(intent.stop)} must be beyond the open position's entry ${num(existing.entry)} so that the whole position is at or beyond break-even`,
    };
  }
  const maxAddRisk = maxAddR * rPerUnit * existing.size;
  const maxUnitsAddR = maxAddRisk / riskPerUnit;
  const maxUnits = Math.min(maxUnitsBreakEven, maxUnitsAddR);
  const why =
    maxUnitsAddR <= maxUnitsBreakEven
      ? `an add risks at most ${maxAddR}R of the open position = ${num(maxAddRisk)}`
      : `more would put the combined break-even beyond the stop ${num(intent.stop)}`;
  return {
    ok: true,
    maxUnits,
    limitNote: `pyramiding at ${profitR.toFixed(2)}R: at most ${num(maxUnits)} units (${why})`,
    info: `move the stop of the open ${intent.symbol} position to ${num(intent.stop)} (combined stop at or beyond break-even)`,
  };
}

export const pyramidingRule: Rule = { id: 'pyramiding', check: checkPyramiding };
