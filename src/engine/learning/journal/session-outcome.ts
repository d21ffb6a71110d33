/**
 * The outcome of one journaled signal on the ONE trading path: a TradingSession (trading/session.ts) is run over the
 * candles from the signal's candle on, with that single signal offered on its own candle and approved. So the entry
 * (next open for a market order, resting limit until validUntil), stop versus targets inside a candle (stop first),
 * break-even, trailing, the time limit and the costs are exactly what a backtest or a replay would have done. No
 * governor and no signal policy: the question is what the signal itself would have earned, whether the trader took
 * it, rejected it or never saw it (a filtered signal gets an outcome too). A perp account, so short signals count.
 *
 * The time barrier: the setup's own `time_stop_bars` (it travels in the signal's context), else `horizonBars`.
 * The outcome is `open` while the candles so far decide nothing; call again when more candles have closed.
 */
import type { Candle, MarketKey, Signal } from '../../types.ts';
import type { Setup } from '../../setups/index.ts';
import type { SessionEvent, TradeRecord } from '../../backtest/types.ts';
import { TradingSession } from '../../trading/session.ts';

export const DEFAULT_OUTCOME_HORIZON_BARS = 96;

export interface SessionOutcomeSettings {
  /** Fee per fill as a fraction of notional. */
  fees: { maker: number; taker: number };
  slippageBps?: number;
  /** Time barrier in candles held when the setup has no time stop of its own. */
  horizonBars?: number;
}

export type SessionOutcomeStatus = 'closed' | 'open' | 'not-filled';

export interface SessionOutcome {
  status: SessionOutcomeStatus;
  /** Net R of the trade (fees and slippage included); NaN unless closed. */
  netR: number;
  entryTs?: number;
  entryPrice?: number;
  exitTs?: number;
  /** The last exit's reason: stop, target, break-even-stop, trailing-stop, time-stop. */
  exitReason?: string;
  /** Why it never became a trade (not-filled). */
  reason?: string;
  /** Open time of the last candle the outcome depends on. */
  windowEndTs: number;
}

/** The setup's management written into the signal's context, as the backtester's signal source does. */
export function withSetupManagement(signal: Signal, setup: Pick<Setup, 'management'> | undefined): Signal {
  const context = { ...signal.context };
  const m = setup?.management;
  if (m?.break_even_r !== undefined && context.breakEvenAtR === undefined) context.breakEvenAtR = m.break_even_r;
  if (m?.trail_atr !== undefined && context.trailAtrMultiple === undefined) context.trailAtrMultiple = m.trail_atr;
  if (m?.time_stop_bars !== undefined && context.timeStopBars === undefined) context.timeStopBars = m.time_stop_bars;
  return { ...signal, targets: signal.targets.map((t) => ({ ...t })), context };
}

/**
 * `candles`: the signal's market candles in time order (any range; those before the signal's candle are ignored).
 * The signal must already carry its setup's management (withSetupManagement).
 */
export function sessionOutcome(signal: Signal, candles: readonly Candle[], settings: SessionOutcomeSettings): SessionOutcome {
  const start = candles.findIndex((c) => c.ts === signal.ts);
  if (start < 0) return { status: 'open', netR: NaN, windowEndTs: signal.ts, reason: 'the signal candle is not stored' };
  const own = candles.slice(start);
  const market: MarketKey = { exchange: signal.exchange, symbol: signal.symbol, timeframe: signal.timeframe };
  let opened: { ts: number; price: number } | undefined;
  let closed: TradeRecord | undefined;
  let skipped: string | undefined;
  let refused: string | undefined;
  const listener = (e: SessionEvent) => {
    if (e.type === 'position-opened') opened = { ts: e.position.entryTs, price: e.position.entryPrice };
    else if (e.type === 'trade-closed') closed = e.trade;
    else if (e.type === 'skipped') skipped = e.reason ? `${e.rule}: ${e.reason}` : e.rule;
    else if (e.type === 'decision' && !e.accepted) refused = `${e.rule}: ${e.reason}`;
  };
  const session = new TradingSession({
    markets: [{ key: market, candles: own as Candle[], account: 'perp' }],
    // The very signal, offered once on its own candle (a copy: the session may annotate costs).
    signalSource: { onCandle: (_m, i) => (i === 0 ? [{ ...signal, context: { ...signal.context } }] : []) },
    management: { timeStopBars: settings.horizonBars ?? DEFAULT_OUTCOME_HORIZON_BARS, oppositeSignal: 'ignore' },
    sizing: { kind: 'risk', riskFraction: 0.01 },
    fees: settings.fees,
    slippage: { bps: settings.slippageBps ?? 0 },
    // Large enough that sizing never caps the one position: R does not depend on the size.
    initialCash: 1e9,
    finalize: 'leave-open',
    listener,
  });
  while (!closed && !skipped && !refused && session.step());
  const last = own[Math.max(0, session.done - 1)]?.ts ?? signal.ts;
  if (refused) return { status: 'not-filled', netR: NaN, reason: refused, windowEndTs: signal.ts };
  if (skipped && !opened) return { status: 'not-filled', netR: NaN, reason: skipped, windowEndTs: session.lastTs };
  if (closed) {
    const lastExit = closed.exits[closed.exits.length - 1];
    return {
      status: 'closed', netR: closed.rMultiple, entryTs: closed.entryTs, entryPrice: closed.entryPrice, exitTs: closed.exitTs,
      exitReason: lastExit?.reason ?? closed.exitReason, windowEndTs: closed.exitTs,
    };
  }
  return { status: 'open', netR: NaN, entryTs: opened?.ts, entryPrice: opened?.price, windowEndTs: last };
}
