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

interface TheoryPassageTable {
  chunk_id: number;
  document_id: number;
  document: string;
  page: number | null;
  heading: string | null;
  text: string;
  seen_at: number;
}

interface TheoryTestTable {
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

const lab = (db: Kysely<any>) => db as Kysely<LabTables>;

export async function insertLabRun(db: Kysely<any>, run: StoredLabRun): Promise<void> {
  await lab(db).insertInto('lab_runs').values(toRow(run)).execute();
}

export async function updateLabRun(db: Kysely<any>, run: StoredLabRun): Promise<void> {
  const { id: _id, ...row } = toRow(run);
  await lab(db).updateTable('lab_runs').set(row).where('id', '=', run.id).execute();
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

export async function listLabRuns(db: Kysely<any>, limit = 20): Promise<StoredLabRun[]> {
  const rows = await lab(db).selectFrom('lab_runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
  return rows.map(fromRow);
}

export async function getLabRun(db: Kysely<any>, id: string): Promise<StoredLabRun | undefined> {
  const row = await lab(db).selectFrom('lab_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export type AgentRecords = Record<string, { proposed: number; survived: number }>;

export async function agentRecords(db: Kysely<any>): Promise<AgentRecords> {
  const rows = await lab(db).selectFrom('lab_agents').selectAll().execute();
  return Object.fromEntries(rows.map((r) => [r.agent, { proposed: r.proposed, survived: r.survived }]));
}

export async function addAgentResults(db: Kysely<any>, results: AgentRecords): Promise<void> {
  for (const [agent, r] of Object.entries(results)) {
    await lab(db)
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
export async function importJsonRuns(db: Kysely<any>, labDir: string): Promise<number> {
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

// ---- theory ----

export interface TheoryPassage {
  chunkId: number;
  documentId: number;
  document: string;
  page?: number;
  heading?: string;
  text: string;
}

export async function rememberPassages(db: Kysely<any>, passages: TheoryPassage[], now: number): Promise<void> {
  for (const p of passages) {
    const row = { chunk_id: p.chunkId, document_id: p.documentId, document: p.document, page: p.page ?? null, heading: p.heading ?? null, text: p.text, seen_at: now };
    await lab(db).insertInto('theory_passages').values(row).onConflict((oc) => oc.column('chunk_id').doUpdateSet(row)).execute();
  }
}

export async function passageById(db: Kysely<any>, chunkId: number): Promise<TheoryPassage | undefined> {
  const r = await lab(db).selectFrom('theory_passages').selectAll().where('chunk_id', '=', chunkId).executeTakeFirst();
  return r ? { chunkId: r.chunk_id, documentId: r.document_id, document: r.document, page: r.page ?? undefined, heading: r.heading ?? undefined, text: r.text } : undefined;
}

export interface TheoryTest {
  id: number;
  passage: Omit<TheoryPassage, 'text'>;
  /** The passage text the setup was drafted from (what the claim is). */
  claim: string;
  setupId: string;
  setupYaml: string;
  rationale: string;
  model: string;
  costUsd: number;
  createdAt: number;
  markets?: string[];
  verdict?: string;
  evidence?: unknown;
  trades?: number;
  testedAt?: number;
}

export async function insertTheoryDraft(db: Kysely<any>, d: Omit<TheoryTest, 'id'>): Promise<number> {
  const result = await lab(db)
    .insertInto('theory_tests')
    .values({
      chunk_id: d.passage.chunkId, document_id: d.passage.documentId, document: d.passage.document, page: d.passage.page ?? null, heading: d.passage.heading ?? null,
      claim: d.claim, setup_id: d.setupId, setup_yaml: d.setupYaml, rationale: d.rationale, model: d.model, cost_usd: d.costUsd, created_at: d.createdAt,
      markets: null, verdict: null, evidence: null, trades: null, tested_at: null,
    })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

export async function recordVerdict(db: Kysely<any>, id: number, v: { markets: string[]; verdict: string; evidence: unknown; trades: number; testedAt: number }): Promise<void> {
  await lab(db)
    .updateTable('theory_tests')
    .set({ markets: JSON.stringify(v.markets), verdict: v.verdict, evidence: JSON.stringify(v.evidence), trades: v.trades, tested_at: v.testedAt })
    .where('id', '=', id)
    .execute();
}

function testFromRow(r: TheoryTestTable & { id: number }): TheoryTest {
  return {
    id: r.id,
    passage: { chunkId: r.chunk_id, documentId: r.document_id, document: r.document, page: r.page ?? undefined, heading: r.heading ?? undefined },
    claim: r.claim,
    setupId: r.setup_id,
    setupYaml: r.setup_yaml,
    rationale: r.rationale,
    model: r.model,
    costUsd: r.cost_usd,
    createdAt: r.created_at,
    markets: r.markets ? JSON.parse(r.markets) : undefined,
    verdict: r.verdict ?? undefined,
    evidence: r.evidence ? JSON.parse(r.evidence) : undefined,
    trades: r.trades ?? undefined,
    testedAt: r.tested_at ?? undefined,
  };
}

export async function theoryTestById(db: Kysely<any>, id: number): Promise<TheoryTest | undefined> {
  const r = await lab(db).selectFrom('theory_tests').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? testFromRow(r as TheoryTestTable & { id: number }) : undefined;
}

/** Tested claims, newest first. */
export async function testedTheories(db: Kysely<any>, limit = 100): Promise<TheoryTest[]> {
  const rows = await lab(db).selectFrom('theory_tests').selectAll().where('tested_at', 'is not', null).orderBy('tested_at', 'desc').limit(limit).execute();
  return rows.map((r) => testFromRow(r as TheoryTestTable & { id: number }));
}

/** The latest verdict per passage among these chunk ids. */
export async function latestVerdicts(db: Kysely<any>, chunkIds: number[]): Promise<Map<number, TheoryTest>> {
  const out = new Map<number, TheoryTest>();
  if (chunkIds.length === 0) return out;
  const rows = await lab(db).selectFrom('theory_tests').selectAll().where('chunk_id', 'in', chunkIds).where('tested_at', 'is not', null).orderBy('tested_at', 'asc').execute();
  for (const r of rows) out.set(r.chunk_id, testFromRow(r as TheoryTestTable & { id: number }));
  return out;
}

/**
 * The chunks of one stored document (by id or file name), optionally of one page, read from the knowledge tables
 * (a landed migration; read only). The knowledge API answers questions, it does not list a document's chunks, and
 * `ita lab from-doc` must name a passage without a question.
 */
export async function documentPassages(db: Kysely<any>, document: string, page?: number): Promise<TheoryPassage[]> {
  const q = db.selectFrom('knowledge_chunks as c').innerJoin('knowledge_documents as d', 'd.id', 'c.document_id')
    .select(['c.id as chunkId', 'c.document_id as documentId', 'd.name as document', 'c.page as page', 'c.heading as heading', 'c.text as text'])
    .where(/^\d+$/.test(document) ? 'd.id' : 'd.name', '=', /^\d+$/.test(document) ? Number(document) : document);
  const rows = await (page === undefined ? q : q.where('c.page', '=', page)).orderBy('c.ordinal').execute();
  return rows.map((r: any) => ({ chunkId: r.chunkId, documentId: r.documentId, document: r.document, page: r.page ?? undefined, heading: r.heading ?? undefined, text: r.text }));
}
