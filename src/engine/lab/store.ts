/**
 * The lab's books in SQLite, in its own migration set (bookkeeping table `lab_migration`):
 * `openDatabase(file, { extraMigrations: { lab_migration: labMigrations } })`.
 *  - lab_runs: every lab run with its brief, mode, models, prompts and replies, LLM cost, results and grades;
 *  - lab_agents: each model's record (proposed / survived) that weighs its vote in the next consensus;
 *  - theory_passages: passages an /ask answer cited (so a "Test this" press finds its text again);
 *  - theory_tests: a setup drafted from a passage, then its evidence and verdict.
 * Structured parts are JSON text; times are epoch ms.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { sql, type Generated, type Kysely, type Migration } from 'kysely';

export const LAB_MIGRATION_TABLE = 'lab_migration';

export const labMigrations: Record<string, Migration> = {
  '20261202_0001_lab': {
    async up(db: Kysely<any>) {
      await sql`
        CREATE TABLE lab_runs (
          id          TEXT    PRIMARY KEY,
          started_at  INTEGER NOT NULL,
          finished_at INTEGER,
          status      TEXT    NOT NULL,
          source      TEXT    NOT NULL,
          mode        TEXT    NOT NULL,
          models      TEXT    NOT NULL,
          brief       TEXT    NOT NULL,
          transcripts TEXT    NOT NULL,
          cost_usd    REAL    NOT NULL,
          candidates  TEXT    NOT NULL,
          saved       TEXT    NOT NULL,
          error       TEXT
        )
      `.execute(db);
      await sql`CREATE INDEX lab_runs_started ON lab_runs (started_at)`.execute(db);
      await sql`CREATE TABLE lab_agents (agent TEXT PRIMARY KEY, proposed INTEGER NOT NULL, survived INTEGER NOT NULL)`.execute(db);
      await sql`
        CREATE TABLE theory_passages (
          chunk_id    INTEGER PRIMARY KEY,
          document_id INTEGER NOT NULL,
          document    TEXT    NOT NULL,
          page        INTEGER,
          heading     TEXT,
          text        TEXT    NOT NULL,
          seen_at     INTEGER NOT NULL
        )
      `.execute(db);
      await sql`
        CREATE TABLE theory_tests (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          chunk_id    INTEGER NOT NULL,
          document_id INTEGER NOT NULL,
          document    TEXT    NOT NULL,
          page        INTEGER,
          heading     TEXT,
          claim       TEXT    NOT NULL,
          setup_id    TEXT    NOT NULL,
          setup_yaml  TEXT    NOT NULL,
          rationale   TEXT    NOT NULL,
          model       TEXT    NOT NULL,
          cost_usd    REAL    NOT NULL,
          created_at  INTEGER NOT NULL,
          markets     TEXT,
          verdict     TEXT,
          evidence    TEXT,
          trades      INTEGER,
          tested_at   INTEGER
        )
      `.execute(db);
      await sql`CREATE INDEX theory_tests_chunk ON theory_tests (chunk_id, tested_at)`.execute(db);
    },
    async down(db: Kysely<any>) {
      for (const table of ['theory_tests', 'theory_passages', 'lab_agents', 'lab_runs']) await db.schema.dropTable(table).execute();
    },
  },
};

interface LabRunTable {
  id: string;
  started_at: number;
  finished_at: number | null;
  status: string;
  source: string;
  mode: string;
  models: string;
  brief: string;
  transcripts: string;
  cost_usd: number;
  candidates: string;
  saved: string;
  error: string | null;
}

export interface TheoryPassageTable {
  chunk_id: number;
  document_id: number;
  document: string;
  page: number | null;
  heading: string | null;
  text: string;
  seen_at: number;
}

export interface TheoryTestTable {
  id: Generated<number>;
  chunk_id: number;
  document_id: number;
  document: string;
  page: number | null;
  heading: string | null;
  claim: string;
  setup_id: string;
  setup_yaml: string;
  rationale: string;
  model: string;
  cost_usd: number;
  created_at: number;
  markets: string | null;
  verdict: string | null;
  evidence: string | null;
  trades: number | null;
  tested_at: number | null;
}

export type LabTables = {
  lab_runs: LabRunTable;
  lab_agents: { agent: string; proposed: number; survived: number };
  theory_passages: TheoryPassageTable;
  theory_tests: TheoryTestTable;
};

export type LabRunStatus = 'running' | 'done' | 'cancelled' | 'failed';

export interface StoredLabRun {
  id: string;
  startedAt: number;
  finishedAt?: number;
  status: LabRunStatus;
  source: 'bot' | 'cli' | 'json';
  mode: string;
  models: string[];
  brief: unknown;
  transcripts: unknown[];
  costUsd: number;
  candidates: unknown[];
  saved: string[];
  error?: string;
}

export async function insertLabRun(db: Kysely<LabTables>, run: StoredLabRun): Promise<void> {
  await db.insertInto('lab_runs').values(toRow(run)).execute();
}

export async function updateLabRun(db: Kysely<LabTables>, run: StoredLabRun): Promise<void> {
  const { id: _id, ...row } = toRow(run);
  await db.updateTable('lab_runs').set(row).where('id', '=', run.id).execute();
}

function toRow(run: StoredLabRun): LabRunTable {
  return {
    id: run.id,
    started_at: run.startedAt,
    finished_at: run.finishedAt ?? null,
    status: run.status,
    source: run.source,
    mode: run.mode,
    models: JSON.stringify(run.models),
    brief: JSON.stringify(run.brief ?? {}),
    transcripts: JSON.stringify(run.transcripts),
    cost_usd: run.costUsd,
    candidates: JSON.stringify(run.candidates),
    saved: JSON.stringify(run.saved),
    error: run.error ?? null,
  };
}

function fromRow(r: LabRunTable): StoredLabRun {
  return {
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at ?? undefined,
    status: r.status as LabRunStatus,
    source: r.source as StoredLabRun['source'],
    mode: r.mode,
    models: JSON.parse(r.models),
    brief: JSON.parse(r.brief),
    transcripts: JSON.parse(r.transcripts),
    costUsd: r.cost_usd,
    candidates: JSON.parse(r.candidates),
    saved: JSON.parse(r.saved),
    error: r.error ?? undefined,
  };
}

export async function listLabRuns(db: Kysely<LabTables>, limit = 20): Promise<StoredLabRun[]> {
  const rows = await db.selectFrom('lab_runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
  return rows.map(fromRow);
}

export async function getLabRun(db: Kysely<LabTables>, id: string): Promise<StoredLabRun | undefined> {
  const row = await db.selectFrom('lab_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export type AgentRecords = Record<string, { proposed: number; survived: number }>;

export async function agentRecords(db: Kysely<LabTables>): Promise<AgentRecords> {
  const rows = await db.selectFrom('lab_agents').selectAll().execute();
  return Object.fromEntries(rows.map((r) => [r.agent, { proposed: r.proposed, survived: r.survived }]));
}

export async function addAgentResults(db: Kysely<LabTables>, results: AgentRecords): Promise<void> {
  for (const [agent, r] of Object.entries(results)) {
    await db
      .insertInto('lab_agents')
      .values({ agent, proposed: r.proposed, survived: r.survived })
      .onConflict((oc) => oc.column('agent').doUpdateSet((eb) => ({ proposed: eb('lab_agents.proposed', '+', r.proposed), survived: eb('lab_agents.survived', '+', r.survived) })))
      .execute();
  }
}

/**
 * Runs written as JSON files by earlier versions (`<dataDir>/lab/run-*.json`, `agents.json`) are imported once: a
 * run already in the table (same id = file name) is skipped, and agents.json seeds lab_agents only while it is empty.
 */
export async function importJsonRuns(db: Kysely<LabTables>, labDir: string): Promise<number> {
  if (!existsSync(labDir)) return 0;
  let imported = 0;
  for (const name of readdirSync(labDir).filter((f) => /^run-.*\.json$/.test(f)).sort()) {
    const id = name.replace(/\.json$/, '');
    if (await getLabRun(db, id)) continue;
    try {
      const data = JSON.parse(readFileSync(path.join(labDir, name), 'utf8')) as Record<string, any>;
      const stamp = /^run-(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/.exec(id);
      const startedAt = stamp ? Date.parse(`${stamp[1]}T${stamp[2]}:${stamp[3]}:${stamp[4]}.${stamp[5]}Z`) : 0;
      await insertLabRun(db, {
        id,
        startedAt,
        finishedAt: startedAt,
        status: 'done',
        source: 'json',
        mode: 'unknown',
        models: (data.transcripts ?? []).map((t: { agent: string }) => t.agent),
        brief: data.brief ?? {},
        transcripts: data.transcripts ?? [],
        costUsd: Number(data.costUsd ?? 0),
        candidates: data.candidates ?? [],
        saved: data.saved ?? [],
      });
      imported++;
    } catch {
      // A damaged file stays where it is; the rest are imported.
    }
  }
  const agentsFile = path.join(labDir, 'agents.json');
  if (existsSync(agentsFile) && Object.keys(await agentRecords(db)).length === 0) {
    try {
      await addAgentResults(db, JSON.parse(readFileSync(agentsFile, 'utf8')) as AgentRecords);
    } catch {
      // An unreadable record only costs the vote weights their history.
    }
  }
  return imported;
}

// The theory tables' repository (passages, drafts, verdicts) lives beside the theory code.
export * from './theory/store.ts';
