/** Builders for risk tests: a shipped governance, a quiet liquid market, a fresh 10,000 USDT account. */
import { loadGovernance } from '../../../src/engine/risk/governance.ts';
import { createPortfolioState } from '../../../src/engine/risk/state.ts';
import type { MarketState, OpenPosition, OrderIntent, PortfolioState } from '../../../src/engine/risk/types.ts';

export const GOV = loadGovernance();
/** Saturday 2026-11-21 15:00 UTC. */
export const NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
export const HOUR = 3_600_000;

export function market(over: Partial<MarketState> = {}): MarketState {
  return {
    symbol: 'BTC/USDT',
    lastPrice: 100,
    bid: 99.99,
    ask: 100.01,
    quoteVolume24h: 1e9,
    dailyCloses: {},
    atr: 1,
    atrThreshold: 2,
    barIndex: 1000,
    amountStep: 0.001,
    minAmount: 0.001,
    minNotional: 5,
    ...over,
  };
}

export function intent(over: Partial<OrderIntent> = {}): OrderIntent {
  return { symbol: 'BTC/USDT', side: 'long', entry: 100, stop: 98, setupId: 'ob_retest', setupVersion: 'v1', signalId: 's1', ...over };
}

export function portfolio(over: Partial<PortfolioState> = {}, equity = 10_000): PortfolioState {
  return { ...createPortfolioState(equity, NOW - HOUR, GOV), ...over };
}

export function position(over: Partial<OpenPosition> = {}): OpenPosition {
  return { id: 'p1', symbol: 'ETH/USDT', side: 'long', entry: 100, stop: 98, initialStop: 98, size: 10, unrealized: 0, ...over };
}
