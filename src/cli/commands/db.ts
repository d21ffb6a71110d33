/**
 * `ita db migrate` brings the configured store (SQLite file or PostgreSQL) to the latest schema of every module;
 * `ita db copy --from sqlite:FILE --to postgres://…` moves an installation into a shared PostgreSQL database.
 */
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import { databaseTarget, isPostgresUrl, redactUrl } from '../../engine/store/target.ts';

interface MigrateOpts {
  db?: string;
}

interface CopyOpts {
  from: string;
  to?: string;
  force?: boolean;
}

export function register(program: Command): void {
  const db = program.command('db').description('the store: migrate it, or copy a SQLite installation into PostgreSQL');
  db.command('migrate')
    .description('apply every pending migration (all modules) to the store, in one transaction')
    .option('--db <file-or-url>', 'SQLite file or postgres:// URL (default: ITA_DATABASE_URL, else dbFile from the configuration)')
    .action(async (opts: MigrateOpts) => {
      const target = opts.db ?? databaseTarget((await import('../../config.ts')).loadConfig());
      const { migrateStore } = await import('../../engine/store/migrate-report.ts');
      const { allMigrations } = await import('../../app/store-migrations.ts');
      const sets = await migrateStore(target, allMigrations);
      process.stdout.write(`${redactUrl(target)}: at the latest schema\n`);
      for (const s of sets) process.stdout.write(`  ${s.table.padEnd(20)} ${String(s.applied).padStart(3)} migrations, latest ${s.latest ?? '(none)'}\n`);
    });
  db.command('copy')
    .description('copy every table of a SQLite store into another store (PostgreSQL); resumable, verifies row counts')
    .requiredOption('--from <sqlite:FILE>', 'the SQLite file to copy (sqlite:path or a plain path)')
    .option('--to <url>', 'the target, a postgres:// URL (default: ITA_DATABASE_URL)')
    .option('--force', 'copy into tables that already hold other rows (rows with the same key are kept)')
    .addHelpText('after', [
      '',
      'Both stores are migrated to the latest schema first. Each table is copied in one transaction, so a copy that',
      'is interrupted can be run again: tables already copied are skipped. A target with other data is refused.',
    ].join('\n'))
    .action(async (opts: CopyOpts) => {
      const from = opts.from.replace(/^sqlite:/, '');
      if (isPostgresUrl(from)) throw new InputError('--from must be a SQLite file (sqlite:FILE)', { field: 'from' });
      const to = opts.to ?? (await import('../../config.ts')).loadConfig().databaseUrl;
      if (!to) throw new InputError('--to is missing and ITA_DATABASE_URL is not set: name the PostgreSQL database to copy into', { field: 'to' });
      const { copyDatabase } = await import('../../engine/store/copy.ts');
      const { allMigrations } = await import('../../app/store-migrations.ts');
      process.stdout.write(`copying ${from} → ${redactUrl(to)}\n`);
      const report = await copyDatabase({
        from, to, migrations: allMigrations, force: opts.force,
        onTable: (t) => process.stdout.write(`  ${t.table.padEnd(28)} ${String(t.source).padStart(9)} rows  ${t.status}${t.copied > 0 && t.status !== 'copied' ? ` (${t.copied} written)` : ''}\n`),
      });
      process.stdout.write(`done: ${report.rows} rows copied in ${report.tables.length} tables; every table's row count verified\n`);
    });
}
