/**
 * The bot's own migration set, run by openDatabase(file, { extraMigrations: { bot_migration: botMigrations } }).
 * One key-value table holds grammY sessions, conversation state and short callback references; values are JSON.
 * Landed migrations are never edited; add a new timestamped one instead.
 */
import type { Kysely, Migration } from 'kysely';

export const botMigrations: Record<string, Migration> = {
  '20261121_0001_bot_kv': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('bot_kv')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('bot_kv').execute();
    },
  },
};
