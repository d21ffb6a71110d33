import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('bench')
    .description('run the benchmarks and print medians (candles/s, indicator time, detector, charts, retrieval)')
    .option('--only <text>', 'run only sections whose title contains this text')
    .option('--quick', 'fewer runs and smaller inputs (a smoke test of the bench itself)', false)
    .action(async (opts: { only?: string; quick: boolean }) => {
      const { allSections, formatLine } = await import('../../bench/index.ts');
      const selected = allSections.filter((s) => !opts.only || s.title.toLowerCase().includes(opts.only.toLowerCase()));
      if (selected.length === 0) throw new Error(`no bench section matches "${opts.only}"`);
      const { loadavg, availableParallelism } = await import('node:os');
      // The figures move with other load on the machine: say how busy it was (the per-figure notes say it again).
      process.stdout.write(
        `ITA bench — node ${process.version}, ${new Date().toISOString()}; figures are medians; ` +
          `${availableParallelism()} cores, load avg ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min)\n`,
      );
      for (const section of selected) {
        process.stdout.write(`\n${section.title}\n`);
        const lines = await section.run({ quick: opts.quick, log: (m) => process.stderr.write(`  … ${m}\n`) });
        for (const line of lines) process.stdout.write(formatLine(line) + '\n');
      }
    });
}
