/**
 * A backtest is the trading session (src/engine/trading/session.ts) run to the end over candles in memory, plus
 * the report: statistics, breakdowns and the assumptions the session traded under.
 */
import { TradingSession } from '../trading/session.ts';
import { describeAssumptions } from './settings.ts';
import { computeStatistics } from './metrics.ts';
import { computeBreakdowns } from './breakdown.ts';
import { marketColumns } from './market-columns.ts';
import type { BacktestOptions, BacktestReport } from './types.ts';

export function runBacktest(opts: BacktestOptions): BacktestReport {
  const session = new TradingSession(opts);
  session.run();
  return buildReport(session);
}

export function buildReport(session: TradingSession): BacktestReport {
  const { opts, s, pf } = session;
  const equity = pf.equityCurve();
  const trades = pf.closed;
  const stats = computeStatistics({
    trades,
    equity,
    initialCash: opts.initialCash,
    closes: opts.markets.map((mk) => marketColumns(mk).close),
    warmupBars: s.warmupBars,
  });
  return {
    assumptions: describeAssumptions(s, opts.markets.some((mk) => (mk.detail?.length ?? 0) > 0), opts),
    trades,
    openTrades: pf.openSnapshots,
    skipped: pf.skipped,
    equity,
    initialCash: opts.initialCash,
    warmupBars: s.warmupBars,
    stats,
    breakdowns: computeBreakdowns(trades, opts.initialCash),
  };
}
