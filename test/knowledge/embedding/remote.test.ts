import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItaError, TemporaryError } from '../../../src/engine/errors.ts';
import { RemoteEmbedder } from '../../../src/knowledge/embedding/remote.ts';
import { openKnowledgeBase } from '../../../src/knowledge/index.ts';

interface Seen {
  path: string;
  auth?: string;
  body: { model: string; input: string[] };
}

/** A fake embeddings server: 4-d vectors counting a few letters, so similar texts get similar vectors. */
function vectorOf(text: string): number[] {
  const t = text.toLowerCase();
  return ['a', 'e', 'o', 's'].map((c) => t.split(c).length - 1 + 0.01);
}

describe('remote embeddings (OpenAI-compatible and Ollama) against a local fake', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let mode: 'ok' | 'fail500' | 'short' = 'ok';

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const body = JSON.parse(raw) as Seen['body'];
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, body });
      if (mode === 'fail500') {
        res.writeHead(503).end('overloaded');
        return;
      }
      const inputs = mode === 'short' ? body.input.slice(1) : body.input;
      const payload =
        req.url === '/v1/embeddings'
          ? { data: inputs.map((t, index) => ({ index, embedding: vectorOf(t) })).reverse() }
          : { embeddings: inputs.map(vectorOf) };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('OpenAI-compatible: POST {baseUrl}/embeddings with model, input and bearer key; answers reordered by index', async () => {
    mode = 'ok';
    seen.length = 0;
    const embedder = new RemoteEmbedder({ kind: 'openai', baseUrl: `${base}/v1/`, model: 'text-embed-small', apiKey: 'sk-test' });
    const [a, b] = await embedder.embed(['aaa', 'sss']);
    expect(seen).toEqual([{ path: '/v1/embeddings', auth: 'Bearer sk-test', body: { model: 'text-embed-small', input: ['aaa', 'sss'] } }]);
    expect(embedder.id).toBe('openai:text-embed-small');
    expect(embedder.dimensions).toBe(4);
    // [3.01, .01, .01, .01] normalised: the first component dominates.
    expect(a[0]).toBeCloseTo(3.01 / Math.sqrt(3.01 ** 2 + 3 * 0.0001), 6);
    expect(b[3]).toBeGreaterThan(0.99);
  });

  it('Ollama: POST {baseUrl}/api/embed, no key', async () => {
    mode = 'ok';
    seen.length = 0;
    const embedder = new RemoteEmbedder({ kind: 'ollama', baseUrl: base, model: 'nomic-embed-text' });
    expect(await embedder.probe()).toBe(4);
    expect(seen[0]).toEqual({ path: '/api/embed', auth: undefined, body: { model: 'nomic-embed-text', input: ['dimension probe'] } });
  });

  it('a 5xx answer is a TemporaryError; a wrong number of vectors is an ItaError naming the endpoint', async () => {
    const embedder = new RemoteEmbedder({ kind: 'ollama', baseUrl: base, model: 'm' });
    mode = 'fail500';
    const temporary = await embedder.embed(['x']).catch((e: unknown) => e);
    expect(temporary).toBeInstanceOf(TemporaryError);
    expect((temporary as Error).message).toMatch(/\/api\/embed answered HTTP 503: overloaded/);
    mode = 'short';
    const malformed = await embedder.embed(['x', 'y']).catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(ItaError);
    expect((malformed as Error).message).toMatch(/returned 1 vectors for 2 texts/);
  });

  it('an unreachable endpoint is a TemporaryError', async () => {
    const embedder = new RemoteEmbedder({ kind: 'ollama', baseUrl: 'http://127.0.0.1:9', model: 'm', timeoutMs: 2000 });
    await expect(embedder.embed(['x'])).rejects.toBeInstanceOf(TemporaryError);
  });

  it('the knowledge base records the remote embedding in its index and rebuilds when switching back to local', async () => {
    mode = 'ok';
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-kb-remote-'));
    const dbFile = path.join(dir, 'kb.sqlite');
    try {
      let kb = await openKnowledgeBase({ dataDir: dir, dbFile, embedding: { kind: 'openai', baseUrl: `${base}/v1`, model: 'fake' } });
      await kb.ingestBuffer('notes.md', new TextEncoder().encode('# Stops\n\nA stop loss limits the loss of a trade.'));
      expect(await kb.stats()).toMatchObject({ documents: 1, chunks: 1, embeddingId: 'openai:fake', dimensions: 4 });
      expect((await kb.retrieve('stop loss', 1))[0].document).toBe('notes.md');
      await kb.close();
      kb = await openKnowledgeBase({ dataDir: dir, dbFile });
      const meta = JSON.parse(readFileSync(path.join(dir, 'vectors', 'knowledge.meta.json'), 'utf8'));
      expect(meta).toMatchObject({ embeddingId: 'local-hash-ngram-v1-384', dimensions: 384, chunkCount: 1 });
      expect((await kb.retrieve('stop loss', 1))[0].document).toBe('notes.md');
      await kb.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
