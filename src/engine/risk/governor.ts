/**
 * The risk governor: one pure function from an order intent and the current state to a verdict. It never throws
 * for a refusal — a refusal is a value the bot shows and the journal keeps — and it never changes the state.
 */
import type { Governance } from './governance-schema.ts';
import { RULES } from './rules/index.ts';
import { dayPnlPct, effectiveRisk, openNotional } from './metrics.ts';
import { roundDownToStep } from './sizing.ts';
import { onNewDay } from './state.ts';
import { num } from './format.ts';
import type { Adjustment, MarketState, OrderIntent, PortfolioState, RiskVerdict, RuleContext, RuleId } from './types.ts';

export function evaluateIntent(
  intent: OrderIntent,
  portfolioIn: PortfolioState,
  market: MarketState,
  now: number,
  governance: Governance,
): RiskVerdict {
  // A state from yesterday is read as today's fresh day, exactly as the executor's onNewDay would have left it.
  const portfolio = onNewDay(portfolioIn, now, governance);
  const dayPct = dayPnlPct(portfolio);
  const existing =
    portfolio.openPositions.find((p) => p.symbol === intent.symbol && p.side === intent.side) ??
    portfolio.openPositions.find((p) => p.symbol === intent.symbol);
  const ctx: RuleContext = {
    intent,
    portfolio,
    market,
    now,
    governance,
    dayPnlPct: dayPct,
    riskPerUnit: Math.abs(intent.entry - intent.stop),
    effectiveRisk: effectiveRisk(portfolio, dayPct, market.atr, market.atrThreshold, governance),
    existing,
    leverage: Math.min(intent.leverage ?? 1, governance.leverageCap),
  };

  const adjustments: Adjustment[] = [];
  const caps: { rule: RuleId; maxUnits: number; limitNote?: string }[] = [];
  for (const rule of RULES) {
    const outcome = rule.check(ctx);
    if (!outcome.ok) return { status: 'refused', intent, rule: rule.id, reason: outcome.reason, adjustments };
    if (outcome.info) adjustments.push({ rule: rule.id, reason: outcome.info });
    if (outcome.maxUnits !== undefined) caps.push({ rule: rule.id, maxUnits: outcome.maxUnits, limitNote: outcome.limitNote });
  }

  const raw = caps.reduce((min, c) => Math.min(min, c.maxUnits), Infinity);
  const binding = caps.filter((c) => c.maxUnits === raw && c.rule !== 'risk-per-trade');
  for (const c of binding) if (c.limitNote) adjustments.push({ rule: c.rule, reason: `size reduced to ${num(raw)} units: ${c.limitNote}` });

  const units = roundDownToStep(raw, market.amountStep);
  const notional = units * intent.entry;
  if (!(units > 0) || units < market.minAmount || notional < market.minNotional) {
    const by = binding.length ? ` after ${binding.map((c) => c.rule).join(', ')} limited it` : '';
    return {
      status: 'refused',
      intent,
      rule: 'min-size',
      reason: `size ${num(units)} units (notional ${num(notional)}) is below the market minimum (amount ${num(market.minAmount)}, notional ${num(market.minNotional)}, step ${num(market.amountStep)})${by}`,
      adjustments,
    };
  }
  const riskQuote = units * ctx.riskPerUnit;
  return {
    status: 'accepted',
    intent,
    effectiveRiskPct: ctx.effectiveRisk.pct,
    adjustments,
    size: {
      units,
      notional,
      riskQuote,
      riskPct: (riskQuote / portfolio.equity) * 100,
      leverage: ctx.leverage,
      accountLeverage: (openNotional(portfolio) + notional) / portfolio.equity,
    },
  };
}
