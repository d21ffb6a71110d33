/**
 * The optimizer's composite objective: one number that rewards risk-adjusted return and a real edge, punishes
 * drawdown, and refuses parameter sets with too few trades to mean anything (a 3-trade "Sharpe 4" is luck).
 *
 *   score = sharpe·Sharpe + profitFactor·min(PF_quote, profitFactorCap) − drawdown·|max DD %| / 10
 *           + trades·log10(trades)                               when trades ≥ minTrades, else −∞
 *
 * PF_quote is the quote-currency profit factor (Infinity without losses, hence the cap); every weight can be changed.
 */
export interface CompositeObjective {
  sharpe: number;
  profitFactor: number;
  /** Per 10 percentage points of maximum drawdown. */
  drawdown: number;
  /** Per decade of trade count: more trades, more confidence, with diminishing weight. */
  trades: number;
  /** Fewer trades than this: the parameter set is not considered at all. */
  minTrades: number;
  profitFactorCap: number;
}

export const COMPOSITE_DEFAULTS: CompositeObjective = { sharpe: 1, profitFactor: 0.5, drawdown: 0.5, trades: 0.25, minTrades: 30, profitFactorCap: 3 };

function field(stats: Record<string, unknown>, key: string): number {
  const v = stats[key];
  return typeof v === 'number' ? v : NaN;
}

/** NaN (ranked last by the optimizer) when a figure is undefined or the trade count is below the minimum. */
export function compositeScore(stats: Record<string, unknown>, over: Partial<CompositeObjective> = {}): number {
  const w = { ...COMPOSITE_DEFAULTS, ...over };
  const trades = field(stats, 'trades');
  if (!(trades >= w.minTrades) || trades <= 0) return NaN;
  const pfRaw = field(stats, 'profitFactorQuote');
  const pf = Number.isNaN(pfRaw) ? NaN : Math.min(pfRaw, w.profitFactorCap);
  const dd = Math.abs(field(stats, 'maxDrawdownPct'));
  return w.sharpe * field(stats, 'sharpe') + w.profitFactor * pf - (w.drawdown * dd) / 10 + w.trades * Math.log10(trades);
}

export function describeComposite(over: Partial<CompositeObjective> = {}): string {
  const w = { ...COMPOSITE_DEFAULTS, ...over };
  return `${w.sharpe}·Sharpe + ${w.profitFactor}·min(profit factor, ${w.profitFactorCap}) − ${w.drawdown}·max DD/10 % + ${w.trades}·log10(trades), at least ${w.minTrades} trades`;
}
