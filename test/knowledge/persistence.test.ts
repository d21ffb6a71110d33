/**
 * The search indexes survive restarts and crashes without a rebuild: an add or a removal writes only SQLite (chunks
 * and the index log in one transaction), a snapshot is written on close or after enough changes, and the log is
 * replayed on open. The crash cases run in a child process that SIGKILLs itself right after the write.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '../../src/knowledge/embedding/local.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/index.ts';
import { CHECKPOINT_AFTER } from '../../src/knowledge/retrieval/search-index.ts';
import { ROOT } from '../helpers/candles.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/knowledge');
const NOTE = '# Zeltrix entries\n\nThe zeltrix entry waits for a quorvane retest after the London open.';

describe('knowledge base indexes across restarts and crashes', () => {
  let dir: string;
  const open = (): Promise<KnowledgeBase> => openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite'), embedding: new LocalHashEmbedder(256) });
  const meta = () => JSON.parse(readFileSync(path.join(dir, 'vectors', 'knowledge.meta.json'), 'utf8')) as { generation: number; checkpoint: number; chunkCount: number };
  const snapshotFiles = (): Record<string, string> =>
    Object.fromEntries(readdirSync(path.join(dir, 'vectors')).sort().map((n) => [n, readFileSync(path.join(dir, 'vectors', n)).toString('base64')]));
  const logRows = (): number => {
    const db = new SQLite(path.join(dir, 'kb.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM knowledge_index_log').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const documentsFound = async (kb: KnowledgeBase, query: string): Promise<string[]> => (await kb.retrieve(query, 10)).map((p) => p.document);
  const child = (...args: string[]): Promise<{ stdout: string; signal: NodeJS.Signals | null }> =>
    new Promise((resolve, reject) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/knowledge/helpers/kb-child.ts'), dir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      proc.on('error', reject);
      proc.on('exit', (_code, signal) => resolve({ stdout, signal }));
    });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-kb-persist-'));
    const kb = await open();
    for (const name of ['risk-management.md', 'smc-basics.ru.md', 'trading-journal.txt', 'sessions.html']) await kb.ingestFile(path.join(FIXTURES, name));
    await kb.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an add rewrites no index file, is searchable at once, and is still there after a restart', async () => {
    const saved = snapshotFiles();
    expect(logRows()).toBe(0);
    let kb = await open();
    await kb.ingestBuffer('zeltrix.md', new TextEncoder().encode(NOTE));
    expect(snapshotFiles()).toEqual(saved);
    expect(logRows()).toBe(1);
    expect((await documentsFound(kb, 'zeltrix quorvane'))[0]).toBe('zeltrix.md');
    await kb.close();
    expect(logRows()).toBe(0);
    expect(meta().generation).toBeGreaterThan(Number(Object.keys(saved).find((n) => n.endsWith('.hnsw'))!.split('.')[1]));
    kb = await open();
    expect((await documentsFound(kb, 'zeltrix quorvane'))[0]).toBe('zeltrix.md');
    expect((await kb.stats()).documents).toBe(5);
    await kb.close();
  });

  it('kill -9 right after an add: the chunk is searchable after the restart, replayed from the log', { timeout: 60_000 }, async () => {
    const saved = snapshotFiles();
    const run = await child('add', 'zeltrix.md', NOTE);
    expect(run.signal).toBe('SIGKILL');
    expect(run.stdout).toMatch(/^added \d+ 1\n$/);
    // Nothing was saved: the snapshot is the one from before, and the add lives only in SQLite's log.
    expect(snapshotFiles()).toEqual(saved);
    expect(logRows()).toBe(1);
    const generation = meta().generation;
    const kb = await open();
    expect(meta().generation).toBe(generation); // replayed, not rebuilt (a rebuild saves a new generation)
    const passages = await kb.retrieve('zeltrix quorvane', 3);
    expect(passages[0].document).toBe('zeltrix.md');
    expect(passages[0].similarity).toBeGreaterThan(0); // found by the vector index too, not by BM25 alone
    expect(passages[0].coverage).toBeGreaterThan(0.9); // and by BM25: its words are in the lexicon
    await kb.close();
  });

  it('kill -9 right after a removal: the document is never returned after the restart, nor after the next one', { timeout: 60_000 }, async () => {
    const query = 'trading journal win rate expectancy weekend review';
    let kb = await open();
    expect(await documentsFound(kb, query)).toContain('trading-journal.txt');
    await kb.close();
    const run = await child('remove', 'trading-journal.txt');
    expect([run.signal, run.stdout]).toEqual(['SIGKILL', 'removed true\n']);
    expect(logRows()).toBeGreaterThan(0);
    const generation = meta().generation;
    kb = await open();
    expect(meta().generation).toBe(generation);
    expect(await documentsFound(kb, query)).not.toContain('trading-journal.txt');
    expect(await documentsFound(kb, 'expectancy')).not.toContain('trading-journal.txt');
    await kb.close();
    kb = await open();
    expect(await documentsFound(kb, query)).not.toContain('trading-journal.txt');
    expect((await kb.stats()).documents).toBe(3);
    await kb.close();
  });

  it('a removal without a crash: gone at once, after a restart, and its words no longer weigh in BM25', async () => {
    let kb = await open();
    await kb.ingestBuffer('zeltrix.md', new TextEncoder().encode(NOTE));
    const doc = (await kb.listDocuments()).find((d) => d.name === 'zeltrix.md')!;
    expect(await kb.removeDocument(doc.id)).toBe(true);
    expect(await documentsFound(kb, 'zeltrix quorvane')).not.toContain('zeltrix.md');
    // A word only the removed document had is unknown again: the question is "not covered".
    const gone = await kb.retrieve('zeltrix quorvane', 3);
    expect(gone[0]?.unknownShare ?? 1).toBe(1);
    await kb.close();
    kb = await open();
    expect(await documentsFound(kb, 'zeltrix quorvane')).not.toContain('zeltrix.md');
    expect(kb.isRelevant(await kb.retrieve('zeltrix quorvane', 3))).toBe(false);
    await kb.close();
  });

  it('a crash in the middle of a save (next generation half written, meta not yet) leaves the previous one in use', async () => {
    const vectors = path.join(dir, 'vectors');
    const { generation } = meta();
    const abandoned = await open();
    await abandoned.ingestBuffer('zeltrix.md', new TextEncoder().encode(NOTE));
    // What a kill during the save leaves: the next generation's files (one truncated) and a temp file; meta untouched.
    writeFileSync(path.join(vectors, `knowledge.${generation + 1}.hnsw`), 'half');
    writeFileSync(path.join(vectors, `knowledge.${generation + 1}.bm25.tmp-99999`), 'half');
    let kb = await open(); // the first instance is left as a crash would leave it (its log rows are committed)
    expect(meta().generation).toBe(generation);
    expect((await documentsFound(kb, 'zeltrix quorvane'))[0]).toBe('zeltrix.md');
    await kb.close();
    const saved = meta().generation;
    expect(readdirSync(vectors).sort()).toEqual([`knowledge.${saved}.bm25`, `knowledge.${saved}.hnsw`, 'knowledge.meta.json']);
    kb = await open();
    expect((await documentsFound(kb, 'zeltrix quorvane'))[0]).toBe('zeltrix.md');
    await kb.close();
    await abandoned.close();
  });

  it('an index directory in the first format (knowledge.hnsw, no BM25 file) is loaded without re-embedding and converted', async () => {
    const vectors = path.join(dir, 'vectors');
    const { generation, chunkCount, embedderState } = JSON.parse(readFileSync(path.join(vectors, 'knowledge.meta.json'), 'utf8'));
    renameSync(path.join(vectors, `knowledge.${generation}.hnsw`), path.join(vectors, 'knowledge.hnsw'));
    rmSync(path.join(vectors, `knowledge.${generation}.bm25`));
    writeFileSync(path.join(vectors, 'knowledge.meta.json'), JSON.stringify({ embeddingId: 'local-hash-ngram-v1-256', dimensions: 256, chunkCount, embedderState }));
    const embedder = new LocalHashEmbedder(256);
    const embedded: string[] = [];
    const counting = Object.assign(Object.create(embedder) as LocalHashEmbedder, {
      embed: (texts: string[]) => (embedded.push(...texts), embedder.embed(texts)),
    });
    const kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite'), embedding: counting });
    expect(embedded).toEqual([]); // nothing re-embedded
    expect((await documentsFound(kb, 'trading journal win rate expectancy weekend review'))[0]).toBe('trading-journal.txt');
    expect(embedded.length).toBeLessThanOrEqual(2); // only the question (and its translation)
    await kb.close(); // waits for the background save that converts the directory
    const converted = meta();
    expect(readdirSync(vectors).sort()).toEqual([`knowledge.${converted.generation}.bm25`, `knowledge.${converted.generation}.hnsw`, 'knowledge.meta.json']);
    expect(embedded.length).toBeLessThanOrEqual(2);
  });

  it(`after ${CHECKPOINT_AFTER} logged changes a snapshot is written in the background and the log is emptied`, { timeout: 60_000 }, async () => {
    const before = meta().generation;
    const kb = await open();
    const sections = Array.from({ length: CHECKPOINT_AFTER + 4 }, (_, i) => `## Rule ${i}\n\nSetup ${i} needs the ${i % 2 ? 'bullish' : 'bearish'} close of candle ${i}.`).join('\n\n');
    const result = await kb.ingestBuffer('rules.md', new TextEncoder().encode(`# Rules\n\n${sections}`));
    expect(result.chunks).toBeGreaterThanOrEqual(CHECKPOINT_AFTER);
    for (let i = 0; i < 200 && meta().generation === before; i++) await new Promise((r) => setTimeout(r, 25));
    expect(meta().generation).toBe(before + 1);
    expect(logRows()).toBe(0);
    expect(meta().chunkCount).toBe((await kb.stats()).chunks);
    await kb.close();
    expect(meta().generation).toBe(before + 1); // nothing pending: close saved nothing more
  });
});
