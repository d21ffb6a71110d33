/**
 * `ita label add|import|list`: the trader's labelled examples of a setup, kept in the database (config dbFile).
 *   ita label add fvg_retrace BTC/USDT 15m "2024-07-12 14:30" long
 *   ita label import labels.csv        (lines: fvg_retrace,BTC/USDT,15m,2024-07-12 14:30,long)
 *   ita label list [--setup ID]
 * What it says (saved, and every parse error with its field, value and line) is in the trader's language
 * (config `language`, ITA_LANGUAGE), through the same catalog as the chat.
 */
import { readFileSync, existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import { databaseTarget } from '../../engine/store/target.ts';
import type { LearningDatabase } from '../../engine/learning/store/schema.ts';

async function openLabels(dbOption?: string) {
  const { loadConfig } = await import('../../config.ts');
  const config = loadConfig();
  const { openDatabase } = await import('../../engine/store/database.ts');
  const { learningMigrations, LEARNING_MIGRATION_TABLE } = await import('../../engine/learning/store/migrations.ts');
  const { LabelService } = await import('../../engine/learning/labels/service.ts');
  const store = await openDatabase<LearningDatabase>(dbOption ?? databaseTarget(config), { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations } });
  return { store, service: new LabelService(store.db, config.dataDir) };
}

/** The engine's label text in the trader's language. */
async function say(text: string): Promise<string> {
  const { loadConfig } = await import('../../config.ts');
  const { localizeEngineText } = await import('../../bot/i18n/engine-translator.ts');
  return localizeEngineText(text, loadConfig().language);
}

export function register(program: Command): void {
  const label = program.command('label').description("the trader's labelled examples of a setup (for `ita eval detector`)");
  label
    .command('add')
    .description('add one label: setup, symbol, timeframe, UTC time of the candle, side')
    .argument('<setup>')
    .argument('<symbol>')
    .argument('<timeframe>')
    .argument('<time>', 'UTC, e.g. "2024-07-12 14:30"')
    .argument('<side>', 'long or short')
    .option('--db <file>', 'SQLite database file (default: dbFile from the configuration)')
    .action(async (setup: string, symbol: string, timeframe: string, time: string, side: string, opts: { db?: string }) => {
      const { parseLabelFields } = await import('../../engine/learning/labels/parse.ts');
      const parsed = parseLabelFields([setup, symbol, timeframe, time, side]);
      if (!parsed.ok) throw new InputError(await say(`Label not saved: ${parsed.message}`), { field: 'label' });
      const { describeLabel } = await import('../../engine/learning/labels/service.ts');
      const { store, service } = await openLabels(opts.db);
      try {
        const saved = await service.add(parsed.label, 'cli');
        process.stdout.write(`${await say(`label #${saved.id} saved: ${describeLabel(saved)}`)}\n`);
      } finally {
        await store.close();
      }
    });
  label
    .command('import')
    .description('import label lines from a CSV file (bad lines are reported by number; the rest are saved)')
    .argument('<file>')
    .option('--db <file>', 'SQLite database file (default: dbFile from the configuration)')
    .action(async (file: string, opts: { db?: string }) => {
      if (!existsSync(file)) throw new InputError(`no file at ${file}`, { file });
      const { store, service } = await openLabels(opts.db);
      try {
        const reply = await service.importCsv(readFileSync(file, 'utf8'), 'import');
        process.stdout.write((await say(reply.text)) + '\n');
        if (!reply.ok) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
  label
    .command('list')
    .description('list stored labels (as CSV lines, ready for `ita eval detector --labels`)')
    .option('--setup <id>', 'only this setup')
    .option('--db <file>', 'SQLite database file (default: dbFile from the configuration)')
    .action(async (opts: { setup?: string; db?: string }) => {
      const { store, service } = await openLabels(opts.db);
      try {
        const labels = await service.list({ setupId: opts.setup });
        for (const l of labels) {
          process.stdout.write(`${l.setupId},${l.symbol},${l.timeframe},${new Date(l.ts).toISOString().slice(0, 16).replace('T', ' ')},${l.side}${l.screenshot ? `  # ${l.screenshot}` : ''}\n`);
        }
        process.stderr.write(`${labels.length} label(s)\n`);
      } finally {
        await store.close();
      }
    });
}
