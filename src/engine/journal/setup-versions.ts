/** Setup versions ever seen, chat parameter overrides, and on/off switches. */
import type { Setup } from '../setups/index.ts';
import type { JournalDb } from './signals.ts';

export interface SetupVersionRow {
  id: string;
  version: string;
  name: string;
  definition: unknown;
  source: string;
  firstSeen: number;
}

/** Records a version the first time it is seen; later sightings keep the original first_seen. */
export async function recordSetupVersion(db: JournalDb, setup: Setup, yaml: string, now: number): Promise<void> {
  const { version: _version, source: _source, ...definition } = setup;
  await db
    .insertInto('setup_versions')
    .values({ id: setup.id, version: setup.version, name: setup.name, definition: JSON.stringify(definition), source: yaml, first_seen: now })
    .onConflict((oc) => oc.columns(['id', 'version']).doNothing())
    .execute();
}

export async function listSetupVersions(db: JournalDb, setupId: string): Promise<SetupVersionRow[]> {
  const rows = await db.selectFrom('setup_versions').selectAll().where('id', '=', setupId).orderBy('first_seen').orderBy('version').execute();
  return rows.map((r) => ({ id: r.id, version: r.version, name: r.name, definition: JSON.parse(r.definition), source: r.source, firstSeen: r.first_seen }));
}

export async function setOverride(db: JournalDb, setupId: string, param: string, value: number, now: number): Promise<void> {
  await db
    .insertInto('setup_overrides')
    .values({ setup_id: setupId, param, value, updated_at: now })
    .onConflict((oc) => oc.columns(['setup_id', 'param']).doUpdateSet({ value, updated_at: now }))
    .execute();
}

/** setup id → param → value. */
export async function allOverrides(db: JournalDb): Promise<Map<string, Map<string, number>>> {
  const rows = await db.selectFrom('setup_overrides').selectAll().orderBy('setup_id').orderBy('param').execute();
  const out = new Map<string, Map<string, number>>();
  for (const row of rows) {
    if (!out.has(row.setup_id)) out.set(row.setup_id, new Map());
    out.get(row.setup_id)!.set(row.param, row.value);
  }
  return out;
}

export async function setSwitch(db: JournalDb, setupId: string, enabled: boolean, now: number): Promise<void> {
  const value = enabled ? 1 : 0;
  await db
    .insertInto('setup_switches')
    .values({ setup_id: setupId, enabled: value, updated_at: now })
    .onConflict((oc) => oc.column('setup_id').doUpdateSet({ enabled: value, updated_at: now }))
    .execute();
}

export async function allSwitches(db: JournalDb): Promise<Map<string, boolean>> {
  const rows = await db.selectFrom('setup_switches').selectAll().execute();
  return new Map(rows.map((r) => [r.setup_id, r.enabled === 1]));
}
