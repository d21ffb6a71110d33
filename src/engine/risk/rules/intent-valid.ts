/** A malformed intent or account is refused before any limit is computed: a wrong-side stop would size nonsense. */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';
import { num } from '../format.ts';

const positive = (x: number) => Number.isFinite(x) && x > 0;

export function checkIntentValid({ intent, market, portfolio }: RuleContext): RuleOutcome {
  if (!positive(intent.entry)) return { ok: false, reason: `entry must be a positive price (got ${intent.entry})` };
  if (!positive(intent.stop)) return { ok: false, reason: `stop must be a positive price (got ${intent.stop})` };
  if (intent.side === 'long' && !(intent.stop < intent.entry)) {
    return { ok: false, reason: `a long's stop must be below its entry (stop ${num(intent.stop)} ≥ entry ${num(intent.entry)})` };
  }
  if (intent.side === 'short' && !(intent.stop > intent.entry)) {
    return { ok: false, reason: `a short's stop must be above its entry (stop ${num(intent.stop)} ≤ entry ${num(intent.entry)})` };
  }
  if (intent.leverage !== undefined && !(Number.isFinite(intent.leverage) && intent.leverage >= 1)) {
    return { ok: false, reason: `leverage must be at least 1 (got ${intent.leverage})` };
  }
  if (market.symbol !== intent.symbol) return { ok: false, reason: `market data is for ${market.symbol}, the intent is for ${intent.symbol}` };
  if (!positive(market.lastPrice)) return { ok: false, reason: `no valid last price for ${intent.symbol} (got ${market.lastPrice})` };
  if (!positive(portfolio.equity)) return { ok: false, reason: `equity must be positive to size a trade (got ${num(portfolio.equity)})` };
  return { ok: true };
}

export const intentValidRule: Rule = { id: 'intent-valid', check: checkIntentValid };
