/**
 * Approve: signal → OrderIntent → risk governor (with the current PortfolioState and MarketState) → broker. Every
 * answer is journaled, accepted with its size or refused with the rule and the reason; executor gates (expired,
 * paused, exchange unreachable) come first and are journaled the same way.
 */
import { ItaError } from '../../errors.ts';
import { evaluateIntent, onPositionOpened, roundDownToStep, type OrderIntent, type RiskVerdict } from '../../risk/index.ts';
import { beyondStop, beyondStopRefusal, fitUnits, netRiskPerUnit, type Refusal } from '../../trading/decision.ts';
import { direction, marketFillPrice } from '../sim/fill-model.ts';
import type { InstrumentSpec } from './market-stats.ts';
import { decideForExecutor, executorMarket, exitOpposite } from './decide.ts';
import { dayPnl } from '../../risk/metrics.ts';
import type { BrokerPosition } from '../broker.ts';
import { toOpenPosition, type ExecutorCore } from './core.ts';
import { planOf, takeProfitLegs } from './management.ts';
import { acceptedOutcome, adoptedOutcome, num, refusedOutcome, verdictResult } from './outcome.ts';
import { getVerdict, saveManagedPosition, saveVerdict, type ManagedPositionRow, type VerdictRow } from './store.ts';
import { saveEntryExpiry } from './expiry.ts';
import type { ApprovableSignal, ApprovalContext, ApprovalResult } from './types.ts';

export async function approveSignal(core: ExecutorCore, signal: ApprovableSignal, by: string, context: ApprovalContext = {}): Promise<ApprovalResult> {
  const previous = await getVerdict(core.db, signal.id);
  if (previous) return { ...verdictResult(previous), duplicate: true };
  const now = core.now();
  // The market's account type picks the broker: spot (long only) or USDT-M perpetual (both sides).
  const perpAccount = await core.entryAccount(signal.symbol, signal.timeframe);
  const account = perpAccount ?? core.flags.mode;
  const broker = core.brokerFor(account);
  const record = (result: Omit<ApprovalResult, 'duplicate'>, units?: number) => recordVerdict(core, signal, by, now, account, { ...result, duplicate: false }, units);
  const refuse = (rule: string, reason: string, status: 'refused' | 'failed' = 'refused', verdict?: RiskVerdict) =>
    record({ status, rule, reason, outcome: refusedOutcome(signal, rule, reason), ...(verdict ? { verdict } : {}) });
  if (perpAccount === undefined) return refuse('account', `${signal.symbol} trades on a perp account but no ${core.flags.mode} perp broker is configured`);

  // Placed before a crash that lost the verdict: take it back under management rather than asking again.
  const orphan = (await broker.positions().catch(() => [])).find((p) => p.id === signal.id);
  if (orphan) {
    await manage(core, signal, account, orphan, orphan.entryPrice || signal.entry, orphan.requested, now);
    return record({ status: 'accepted', outcome: adoptedOutcome(signal, orphan) }, orphan.requested);
  }
  if (Number.isFinite(signal.validUntil) && signal.validUntil > 0 && now > signal.validUntil) {
    return refuse('expired', `the signal expired at ${new Date(signal.validUntil).toISOString()}`);
  }
  const f = core.flags;
  if (f.paused) return refuse('paused', `trading is paused${f.pausedBy ? ` by ${f.pausedBy}` : ''}; /resume to continue`);
  const gated = core.options.entryGate?.(signal);
  if (gated) return refuse('health-gate', `${gated}; new entries on ${signal.symbol} ${signal.timeframe} resume when it clears`);
  if (f.exchangeDown) {
    return refuse('exchange-unavailable', `the exchange is unreachable since ${new Date(f.exchangeDown.since).toISOString()} (${f.exchangeDown.message}); no new entries until it recovers`);
  }

  // The trading session's rules, in its order (trading/decision.ts): invalid, opposite-signal exit, signal policy,
  // opposite position held, one position per market.
  const market = await executorMarket(core, signal);
  const decision = decideForExecutor(core, signal, market, context.minScore);
  if (decision.exitOpposite) await exitOpposite(core, market.opposite, signal);
  if (decision.refusal) return refuse(decision.refusal.rule, decision.refusal.reason ?? decision.refusal.rule);
  const seen = core.stats.lastPrice(signal.symbol);
  // Checked before anything is placed: an entry at a price already beyond the stop would be stopped at once, or
  // (a limit that is marketable now) filled with a stop the venue refuses — never an order, a refusal.
  if (seen !== undefined && beyondStop(signal.side, seen, signal.stop)) {
    const r = beyondStopRefusal(seen, signal.stop, 'now');
    return refuse(r.rule, r.reason!);
  }
  // The governor counts what the broker really holds, positions ITA did not open included.
  await core.countBrokerBooks();
  const last = seen ?? signal.entry;
  const entry = signal.entryType === 'limit' ? signal.entry : last;
  const intent: OrderIntent = {
    symbol: signal.symbol, side: signal.side, entry, stop: signal.stop, setupId: signal.setupId, setupVersion: signal.setupVersion, signalId: signal.id,
  };
  const spec = core.instrument(signal.symbol);
  const others = core.portfolio.openPositions.map((p) => p.symbol);
  const state = core.stats.marketState(signal.symbol, signal.timeframe, others, core.g, spec, last, core.options.quote?.(signal.symbol));
  const governed = evaluateIntent(intent, core.portfolio, state, now, core.g);
  if (governed.status === 'refused') return refuse(governed.rule, governed.reason, 'refused', governed);
  const net = netSized(core, signal, governed, entry, spec);
  if ('refusal' in net) return refuse(net.refusal.rule, net.refusal.reason ?? net.refusal.rule, 'refused', governed);
  const verdict = await fitSpotBalance(core, signal, net.verdict, entry, spec.amountStep, account);
  if (verdict.status === 'refused') return refuse(verdict.rule, verdict.reason, 'refused', verdict);

  const plan = planOf(signal, core.plan, core.stats.atr(signal.symbol, signal.timeframe));
  const units = verdict.size.units;
  let position: BrokerPosition;
  try {
    ({ position } = await broker.placeEntry({
      id: signal.id, symbol: signal.symbol, side: signal.side, type: signal.entryType, amount: units, price: entry, stop: signal.stop,
      takeProfits: takeProfitLegs(signal, entry, units, spec.amountStep, core.plan, plan.trailAtrMultiple),
    }));
    // A paper placement says nothing about the exchange.
    if (broker.mode === 'live' || core.accounts().length === 1) await core.exchangeOk();
  } catch (error) {
    if (await core.exchangeFailed(error)) return refuse('exchange-unavailable', `the exchange is unreachable (${(error as Error).message}); nothing was placed`, 'failed', verdict);
    if (!(error instanceof ItaError)) throw error;
    return refuse('broker', `the broker refused the entry: ${error.message}`, 'failed', verdict);
  }
  await manage(core, signal, account, position, entry, units, now);
  return record({ status: 'accepted', verdict, outcome: acceptedOutcome(signal, verdict, broker.mode, position) });
}

/**
 * The session's net-1R sizing (trading/decision.ts): the governor sized on the gross distance; scaled to the risk per
 * unit net of both fees and the stop's slippage at the account's costs, a stopped trade loses about 1R net. Floored
 * to the lot step, refused below the market minimums. With no costs nothing changes.
 */
function netSized(core: ExecutorCore, signal: ApprovableSignal, verdict: AcceptedVerdict, entry: number, spec: InstrumentSpec): { verdict: AcceptedVerdict } | { refusal: Refusal } {
  const costs = core.costs;
  const market = signal.entryType !== 'limit';
  // The fill the paper venue gives a market order: the last price plus adverse slippage (the session's next open).
  const fill = market ? marketFillPrice(entry, direction(signal.side), true, costs) : entry;
  const netRisk = netRiskPerUnit(signal.side, fill, signal.stop, market ? costs.takerFee : costs.makerFee, costs);
  const sized = fitUnits(Infinity, verdict.size.units, fill, signal.stop, netRisk, spec);
  if (sized.refusal) return { refusal: sized.refusal };
  if (sized.units === verdict.size.units) return { verdict };
  const riskQuote = sized.units * netRisk;
  return { verdict: { ...verdict, size: { ...verdict.size, units: sized.units, notional: sized.units * entry, riskQuote, riskPct: (riskQuote / core.portfolio.equity) * 100 } } };
}

type AcceptedVerdict = Extract<RiskVerdict, { status: 'accepted' }>;

/** Room left for fees and slippage when a spot buy is sized to the free balance. */
const SPOT_BALANCE_BUFFER = 0.01;

/**
 * The governor allows account leverage up to its cap, but a spot account can only buy what its free quote balance
 * pays for. A smaller size is always safe, so the executor shrinks the order (and says so) instead of letting the
 * exchange refuse it; below the market minimum it refuses with the numbers. A perp account (either side) is fitted
 * the same way to what its free margin holds at the broker's leverage.
 */
async function fitSpotBalance(
  core: ExecutorCore, signal: ApprovableSignal, verdict: Extract<RiskVerdict, { status: 'accepted' }>, entry: number, step: number, account: string,
): Promise<RiskVerdict> {
  const perp = account.endsWith('-perp');
  if (signal.side !== 'long' && !perp) return verdict;
  const leverage = perp ? core.brokerFor(account).leverage ?? 1 : 1;
  const quote = signal.symbol.split('/')[1]?.split(':')[0];
  const free = (await core.brokerFor(account).balances().catch(() => ({}) as Record<string, { free: number }>))[quote ?? '']?.free;
  if (free === undefined) return verdict;
  const affordable = roundDownToStep((free * leverage) / (entry * (1 + SPOT_BALANCE_BUFFER)), step);
  if (affordable >= verdict.size.units) return verdict;
  const spec = core.instrument(signal.symbol);
  const reason = perp
    ? `perp account: the free margin ${num(free)} ${quote} at ${num(leverage)}x holds at most ${num(affordable)} units at ${num(entry)} (fees and slippage kept aside)`
    : `spot account: the free ${num(free)} ${quote} buys at most ${num(affordable)} units at ${num(entry)} (fees and slippage kept aside)`;
  if (!(affordable > 0) || affordable < spec.minAmount || affordable * entry < spec.minNotional) {
    return { status: 'refused', intent: verdict.intent, rule: 'min-size', reason: `${reason}, below the market minimum`, adjustments: verdict.adjustments };
  }
  const riskQuote = affordable * Math.abs(entry - signal.stop);
  return {
    ...verdict,
    size: { ...verdict.size, units: affordable, notional: affordable * entry, riskQuote, riskPct: (riskQuote / core.portfolio.equity) * 100 },
    adjustments: [...verdict.adjustments, { rule: 'leverage-cap', reason: `size reduced to ${num(affordable)} units: ${reason}` }],
  };
}

/** Starts managing a placed position with the signal's plan (the same per-signal overrides the backtester reads). */
async function manage(core: ExecutorCore, signal: ApprovableSignal, account: string, position: BrokerPosition, entry: number, units: number, now: number) {
  const plan = planOf(signal, core.plan, core.stats.atr(signal.symbol, signal.timeframe));
  const row: ManagedPositionRow = {
    id: position.id, account, signal_id: signal.id, setup_id: signal.setupId, setup_version: signal.setupVersion, symbol: signal.symbol,
    timeframe: signal.timeframe, side: signal.side, status: 'pending', opened_at: now, entry_price: entry, initial_stop: signal.stop,
    stop: position.stop, size: units, risk_per_unit: Math.abs(entry - signal.stop), take_profit_count: position.takeProfits.length,
    // No ATR yet (a market too new for ATR 14, a setup that reads none): stored as 0, which trails nothing, as the
    // session's journal stores it (trading/journal.ts); NaN would reach SQLite as NULL after the entry was placed.
    targets_taken: 0, best: entry, bars_held: 0, atr: Number.isFinite(plan.atr) ? plan.atr : 0, break_even_at_r: plan.breakEvenAtR, trail_atr: plan.trailAtrMultiple,
    time_stop_bars: plan.timeStopBars, last_bar_ts: signal.ts, closed_at: null, pnl: null, r_multiple: null, fees: null, exit_price: null,
    close_reason: null,
  };
  const last = core.stats.lastPrice(signal.symbol) ?? entry;
  await saveManagedPosition(core.db, row);
  // A resting limit lives until the signal's validity, as in the session (manage.ts cancels it then).
  if (signal.entryType === 'limit' && position.status === 'pending') await saveEntryExpiry(core.db, position.id, signal.validUntil);
  await core.setPortfolio(onPositionOpened(core.portfolio, toOpenPosition(row, position, last)));
  await core.syncPosition(row, position, last);
}

async function recordVerdict(
  core: ExecutorCore, signal: ApprovableSignal, by: string, now: number, account: string, result: ApprovalResult, adoptedUnits?: number,
): Promise<ApprovalResult> {
  const accepted = result.verdict?.status === 'accepted' ? result.verdict : undefined;
  const row: VerdictRow = {
    signal_id: signal.id, setup_id: signal.setupId, setup_version: signal.setupVersion, symbol: signal.symbol, timeframe: signal.timeframe,
    side: signal.side, signal_ts: signal.ts, entry: signal.entry, stop: signal.stop, decided_by: by, decided_at: now, status: result.status,
    rule: result.rule ?? null, reason: result.reason ?? null, units: accepted?.size.units ?? adoptedUnits ?? null,
    risk_pct: accepted?.size.riskPct ?? null, risk_quote: accepted?.size.riskQuote ?? null, effective_risk_pct: accepted?.effectiveRiskPct ?? null,
    equity: core.portfolio.equity, day_pnl: dayPnl(core.portfolio), adjustments: JSON.stringify(result.verdict?.adjustments ?? []),
    outcome: result.outcome, account,
  };
  await saveVerdict(core.db, row);
  core.emit({ type: 'verdict', signalId: signal.id, result });
  return result;
}
