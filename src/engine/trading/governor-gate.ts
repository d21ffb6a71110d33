/**
 * The risk governor inside the trading session. The governor itself is a pure function (risk/governor.ts); this
 * keeps the state it reads — PortfolioState and per-market statistics — in step with the simulated book, from the
 * same candles and fills, so a backtest is refused and sized exactly as paper and live would be.
 *
 * Cost: MarketStats is fed every candle of a governed market and PortfolioState follows the equity only while a
 * position is open (a flat book's equity does not move, so the daily lock and the kill switch cannot change).
 */
import type { Candle, MarketKey } from '../types.ts';
import { MarketStats, type InstrumentSpec } from '../exec/executor/market-stats.ts';
import {
  createPortfolioState, evaluateIntent, onEquity, onTradeClosed, resume, type Governance, type OpenPosition, type PortfolioState, type RiskVerdict,
} from '../risk/index.ts';
import type { SimPosition } from '../exec/sim/position.ts';

export class GovernorGate {
  readonly stats = new MarketStats();
  portfolio: PortfolioState;

  constructor(
    readonly governance: Governance,
    equity0: number,
    start: number,
  ) {
    this.portfolio = createPortfolioState(equity0, start, governance);
  }

  observe(market: MarketKey, candle: Candle): void {
    this.stats.observe(market, candle);
  }

  /**
   * The simulated trader lifts a tripped kill switch once its window has passed (a human would /resume; without
   * this one trip would end every backtest). Written into the report's assumptions.
   */
  private autoResume(now: number): void {
    const k = this.portfolio.killSwitch;
    if (k.status === 'tripped' && now >= k.at + this.governance.killSwitch.windowMs) this.portfolio = resume(this.portfolio, 'session', now);
  }

  markEquity(equity: number, now: number): void {
    this.portfolio = onEquity(this.portfolio, equity, now, this.governance);
    this.autoResume(now);
  }

  tradeClosed(setupId: string, pnl: number, barIndex: number, closedAt: number): void {
    this.portfolio = onTradeClosed(this.portfolio, { setupId, pnl, barIndex, closedAt }, this.governance);
  }

  evaluate(
    market: MarketKey, signal: { side: 'long' | 'short'; setupId: string; setupVersion: string; id: string; stop: number },
    entry: number, equity: number, open: readonly SimPosition[], marks: (p: SimPosition) => number,
    spec: InstrumentSpec, leverage: number, now: number,
  ): RiskVerdict {
    const openPositions: OpenPosition[] = open.map((p) => ({
      id: String(p.id), symbol: p.signal.symbol, side: p.side, entry: p.entryPrice, stop: p.stop, initialStop: p.initialStop,
      size: p.remaining, unrealized: p.dir * p.remaining * (marks(p) - p.entryPrice), setupId: p.signal.setupId,
    }));
    this.markEquity(equity, now);
    this.portfolio = { ...this.portfolio, openPositions };
    const others = openPositions.map((p) => p.symbol);
    const state = this.stats.marketState(market.symbol, market.timeframe, others, this.governance, spec, entry);
    return evaluateIntent(
      { symbol: market.symbol, side: signal.side, entry, stop: signal.stop, setupId: signal.setupId, setupVersion: signal.setupVersion, signalId: signal.id, leverage },
      this.portfolio, state, now, this.governance,
    );
  }
}
