import type { BenchSection } from './timing.ts';

export const sections: BenchSection[] = [
  {
    title: 'backtest',
    async run({ quick }) {
      const { benchBacktest } = await import('../engine/backtest/bench.ts');
      const { benchDetectorBacktest } = await import('../engine/backtest/service/bench.ts');
      return [...(await benchBacktest(quick)), ...(await benchDetectorBacktest(quick))];
    },
  },
];
