import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Native addons (better-sqlite3, canvas, hnswlib) are safest in forked workers.
    pool: 'forks',
    // Two files at a time on the 2-core machines: most slow files wait on processes they start (ita commands, servers),
    // so one worker (vitest's default of cores − 1) left a core idle for most of the run.
    maxWorkers: 2,
  },
});
