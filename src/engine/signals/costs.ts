/**
 * A signal's costs at an account's fees and slippage, in R. R here is the gross risk per unit |entry − stop|; a
 * stopped trade loses that plus the entry fee, the exit fee and the slippage of both market-type fills. A stop so
 * close that those costs are a large part of R makes a setup fee-dominated: the signal policy refuses it.
 *
 * Entry: a market entry pays the taker fee and slips adversely; a limit entry pays the maker fee at its price.
 * Stop exit: taker fee, adverse slippage. Target exit: a resting limit, maker fee, no slippage.
 */
import type { CostModel, Signal, SignalCosts } from '../types.ts';

/** The paper account's default: 0.1 % per side, no slippage (Binance spot's base fee). */
export const DEFAULT_COST_MODEL: CostModel = { makerFee: 0.001, takerFee: 0.001, slippage: 0 };

export function signalCosts(signal: Pick<Signal, 'side' | 'entryType' | 'entry' | 'stop' | 'targets'>, model: CostModel): SignalCosts {
  const dir = signal.side === 'long' ? 1 : -1;
  const market = signal.entryType === 'market';
  const entryFill = market ? signal.entry * (1 + dir * model.slippage) : signal.entry;
  const entryCost = Math.abs(entryFill - signal.entry) + entryFill * (market ? model.takerFee : model.makerFee);
  const stopFill = signal.stop * (1 - dir * model.slippage);
  const stopCost = Math.abs(stopFill - signal.stop) + stopFill * model.takerFee;
  const grossRisk = Math.abs(signal.entry - signal.stop);
  const netRisk = grossRisk + entryCost + stopCost;
  const netTargetR = signal.targets.map((t) => (dir * (t.price - signal.entry) - entryCost - t.price * model.makerFee) / netRisk);
  const furthest = netTargetR.length > 0 ? netTargetR.reduce((a, b) => (b > a ? b : a), -Infinity) : 0;
  return {
    model,
    stopCostR: grossRisk > 0 ? (entryCost + stopCost) / grossRisk : Infinity,
    netRR: grossRisk > 0 ? furthest : 0,
    netTargetR,
  };
}
