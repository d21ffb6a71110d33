/**
 * A local OpenAI-compatible HTTP server on 127.0.0.1 so tests exercise the real HTTP path through LangChain.
 * POST /v1/chat/completions answers from a script of replies (then a default); POST /v1/embeddings returns
 * deterministic vectors. A scripted reply can be an HTTP error (500, 429 with retry-after), a slow answer,
 * or a malformed body.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeReply {
  /** Assistant message text. */
  content?: string;
  /** HTTP status to answer with instead of a completion (e.g. 500, 429). */
  status?: number;
  /** Seconds, sent as the `retry-after` header (with status 429). */
  retryAfterS?: number;
  /** Wait this long before answering (to go beyond a caller's timeout). */
  delayMs?: number;
  /** Token usage reported in the reply. */
  promptTokens?: number;
  completionTokens?: number;
  /** Send this raw body instead of JSON (a malformed answer). */
  rawBody?: string;
}

export interface RecordedRequest {
  path: string;
  body: any;
}

export interface OpenAiFake {
  /** Base URL including `/v1`, as ChatOpenAI's `configuration.baseURL` expects. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queue replies for the next chat completions, in order. */
  script(...replies: FakeReply[]): void;
  close(): Promise<void>;
}

export interface OpenAiFakeOptions {
  /** Answer when the script is empty; by default the content "ok". */
  defaultReply?: (body: any) => FakeReply;
  /** Dimensions of embedding vectors. */
  embeddingDimensions?: number;
}

export async function startOpenAiFake(options: OpenAiFakeOptions = {}): Promise<OpenAiFake> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const pending = new Set<NodeJS.Timeout>();
  const defaultReply: (body: any) => FakeReply = options.defaultReply ?? (() => ({ content: 'ok' }));
  const dimensions = options.embeddingDimensions ?? 8;

  const server = createServer(async (req, res) => {
    const body = await readJson(req);
    const path = (req.url ?? '').split('?')[0];
    requests.push({ path, body });
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      const reply = queue.shift() ?? defaultReply(body);
      if (reply.delayMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            pending.delete(timer);
            resolve();
          }, reply.delayMs);
          pending.add(timer);
        });
        if (res.destroyed || req.destroyed) return;
      }
      return answerChat(res, body, reply);
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      const inputs: string[] = Array.isArray(body?.input) ? body.input : [body?.input ?? ''];
      return sendJson(res, 200, {
        object: 'list',
        model: body?.model ?? 'fake-embed',
        data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: deterministicVector(String(text), dimensions) })),
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      });
    }
    sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'not_found' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pending) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Same text → same unit vector; different texts → (almost surely) different vectors. */
export function deterministicVector(text: string, dimensions: number): number[] {
  let seed = 2166136261;
  for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 16777619) >>> 0;
  const vector: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    seed = Math.imul(seed ^ (seed >>> 15), 2246822519) >>> 0;
    vector.push((seed / 0xffffffff) * 2 - 1);
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

function answerChat(res: ServerResponse, body: any, reply: FakeReply): void {
  if (reply.rawBody !== undefined) {
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
    res.end(reply.rawBody);
    return;
  }
  if (reply.status && reply.status >= 400) {
    const headers: Record<string, string> = {};
    if (reply.retryAfterS !== undefined) headers['retry-after'] = String(reply.retryAfterS);
    sendJson(res, reply.status, { error: { message: `scripted error ${reply.status}`, type: 'server_error' } }, headers);
    return;
  }
  const promptTokens = reply.promptTokens ?? 10;
  const completionTokens = reply.completionTokens ?? 5;
  sendJson(res, 200, {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: body?.model ?? 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content: reply.content ?? 'ok' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
