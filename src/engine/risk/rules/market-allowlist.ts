/** Only listed markets, and only while liquid and tight: thin books turn a planned stop into a much bigger loss. */
import type { Rule, RuleContext, RuleOutcome } from '../types.ts';
import { num } from '../format.ts';

export function spreadBps(bid: number, ask: number): number {
  const mid = (bid + ask) / 2;
  return mid > 0 ? ((ask - bid) / mid) * 10_000 : Infinity;
}

export function checkMarketAllowlist({ intent, market, governance: g }: RuleContext): RuleOutcome {
  const m = g.markets;
  if (!m.allowlist.includes(intent.symbol)) {
    return { ok: false, reason: `market ${intent.symbol} is not on the allowlist (${m.allowlist.join(', ')})` };
  }
  if (!(market.quoteVolume24h >= m.minQuoteVolume24h)) {
    return { ok: false, reason: `liquidity: ${intent.symbol} 24h volume ${num(market.quoteVolume24h)} < minimum ${num(m.minQuoteVolume24h)}` };
  }
  const spread = spreadBps(market.bid, market.ask);
  if (!(market.bid > 0 && market.ask >= market.bid) || !(spread <= m.maxSpreadBps)) {
    return {
      ok: false,
      reason: `spread: ${intent.symbol} bid ${num(market.bid)} / ask ${num(market.ask)} = ${Number.isFinite(spread) ? spread.toFixed(2) : 'n/a'} bps > maximum ${m.maxSpreadBps} bps`,
    };
  }
  return { ok: true };
}

export const marketAllowlistRule: Rule = { id: 'market-allowlist', check: checkMarketAllowlist };
