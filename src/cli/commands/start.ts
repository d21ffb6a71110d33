import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('start')
    .description('start ITA (same as `npm start`)')
    .action(async () => {
      const { main } = await import('../../main.ts');
      await main();
    });
}
