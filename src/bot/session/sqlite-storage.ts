/**
 * grammY's StorageAdapter over the bot_kv table, so sessions and half-finished conversations survive a restart.
 * Each user of the store gets its own key prefix ("session:", "conversation:", "signal-ref:").
 */
import type { StorageAdapter } from 'grammy';
import type { Kysely } from 'kysely';

interface BotKvTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface BotKvDatabase {
  bot_kv: BotKvTable;
}

export interface BotSessionStore {
  adapter<T>(prefix: string): StorageAdapter<T>;
}

/**
 * `kv` is the application's database after botMigrations ran, narrowed to bot_kv (asArea), SQLite or
 * PostgreSQL alike: the queries are portable and values are JSON text (JSON escapes a NUL, which PostgreSQL's text
 * refuses). The name keeps its first backend; instances sharing one PostgreSQL store share their sessions.
 */
export function createSqliteSessionStore(kv: Kysely<BotKvDatabase>, now: () => number = Date.now): BotSessionStore {
  return {
    adapter<T>(prefix: string): StorageAdapter<T> {
      const full = (key: string) => `${prefix}:${key}`;
      return {
        async read(key) {
          const row = await kv.selectFrom('bot_kv').select('value').where('key', '=', full(key)).executeTakeFirst();
          return row ? (JSON.parse(row.value) as T) : undefined;
        },
        async write(key, value) {
          const row = { key: full(key), value: JSON.stringify(value), updated_at: now() };
          await kv
            .insertInto('bot_kv')
            .values(row)
            .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
            .execute();
        },
        async delete(key) {
          await kv.deleteFrom('bot_kv').where('key', '=', full(key)).execute();
        },
        async has(key) {
          const row = await kv.selectFrom('bot_kv').select('key').where('key', '=', full(key)).executeTakeFirst();
          return row !== undefined;
        },
      };
    },
  };
}
