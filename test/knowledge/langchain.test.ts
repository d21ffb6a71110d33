/**
 * The knowledge base speaks LangChain: its pipeline is a BaseRetriever, any LangChain Embeddings plugs in as the
 * embedding model (here OpenAIEmbeddings over real HTTP against the local OpenAI-compatible fake), ITA's offline
 * embedder works inside LangChain's HNSWLib store, and with a chat model configured the question is also retrieved
 * in the model's English and Russian rewrites.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import { OpenAIEmbeddings } from '@langchain/openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/knowledge/answer/index.ts';
import { LocalHashEmbedder } from '../../src/knowledge/embedding/local.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/index.ts';
import { ItaEmbeddings, LangChainEmbedder } from '../../src/knowledge/langchain/embeddings.ts';
import { KnowledgeBaseRetriever } from '../../src/knowledge/langchain/retriever.ts';
import { createLlmLayer } from '../../src/knowledge/llm/index.ts';
import { startOpenAiFake, type OpenAiFake } from '../helpers/openai-fake.ts';

const ORDER_BLOCKS = '# Order blocks\n\nAn order block is the last opposite candle before an impulsive move that breaks structure. Price often returns to it.\n';
const SESSIONS = '# Сессии\n\nЛондонская сессия открывается в 07:00 UTC; на её открытии часто пробивается азиатский диапазон.\n';

describe('LangChain interfaces', () => {
  let dir: string;
  let kb: KnowledgeBase | undefined;
  let fake: OpenAiFake;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-kb-langchain-'));
    fake = await startOpenAiFake({ embeddingDimensions: 16 });
  });
  afterEach(async () => {
    await kb?.close();
    kb = undefined;
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const openLocal = async (): Promise<KnowledgeBase> => {
    kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite'), embedding: new LocalHashEmbedder(256) });
    await kb.ingestBuffer('order-blocks.md', new TextEncoder().encode(ORDER_BLOCKS));
    await kb.ingestBuffer('sessions.ru.md', new TextEncoder().encode(SESSIONS));
    return kb;
  };

  it('the hybrid pipeline is a BaseRetriever returning Documents with the passage metadata', async () => {
    const retriever = new KnowledgeBaseRetriever({ source: await openLocal(), k: 2 });
    const docs = await retriever.invoke('Что такое ордер-блок?');
    expect(docs[0]).toBeInstanceOf(Document);
    expect(docs[0].pageContent).toContain('An order block is the last opposite candle');
    expect(docs[0].metadata).toMatchObject({ document: 'order-blocks.md', heading: 'Order blocks' });
    expect(docs[0].metadata.coverage).toBeGreaterThan(0.5);
  });

  it('a LangChain Embeddings (OpenAIEmbeddings over HTTP) is the embedding model for both languages', async () => {
    // encodingFormat 'float': the local fake answers float arrays only (the SDK's default asks for base64).
    const embeddings = new OpenAIEmbeddings({ model: 'bge-m3', apiKey: 'local', encodingFormat: 'float', configuration: { baseURL: fake.baseUrl } });
    const embedder = new LangChainEmbedder(embeddings, 'openai-compatible:bge-m3');
    await embedder.probe();
    kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite'), embedding: embedder });
    await kb.ingestBuffer('order-blocks.md', new TextEncoder().encode(ORDER_BLOCKS));
    expect((await kb.stats()).embeddingId).toBe('langchain:openai-compatible:bge-m3');
    expect((await kb.stats()).dimensions).toBe(16);
    fake.requests.length = 0;
    const passages = await kb.retrieve('Что такое ордер-блок?', 3);
    expect(passages[0].document).toBe('order-blocks.md');
    // The question and its English rewrite both went through the configured model.
    const inputs = fake.requests.filter((r) => r.path === '/v1/embeddings').flatMap((r) => r.body.input as string[]);
    expect(inputs).toContain('Что такое ордер-блок?');
    expect(inputs.some((t) => /order block/.test(t))).toBe(true);
  });

  it("ITA's offline embedder plugs into LangChain's HNSWLib vector store", async () => {
    const embedder = new LocalHashEmbedder(256);
    embedder.observe([ORDER_BLOCKS, SESSIONS]);
    const store = await HNSWLib.fromDocuments(
      [new Document({ pageContent: ORDER_BLOCKS, metadata: { id: 1 } }), new Document({ pageContent: SESSIONS, metadata: { id: 2 } })],
      new ItaEmbeddings(embedder),
    );
    const [[best]] = [await store.similaritySearch('азиатский диапазон лондонская сессия', 1)];
    expect(best.metadata.id).toBe(2);
  });

  it('with a chat model, the question is also retrieved in its English and Russian rewrites', async () => {
    const base = await openLocal();
    // A word the vocabulary does not know ("накопление" of orders): only the model's rewrite finds the English note.
    fake.script({ content: 'EN: order block impulsive move\nRU: ордер-блок импульс' }, { content: 'An order block is the last opposite candle [order-blocks.md, Order blocks].' });
    const llm = createLlmLayer({
      mode: 'single',
      dailyBudgetUsd: 1,
      commentBudgetMs: 4000,
      providers: [{ name: 'local', kind: 'openai', baseUrl: fake.baseUrl, model: 'qwen', timeoutMs: 5000, inputPricePerMTok: 0, outputPricePerMTok: 0 }],
    });
    const result = await answerQuestion('Где зона накопления крупного игрока перед импульсом?', {
      retriever: base,
      llm,
      relevance: (_q, ps) => (base.isRelevant(ps as never) ? ps : []),
    });
    expect(result.queries).toEqual(['Где зона накопления крупного игрока перед импульсом?', 'order block impulsive move', 'ордер-блок импульс']);
    expect(result.mode).toBe('llm');
    expect(result.passages[0].document).toBe('order-blocks.md');
    const chats = fake.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chats[0].body.messages[0].content).toContain('EN: <the question as an English search query');
  });

  it('a failing rewrite falls back to the question alone', async () => {
    const base = await openLocal();
    fake.script({ status: 500 }, { status: 500 }, { status: 500 }, { content: 'An order block [order-blocks.md, Order blocks].' });
    const llm = createLlmLayer({
      mode: 'single',
      dailyBudgetUsd: 1,
      commentBudgetMs: 4000,
      providers: [{ name: 'local', kind: 'openai', baseUrl: fake.baseUrl, model: 'qwen', timeoutMs: 2000, inputPricePerMTok: 0, outputPricePerMTok: 0 }],
    });
    const result = await answerQuestion('What is an order block?', { retriever: base, llm });
    expect(result.queries).toEqual(['What is an order block?']);
    expect(result.passages[0].document).toBe('order-blocks.md');
  });
});
