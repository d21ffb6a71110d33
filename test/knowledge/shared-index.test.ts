/**
 * Several ITA instances on one PostgreSQL database share the knowledge base: the chunks and the index log live in
 * the database, each instance keeps its own search indexes in its own directory and catches up from the log before
 * a query. So an upload on one is found by the other, a removal on one is gone from the other, concurrent writes
 * leave every index with the same chunks, and a catch-up cut short (a failing embedding endpoint) or a restart
 * resumes from where the index stood.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '../../src/knowledge/embedding/local.ts';
import { openKnowledgeBase, type Embedder, type KnowledgeBase } from '../../src/knowledge/index.ts';
import { postgresBackend, type StoreLocation } from '../helpers/backends.ts';

const note = (word: string, body = 'waits for the London open before the entry') => new TextEncoder().encode(`# ${word} notes\n\nThe ${word} setup ${body}.`);

/** The chunk ids a query for `word` returns from `kb`'s index, for documents named after it. */
async function chunksFor(kb: KnowledgeBase, word: string): Promise<number[]> {
  return (await kb.retrieve(word, 20)).filter((p) => p.document === `${word}.md`).map((p) => p.chunkId).sort((x, y) => x - y);
}

describe.skipIf(!postgresBackend.available)(`two knowledge bases on one PostgreSQL database [${postgresBackend.name}]`, () => {
  let location: StoreLocation;
  const open: KnowledgeBase[] = [];
  const openAt = async (name: string, embedding: Embedder = new LocalHashEmbedder(256)): Promise<KnowledgeBase> => {
    const dataDir = path.join(location.dir, name);
    mkdirSync(dataDir, { recursive: true });
    const kb = await openKnowledgeBase({ dataDir, dbFile: location.target, embedding });
    open.push(kb);
    return kb;
  };
  const close = async (kb: KnowledgeBase): Promise<void> => {
    open.splice(open.indexOf(kb), 1);
    await kb.close();
  };
  const generation = (name: string): number => JSON.parse(readFileSync(path.join(location.dir, name, 'vectors', 'knowledge.meta.json'), 'utf8')).generation;

  beforeEach(async () => {
    location = await postgresBackend.create();
  });
  afterEach(async () => {
    for (const kb of open.splice(0)) await kb.close();
    await location.drop();
  });

  it('a document uploaded on one instance is found by the other, and gone from it once removed', async () => {
    const a = await openAt('a');
    const b = await openAt('b');
    const { document } = await a.ingestBuffer('zeltrix.md', note('zeltrix'));
    const found = await b.retrieve('zeltrix London open', 3);
    expect(found[0].document).toBe('zeltrix.md');
    expect(found[0].similarity).toBeGreaterThan(0); // in B's vector index, not only in BM25
    expect(await a.removeDocument(document.id)).toBe(true);
    expect((await b.retrieve('zeltrix London open', 3)).map((p) => p.document)).not.toContain('zeltrix.md');
    expect(await b.removeDocument(document.id)).toBe(false); // already gone: nothing logged twice
    expect(await b.stats()).toMatchObject({ documents: 0, chunks: 0, indexedChunks: 0 });
  });

  it('concurrent uploads and removals on both instances end with both indexes holding the same chunks', { timeout: 60_000 }, async () => {
    const a = await openAt('a');
    const b = await openAt('b');
    const words = ['alfrax', 'bexton', 'cyrrel', 'dovamp', 'erquin', 'fyndal'];
    const doomed = await a.ingestBuffer('gorvex.md', note('gorvex'));
    await Promise.all([
      ...words.map((w, i) => (i % 2 ? a : b).ingestBuffer(`${w}.md`, note(w, `needs ${i + 2} touches of the range high`))),
      b.removeDocument(doomed.document.id),
    ]);
    const [sa, sb] = [await a.stats(), await b.stats()];
    expect(sa).toMatchObject({ documents: words.length, chunks: words.length, indexedChunks: words.length });
    expect(sb).toMatchObject({ documents: words.length, chunks: words.length, indexedChunks: words.length });
    for (const word of words) {
      const onA = await chunksFor(a, word);
      expect(onA).toHaveLength(1);
      expect(await chunksFor(b, word)).toEqual(onA);
    }
    expect(await chunksFor(a, 'gorvex')).toEqual([]);
    expect(await chunksFor(b, 'gorvex')).toEqual([]);
  });

  it('an instance restarted from its saved snapshot catches up from its saved position, without a rebuild', async () => {
    const a = await openAt('a');
    let b = await openAt('b');
    await a.ingestBuffer('alfrax.md', note('alfrax'));
    expect(await chunksFor(b, 'alfrax')).toHaveLength(1);
    await close(b); // saves B's snapshot, with its position in the log
    const saved = generation('b');
    await a.ingestBuffer('bexton.md', note('bexton'));
    b = await openAt('b');
    expect(generation('b')).toBe(saved); // loaded and caught up, not rebuilt (a rebuild saves a new generation)
    expect(await chunksFor(b, 'bexton')).toEqual(await chunksFor(a, 'bexton'));
    expect(await chunksFor(b, 'alfrax')).toEqual(await chunksFor(a, 'alfrax'));
  });

  it('a catch-up cut short by a failing embedding resumes where it stopped, each chunk embedded once', { timeout: 60_000 }, async () => {
    // B runs another embedding than A, so it embeds A's chunks itself; its endpoint fails once, past the first log page.
    const local = new LocalHashEmbedder(256);
    const embedded: string[] = [];
    let calls = 0;
    const other: Embedder = {
      id: 'other-embedding-256',
      dimensions: 256,
      async embed(texts) {
        if (++calls === 9) throw new Error('embedding endpoint: 503');
        embedded.push(...texts);
        return local.embed(texts);
      },
    };
    const a = await openAt('a');
    const b = await openAt('b', other);
    const sections = Array.from({ length: 640 }, (_, i) => `## Rule ${i}\n\nSetup ${i} needs the ${i % 2 ? 'bullish' : 'bearish'} close of candle ${i}.`).join('\n\n');
    const { chunks } = await a.ingestBuffer('rules.md', new TextEncoder().encode(`# Rules\n\n${sections}`));
    expect(chunks).toBeGreaterThan(500); // more than one page of the log
    await expect(b.stats()).rejects.toThrow('503');
    const stats = await b.stats(); // the next look resumes
    expect(stats).toMatchObject({ chunks, indexedChunks: chunks });
    expect(embedded).toHaveLength(chunks); // the page applied before the failure was not embedded again
    expect(new Set(embedded).size).toBe(chunks);
    expect((await b.retrieve('Rule 617 bullish close of candle 617', 3))[0].text).toContain('candle 617');
  });
});
