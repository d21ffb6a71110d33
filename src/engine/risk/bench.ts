/**
 * Benchmark sections for `ita bench` (the seeds' target: a plan in under 50 ms). Registered by src/bench/index.ts.
 * Measures the governor on a busy account: 3 open positions, 90-day correlations, 72 h of minute equity samples.
 */
import type { BenchLine, BenchSection } from '../../bench/timing.ts';
import { medianMs, percentile } from '../../bench/timing.ts';
import { evaluateIntent } from './governor.ts';
import { loadGovernance } from './governance.ts';
import { createPortfolioState, onEquity, onPositionOpened } from './state.ts';
import type { MarketState, OrderIntent } from './types.ts';

function scenario() {
  const g = loadGovernance();
  const t0 = Date.UTC(2026, 10, 18);
  let state = createPortfolioState(10_000, t0, g);
  // 72 h of one equity sample per minute: the kill-switch window at its fullest.
  const samples = Array.from({ length: 72 * 60 }, (_, i) => ({ ts: t0 + (i + 1) * 60_000, equity: 10_000 + Math.sin(i / 50) * 30 }));
  state = { ...state, equityHistory: [...state.equityHistory, ...samples] };
  const now = t0 + 72 * 3_600_000;
  state = onEquity(state, 10_010, now, g);
  for (const [i, symbol] of ['ETH/USDT', 'SOL/USDT', 'XRP/USDT'].entries()) {
    state = onPositionOpened(state, { id: `p${i}`, symbol, side: 'long', entry: 100, stop: 99.5, initialStop: 99.5, size: 2, unrealized: 0 });
  }
  const closes = (phase: number) => Array.from({ length: 91 }, (_, d) => 100 * (1 + 0.03 * Math.sin(d * 0.7 + phase)));
  const market: MarketState = {
    symbol: 'BTC/USDT', lastPrice: 100, bid: 99.99, ask: 100.01, quoteVolume24h: 1e9, atr: 1, atrThreshold: 2, barIndex: 1,
    amountStep: 0.001, minAmount: 0.001, minNotional: 5,
    dailyCloses: { 'BTC/USDT': closes(0), 'ETH/USDT': closes(1), 'SOL/USDT': closes(2), 'XRP/USDT': closes(3) },
  };
  const intent: OrderIntent = { symbol: 'BTC/USDT', side: 'long', entry: 100, stop: 98, setupId: 's', setupVersion: 'v', signalId: 'x' };
  return { g, state, market, intent, now };
}

export const sections: BenchSection[] = [
  {
    title: 'risk governor: evaluate an intent',
    async run({ quick }) {
      const { g, state, market, intent, now } = scenario();
      for (let i = 0; i < 500; i++) evaluateIntent(intent, state, market, now, g);
      const single: number[] = [];
      for (let i = 0; i < (quick ? 200 : 2000); i++) {
        const start = process.hrtime.bigint();
        evaluateIntent(intent, state, market, now, g);
        single.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const batch = 1000;
      const batchMs = await medianMs(quick ? 3 : 7, () => {
        for (let i = 0; i < batch; i++) evaluateIntent(intent, state, market, now, g);
      });
      const lines: BenchLine[] = [
        { name: 'risk: evaluateIntent, 3 open positions, 4,321 equity samples (median)', value: (batchMs / batch) * 1000, unit: 'µs', target: '< 50 ms' },
        { name: 'risk: evaluateIntent p99 of single calls', value: percentile(single, 99) * 1000, unit: 'µs' },
        { name: 'risk: load + validate governance.yaml', value: await medianMs(quick ? 3 : 9, () => loadGovernance()), unit: 'ms' },
      ];
      return lines;
    },
  },
];
