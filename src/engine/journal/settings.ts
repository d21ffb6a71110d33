/** Per-user settings, stored as only what the user changed; defaults are applied by the caller (they come from config). */
import type { JournalDb } from './signals.ts';

export async function getStoredSettings(db: JournalDb, userId: number): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('user_settings').select('settings').where('user_id', '=', userId).executeTakeFirst();
  return row ? (JSON.parse(row.settings) as Record<string, unknown>) : {};
}

export async function putStoredSettings(db: JournalDb, userId: number, settings: Record<string, unknown>, now: number): Promise<void> {
  const json = JSON.stringify(settings);
  await db
    .insertInto('user_settings')
    .values({ user_id: userId, settings: json, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ settings: json, updated_at: now }))
    .execute();
}
