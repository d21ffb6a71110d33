/**
 * `ita notion export`: backtest reports and closed journal trades into the Notion databases the trader named.
 * Idempotent: run it as often as you like (by hand or from cron); pages are updated, never duplicated.
 */
import type { Command } from 'commander';
import { ConfigError } from '../../engine/errors.ts';
import { databaseTarget } from '../../engine/store/target.ts';

interface NotionOpts {
  db?: string;
  only?: string;
}

export function register(program: Command): void {
  const notion = program.command('notion').description('export reports and the journal to Notion');
  notion
    .command('export')
    .description('write backtest reports and closed trades into the Notion databases named in the configuration (updates, never duplicates)')
    .option('--db <file>', 'SQLite database file (default: dbFile from the configuration)')
    .option('--only <what>', 'backtests or journal (default: both that are configured)')
    .addHelpText('after', [
      '',
      'Set NOTION_TOKEN (an internal integration token), share the databases with that integration, and name them:',
      '  ITA_NOTION_BACKTESTS_DB=<database id from its URL>  ITA_NOTION_JOURNAL_DB=<database id>',
      'ITA adds the columns it needs (ITA id, Setup, Win rate %, Expectancy R, ...) and keeps yours.',
    ].join('\n'))
    .action(async (opts: NotionOpts) => {
      const { loadConfig } = await import('../../config.ts');
      const { openDatabase } = await import('../../engine/store/database.ts');
      const { planNotionSync, syncToNotion } = await import('../../integrations/notion/sync.ts');
      const config = loadConfig();
      if (opts.only !== undefined && opts.only !== 'backtests' && opts.only !== 'journal') {
        throw new ConfigError(`--only must be "backtests" or "journal", got "${opts.only}"`, { field: 'only', value: opts.only });
      }
      const plan = planNotionSync(config.notion, opts.only as 'backtests' | 'journal' | undefined);
      const store = await openDatabase(opts.db ?? databaseTarget(config));
      try {
        const r = await syncToNotion(store.db, plan);
        if (r.backtests) process.stdout.write(`backtests: ${r.backtests.created} created, ${r.backtests.updated} updated\n`);
        if (r.journal) process.stdout.write(`journal: ${r.journal.created} created, ${r.journal.updated} updated\n`);
      } finally {
        await store.close();
      }
    });
}
