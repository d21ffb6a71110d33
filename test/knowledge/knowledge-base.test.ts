import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InputError } from '../../src/engine/errors.ts';
import { LocalHashEmbedder } from '../../src/knowledge/embedding/local.ts';
import { openKnowledgeBase, type IngestProgress, type KnowledgeBase } from '../../src/knowledge/index.ts';
import { ROOT } from '../helpers/candles.ts';
import { describeBackends, type StoreLocation } from '../helpers/backends.ts';
import { makeDocx, makeEncryptedPdf, makeTextPdf, makeZipBomb } from './helpers/documents.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/knowledge');

describeBackends('knowledge base over the small test corpus', (backend) => {
  let dir: string;
  let location: StoreLocation;
  let kb: KnowledgeBase;
  const open = (embedding = new LocalHashEmbedder(256)) =>
    openKnowledgeBase({ dataDir: dir, dbFile: location.target, embedding });

  beforeAll(async () => {
    location = await backend.create();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-kb-test-'));
    kb = await open();
    for (const name of ['risk-management.md', 'smc-basics.ru.md', 'trading-journal.txt', 'sessions.html']) {
      await kb.ingestFile(path.join(FIXTURES, name));
    }
    await kb.ingestBuffer(
      'leverage-notes.pdf',
      await makeTextPdf([
        ['Leverage notes.', 'Futures let a trader borrow capital from the exchange.'],
        ['Liquidation happens when the margin no longer covers the loss.', 'Keep a liquidation buffer between the stop and the liquidation price.'],
      ]),
    );
    await kb.ingestBuffer(
      'plan.docx',
      await makeDocx([
        { heading: 'Торговый план', level: 1, paragraphs: ['План описывает рынки и время торговли.'] },
        { heading: 'Фиксация прибыли', level: 2, paragraphs: ['Половину позиции закрываем на первой цели, остаток ведём трейлинг-стопом.'] },
      ]),
    );
  });

  afterAll(async () => {
    await kb.close();
    await location.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every ingested document with format, chunk count and pages', async () => {
    const docs = await kb.listDocuments();
    expect(docs.map((d) => [d.name, d.format, d.pages])).toEqual([
      ['risk-management.md', 'md', undefined],
      ['smc-basics.ru.md', 'md', undefined],
      ['trading-journal.txt', 'txt', undefined],
      ['sessions.html', 'html', undefined],
      ['leverage-notes.pdf', 'pdf', 2],
      ['plan.docx', 'docx', undefined],
    ]);
    expect(docs.every((d) => d.chunkCount >= 1 && /^[0-9a-f]{64}$/.test(d.contentHash))).toBe(true);
  });

  it.each([
    ['How big should my position be for a given stop distance?', 'risk-management.md', 'Risk management > Position sizing'],
    ['Что такое ордер-блок и почему цена к нему возвращается?', 'smc-basics.ru.md', 'Концепции смарт-мани > Ордер-блок'],
    ['When is the most liquid window for BTC?', 'sessions.html', 'Trading sessions > New York session'],
    ['Как фиксировать прибыль?', 'plan.docx', 'Торговый план > Фиксация прибыли'],
  ])('"%s" → %s, heading %s', async (question, document, heading) => {
    const [top] = await kb.retrieve(question, 3);
    expect(top.document).toBe(document);
    expect(top.heading).toBe(heading);
    expect(top.page).toBeUndefined();
  });

  it('PDF passages cite their page', async () => {
    const [top] = await kb.retrieve('liquidation buffer', 3);
    expect(top).toMatchObject({ document: 'leverage-notes.pdf', page: 2 });
  });

  it('cross-language: a Russian question finds the English document (glossary translation)', async () => {
    const passages = await kb.retrieve('Что такое ликвидация и кредитное плечо?', 3);
    expect(passages[0].document).toBe('leverage-notes.pdf');
  });

  it('passages come best first with fused scores, and the not-covered decision works', async () => {
    const passages = await kb.retrieve('How do I keep a trading journal and review it?', 5);
    expect(passages[0].document).toBe('trading-journal.txt');
    for (let i = 1; i < passages.length; i++) expect(passages[i - 1].score).toBeGreaterThanOrEqual(passages[i].score);
    expect(kb.isRelevant(passages)).toBe(true);
    expect(kb.isRelevant(await kb.retrieve('recipe for chocolate cake with cherries', 5))).toBe(false);
  });

  it('re-sending the same content is a duplicate, whatever its name', async () => {
    const before = await kb.stats();
    const result = await kb.ingestBuffer('copy-of-risk.md', readFileSync(path.join(FIXTURES, 'risk-management.md')));
    expect(result.duplicate).toBe(true);
    expect(result.document.name).toBe('risk-management.md');
    expect(await kb.stats()).toEqual(before);
  });

  it('bad input is refused with an InputError and leaves the index untouched', async () => {
    const before = await kb.stats();
    const bad: Array<[string, Uint8Array, RegExp]> = [
      ['empty.txt', new Uint8Array(0), /empty\.txt: the file is empty/],
      ['locked.pdf', await makeEncryptedPdf(), /locked\.pdf: the PDF is encrypted/],
      ['bomb.docx', await makeZipBomb(12), /bomb\.docx: .*zip bomb/],
      ['sheet.xlsx', new Uint8Array([1, 2, 3]), /sheet\.xlsx: unsupported file type/],
    ];
    for (const [name, bytes, message] of bad) {
      const error = await kb.ingestBuffer(name, bytes).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
    }
    await expect(kb.ingestFile(path.join(dir, 'missing.md'))).rejects.toThrow(/missing\.md: cannot read the file \(ENOENT\)/);
    expect(await kb.stats()).toEqual(before);
  });

  it('reports progress through the stages, ending with done', async () => {
    const stages: IngestProgress[] = [];
    const text = Array.from({ length: 200 }, (_, i) => `Rule ${i}: wait for the candle close before acting on setup ${i}.`).join(' ');
    const result = await kb.ingestBuffer('rules.txt', new TextEncoder().encode(text), { onProgress: (p) => void stages.push(p) });
    expect(result.chunks).toBeGreaterThan(5);
    expect(stages[0].stage).toBe('extracting');
    expect(stages.some((p) => p.stage === 'embedding' && p.done === result.chunks && p.total === result.chunks)).toBe(true);
    expect(stages.at(-1)).toEqual({ stage: 'done', done: result.chunks, total: result.chunks });
    await kb.removeDocument(result.document.id);
  });

  it('removing a document drops its passages and survives a reopen; the index is reloaded, not rebuilt', async () => {
    const journal = (await kb.listDocuments()).find((d) => d.name === 'trading-journal.txt')!;
    expect(await kb.getDocument(journal.id)).toEqual(journal);
    expect(await kb.removeDocument(journal.id)).toBe(true);
    expect(await kb.removeDocument(journal.id)).toBe(false);
    const check = async (base: KnowledgeBase) => {
      const passages = await base.retrieve('trading journal win rate expectancy weekend review', 10);
      expect(passages.some((p) => p.document === 'trading-journal.txt')).toBe(false);
    };
    await check(kb);
    await kb.close();
    const { generation } = JSON.parse(readFileSync(path.join(dir, 'vectors', 'knowledge.meta.json'), 'utf8'));
    const saved = [`knowledge.${generation}.bm25`, `knowledge.${generation}.hnsw`, 'knowledge.meta.json'];
    const savedAt = saved.map((name) => readFileSync(path.join(dir, 'vectors', name)));
    kb = await open();
    await check(kb);
    expect(saved.map((name, i) => readFileSync(path.join(dir, 'vectors', name)).equals(savedAt[i]))).toEqual([true, true, true]);
    expect(readdirSync(path.join(dir, 'vectors')).sort()).toEqual(saved);
  });

  it('a different embedding model, or a damaged index file, triggers a rebuild from SQLite', async () => {
    const chunks = (await kb.stats()).chunks;
    await kb.close();
    kb = await open(new LocalHashEmbedder(128));
    const meta = JSON.parse(readFileSync(path.join(dir, 'vectors', 'knowledge.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ embeddingId: 'local-hash-ngram-v1-128', dimensions: 128, chunkCount: chunks });
    expect((await kb.retrieve('Что такое ордер-блок?', 1))[0].document).toBe('smc-basics.ru.md');
    await kb.close();
    const damaged = path.join(dir, 'vectors', `knowledge.${meta.generation}.hnsw`);
    writeFileSync(damaged, 'garbage');
    kb = await open(new LocalHashEmbedder(128));
    expect((await kb.retrieve('Что такое ордер-блок?', 1))[0].document).toBe('smc-basics.ru.md');
    const rebuilt = JSON.parse(readFileSync(path.join(dir, 'vectors', 'knowledge.meta.json'), 'utf8'));
    expect(rebuilt.generation).toBeGreaterThan(meta.generation);
    expect(existsSync(path.join(dir, 'vectors', `knowledge.${rebuilt.generation}.hnsw`))).toBe(true);
    expect(existsSync(damaged)).toBe(false);
  });
});
