import type { BenchSection } from './timing.ts';

export const sections: BenchSection[] = [
  {
    title: 'backtest',
    async run({ quick }) {
      const { benchBacktest } = await import('../engine/backtest/bench.ts');
      return benchBacktest(quick);
    },
  },
];
