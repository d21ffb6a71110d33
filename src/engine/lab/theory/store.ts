/**
 * The theory tables of the lab's migration set (see ../store.ts): passages an /ask answer cited, setups drafted from
 * them and their verdicts.
 */
import type { Kysely } from 'kysely';
import type { LabTables, TheoryTestTable } from '../store.ts';

export interface TheoryPassage {
  chunkId: number;
  documentId: number;
  document: string;
  page?: number;
  heading?: string;
  text: string;
}

export async function rememberPassages(db: Kysely<LabTables>, passages: TheoryPassage[], now: number): Promise<void> {
  for (const p of passages) {
    const row = { chunk_id: p.chunkId, document_id: p.documentId, document: p.document, page: p.page ?? null, heading: p.heading ?? null, text: p.text, seen_at: now };
    await db.insertInto('theory_passages').values(row).onConflict((oc) => oc.column('chunk_id').doUpdateSet(row)).execute();
  }
}

export async function passageById(db: Kysely<LabTables>, chunkId: number): Promise<TheoryPassage | undefined> {
  const r = await db.selectFrom('theory_passages').selectAll().where('chunk_id', '=', chunkId).executeTakeFirst();
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

export async function insertTheoryDraft(db: Kysely<LabTables>, d: Omit<TheoryTest, 'id'>): Promise<number> {
  const result = await db
    .insertInto('theory_tests')
    .values({
      chunk_id: d.passage.chunkId, document_id: d.passage.documentId, document: d.passage.document, page: d.passage.page ?? null, heading: d.passage.heading ?? null,
      claim: d.claim, setup_id: d.setupId, setup_yaml: d.setupYaml, rationale: d.rationale, model: d.model, cost_usd: d.costUsd, created_at: d.createdAt,
      markets: null, verdict: null, evidence: null, trades: null, tested_at: null,
    })
    // RETURNING, not insertId: PostgreSQL reports no insert id.
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(result.id);
}

export async function recordVerdict(db: Kysely<LabTables>, id: number, v: { markets: string[]; verdict: string; evidence: unknown; trades: number; testedAt: number }): Promise<void> {
  await db
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

export async function theoryTestById(db: Kysely<LabTables>, id: number): Promise<TheoryTest | undefined> {
  const r = await db.selectFrom('theory_tests').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? testFromRow(r as TheoryTestTable & { id: number }) : undefined;
}

/** Tested claims, newest first. */
export async function testedTheories(db: Kysely<LabTables>, limit = 100): Promise<TheoryTest[]> {
  const rows = await db.selectFrom('theory_tests').selectAll().where('tested_at', 'is not', null).orderBy('tested_at', 'desc').limit(limit).execute();
  return rows.map((r) => testFromRow(r as TheoryTestTable & { id: number }));
}

/** The latest verdict per passage among these chunk ids. */
export async function latestVerdicts(db: Kysely<LabTables>, chunkIds: number[]): Promise<Map<number, TheoryTest>> {
  const out = new Map<number, TheoryTest>();
  if (chunkIds.length === 0) return out;
  const rows = await db.selectFrom('theory_tests').selectAll().where('chunk_id', 'in', chunkIds).where('tested_at', 'is not', null).orderBy('tested_at', 'asc').execute();
  for (const r of rows) out.set(r.chunk_id, testFromRow(r as TheoryTestTable & { id: number }));
  return out;
}
