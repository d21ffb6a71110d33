/**
 * A document's stored passages through the public API (what `ita lab from-doc DOC --page N` tests): in reading
 * order, one page of a PDF on request, headings kept, nothing for an unknown document.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '../../src/knowledge/embedding/local.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/index.ts';
import { makeTextPdf } from './helpers/documents.ts';

describe('knowledge base: listChunks', () => {
  let dir: string;
  let kb: KnowledgeBase;
  let pdfId: number;
  let mdId: number;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-kb-chunks-'));
    kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite'), embedding: new LocalHashEmbedder(64) });
    pdfId = (await kb.ingestBuffer('leverage.pdf', await makeTextPdf([
      ['Leverage notes.', 'Futures let a trader borrow capital from the exchange.'],
      ['Liquidation happens when the margin no longer covers the loss.'],
    ]))).document.id;
    mdId = (await kb.ingestBuffer('ma.md', Buffer.from('# Averages\n\n## Crossovers\n\nBuy when the fast average crosses above the slow one.\n\n## Volume\n\nVolume confirms breakouts.\n'))).document.id;
  });
  afterAll(async () => {
    await kb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists a PDF page by page, in reading order', async () => {
    const all = await kb.listChunks(pdfId);
    expect(all.map((c) => c.page)).toEqual([...all.map((c) => c.page)].sort());
    expect(new Set(all.map((c) => c.page))).toEqual(new Set([1, 2]));
    const second = await kb.listChunks(pdfId, { page: 2 });
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((c) => c.page === 2 && c.document === 'leverage.pdf' && c.documentId === pdfId)).toBe(true);
    expect(second.map((c) => c.text).join(' ')).toContain('Liquidation happens');
    expect(second.map((c) => c.text).join(' ')).not.toContain('Futures let');
    expect(await kb.listChunks(pdfId, { page: 3 })).toEqual([]);
  });

  it('keeps headings and the chunk ids retrieval returns', async () => {
    const chunks = await kb.listChunks(mdId);
    expect(chunks.map((c) => c.heading)).toEqual(['Averages > Crossovers', 'Averages > Volume']);
    const hit = (await kb.retrieve('fast average crosses above the slow', 1))[0];
    expect(chunks[0]).toEqual({ chunkId: hit.chunkId, documentId: mdId, document: 'ma.md', page: undefined, heading: 'Averages > Crossovers', text: hit.text });
    expect(await kb.listChunks(9999)).toEqual([]);
  });
});
