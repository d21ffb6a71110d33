import type { BenchSection } from './timing.ts';

export const sections: BenchSection[] = [
  {
    title: 'live pipeline latency',
    async run({ quick }) {
      const { benchLatency } = await import('../engine/live/bench.ts');
      return benchLatency(quick);
    },
  },
];
