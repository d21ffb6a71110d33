/** The lab's books (runs, agent records) and the theory tables, on SQLite and PostgreSQL alike. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import {
  addAgentResults, agentRecords, getLabRun, importJsonRuns, insertLabRun, LAB_MIGRATION_TABLE, labMigrations, listLabRuns, updateLabRun,
  type StoredLabRun,
} from '../../../src/engine/lab/store.ts';
import {
  insertTheoryDraft, latestVerdicts, passageById, recordVerdict, rememberPassages, testedTheories, theoryTestById,
  type TheoryTest,
} from '../../../src/engine/lab/theory/store.ts';
import { describeBackends, storePerTest } from '../../helpers/backends.ts';
import { storeArea } from '../../helpers/store-area.ts';
import type { LabTables } from '../../../src/engine/lab/store.ts';

const T0 = Date.UTC(2026, 11, 2, 10);

function run(id: string, startedAt: number, extra: Partial<StoredLabRun> = {}): StoredLabRun {
  return {
    id, startedAt, status: 'running', source: 'cli', mode: 'single', models: ['a-model'], brief: { market: 'BTC/USDT' },
    transcripts: [], costUsd: 0, candidates: [], saved: [], ...extra,
  };
}

function draft(chunkId: number, setupId: string, createdAt: number): Omit<TheoryTest, 'id'> {
  return {
    passage: { chunkId, documentId: 7, document: 'smc.pdf', page: 12, heading: 'Order blocks' },
    claim: `claim of chunk ${chunkId}`, setupId, setupYaml: `id: ${setupId}\n`, rationale: 'the passage says so', model: 'a-model',
    costUsd: 0.0123, createdAt,
  };
}

describeBackends('lab store', (backend) => {
  const current = storePerTest(backend, { extraMigrations: { [LAB_MIGRATION_TABLE]: labMigrations } });
  const db = () => storeArea<LabTables>(current.store.db);

  it('records a run, updates it when it finishes, and lists runs newest first', async () => {
    await insertLabRun(db(), run('run-1', T0));
    await insertLabRun(db(), run('run-2', T0 + 60_000));
    const finished = run('run-1', T0, {
      status: 'done', finishedAt: T0 + 30_000, costUsd: 0.0421, transcripts: [{ agent: 'a-model', reply: 'ок' }],
      candidates: [{ id: 'ema_x', score: 1.25 }], saved: ['ema_x'],
    });
    await updateLabRun(db(), finished);
    expect(await getLabRun(db(), 'run-1')).toEqual(finished);
    expect((await listLabRuns(db())).map((r) => r.id)).toEqual(['run-2', 'run-1']);
    expect((await listLabRuns(db(), 1)).map((r) => r.id)).toEqual(['run-2']);
    expect(await getLabRun(db(), 'run-3')).toBeUndefined();
  });

  it('adds agent results to their records', async () => {
    await addAgentResults(db(), { 'a-model': { proposed: 3, survived: 1 }, 'b-model': { proposed: 2, survived: 0 } });
    await addAgentResults(db(), { 'a-model': { proposed: 4, survived: 2 } });
    expect(await agentRecords(db())).toEqual({ 'a-model': { proposed: 7, survived: 3 }, 'b-model': { proposed: 2, survived: 0 } });
  });

  it('imports the JSON runs of earlier versions once, and seeds the agent records only while they are empty', async () => {
    const labDir = path.join(current.location.dir, 'lab');
    mkdirSync(labDir);
    writeFileSync(path.join(labDir, 'run-2026-11-30T08-15-00-250Z.json'), JSON.stringify({ costUsd: 0.5, transcripts: [{ agent: 'a-model' }], saved: ['x'] }));
    writeFileSync(path.join(labDir, 'run-2026-11-30T09-00-00-000Z.json'), '{ damaged');
    writeFileSync(path.join(labDir, 'agents.json'), JSON.stringify({ 'a-model': { proposed: 5, survived: 2 } }));
    expect(await importJsonRuns(db(), labDir)).toBe(1);
    expect(await importJsonRuns(db(), labDir)).toBe(0);
    expect(await getLabRun(db(), 'run-2026-11-30T08-15-00-250Z')).toMatchObject({
      startedAt: Date.UTC(2026, 10, 30, 8, 15, 0, 250), source: 'json', status: 'done', models: ['a-model'], costUsd: 0.5, saved: ['x'],
    });
    expect(await agentRecords(db())).toEqual({ 'a-model': { proposed: 5, survived: 2 } });
  });

  it('remembers cited passages, the newest citation replacing the older one', async () => {
    await rememberPassages(db(), [{ chunkId: 41, documentId: 7, document: 'smc.pdf', page: 3, text: 'old text' }], T0);
    await rememberPassages(db(), [
      { chunkId: 41, documentId: 7, document: 'smc.pdf', page: 4, heading: 'FVG', text: 'new text' },
      { chunkId: 42, documentId: 8, document: 'notes.md', text: 'no page' },
    ], T0 + 1);
    expect(await passageById(db(), 41)).toEqual({ chunkId: 41, documentId: 7, document: 'smc.pdf', page: 4, heading: 'FVG', text: 'new text' });
    expect(await passageById(db(), 42)).toEqual({ chunkId: 42, documentId: 8, document: 'notes.md', text: 'no page' });
    expect(await passageById(db(), 43)).toBeUndefined();
  });

  it('numbers theory drafts, records their verdicts and finds the latest verdict per passage', async () => {
    const first = await insertTheoryDraft(db(), draft(41, 'ob_retest', T0));
    const second = await insertTheoryDraft(db(), draft(41, 'ob_retest_v2', T0 + 1));
    const other = await insertTheoryDraft(db(), draft(42, 'fvg_fill', T0 + 2));
    // The ids the drafts get back are the rows' ids (a "Test this" press carries them).
    expect([first, second, other].every(Number.isInteger)).toBe(true);
    expect(new Set([first, second, other]).size).toBe(3);
    expect(await theoryTestById(db(), second)).toEqual({ id: second, ...draft(41, 'ob_retest_v2', T0 + 1) });

    await recordVerdict(db(), first, { markets: ['BTC/USDT 1h'], verdict: 'refuted', evidence: { netR: -3.5 }, trades: 40, testedAt: T0 + 10 });
    await recordVerdict(db(), second, { markets: ['BTC/USDT 1h', 'ETH/USDT 1h'], verdict: 'supported', evidence: { netR: 12.25 }, trades: 61, testedAt: T0 + 20 });
    expect(await theoryTestById(db(), second)).toMatchObject({ markets: ['BTC/USDT 1h', 'ETH/USDT 1h'], verdict: 'supported', evidence: { netR: 12.25 }, trades: 61, testedAt: T0 + 20 });
    expect((await testedTheories(db())).map((t) => t.id)).toEqual([second, first]);

    const latest = await latestVerdicts(db(), [41, 42, 43]);
    expect([...latest.keys()]).toEqual([41]);
    expect(latest.get(41)).toMatchObject({ id: second, verdict: 'supported' });
    expect((await latestVerdicts(db(), [])).size).toBe(0);
  });
});
